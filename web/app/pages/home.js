/**
 * / : the video grid. Query: ?q= (search in titles), ?category=<slug>, ?sort=newest|oldest|views|title.
 * Category chips and the sort control change the URL, so every view can be bookmarked and shared.
 */
import { getCategories, sortValue } from '../data.js';
import { session } from '../session.js';
import { h, icon } from '../ui/dom.js';
import { emptyState, page } from '../ui/page.js';
import { sortControl, videoList } from '../ui/video-list.js';
import { plural } from '../ui/format.js';

function withParams(current, changes) {
  const params = new URLSearchParams(current);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '' || (key === 'sort' && value === 'newest')) params.delete(key);
    else params.set(key, value);
  }
  const text = params.toString();
  return text ? `/?${text}` : '/';
}

export default async function render({ query, signal, navigate, setTitle }) {
  const q = (query.get('q') ?? '').trim();
  const sort = sortValue(query.get('sort'));
  const slug = query.get('category') ?? '';

  let categories = [];
  try {
    categories = await getCategories({ signal });
  } catch {
    categories = []; // the grid still works without the chips
  }
  const category = categories.find((c) => c.slug === slug) ?? null;

  const title = q ? `Results for “${q}”` : category ? category.name : `Welcome, ${session.user?.username ?? ''}`;
  setTitle(q ? `${q} – Search` : category ? category.name : 'Home');

  const count = h('p', { class: 'home-hero__count', 'aria-live': 'polite' });
  const chips = categories.length > 0 && h('nav', { class: 'chips-nav', 'aria-label': 'Categories' },
    h('ul', { class: 'chips' },
      h('li', {}, h('a', { class: 'chip', href: withParams(query, { category: null }), 'aria-current': category ? undefined : 'page' }, 'All')),
      categories.map((c) => h('li', {}, h('a', {
        class: 'chip',
        href: withParams(query, { category: c.slug }),
        'aria-current': category?.id === c.id ? 'page' : undefined,
      }, c.name))),
    ));

  const list = videoList({
    filters: { search: q || undefined, category_id: category?.id },
    sort,
    signal,
    label: q ? 'Search results' : 'Videos',
    cardOptions: { showCategory: !category },
    onLoaded: ({ total }) => {
      if (total !== null) count.textContent = plural(total, q ? 'result' : 'video');
    },
    empty: () => (q
      ? emptyState({
        icon: 'search',
        title: `No videos match “${q}”`,
        text: 'Try fewer or different words, or look through the categories.',
        actions: [h('a', { class: 'button button--ghost', href: withParams(query, { q: null }) }, 'Clear search')],
      })
      : category
        ? emptyState({ icon: 'grid', title: `Nothing in ${category.name} yet`, text: 'Videos added to this category will show up here.',
          actions: [h('a', { class: 'button button--primary', href: '/upload' }, icon('upload'), 'Upload a video')] })
        : emptyState({
          title: 'No videos yet',
          text: 'Be the first to share something with everyone here.',
          actions: [h('a', { class: 'button button--primary', href: '/upload' }, icon('upload'), 'Upload a video')],
        })),
  });

  return page({ className: 'home' },
    h('div', { class: 'home-hero' },
      h('div', {},
        h('h1', { class: 'home-hero__title' }, title),
        q && h('p', { class: 'muted' }, h('a', { href: withParams(query, { q: null }) }, 'Clear search')),
      ),
      count,
    ),
    h('div', { class: ['toolbar', 'home-toolbar'] },
      chips || h('span'),
      sortControl({ value: sort, onChange: (value) => navigate(withParams(query, { sort: value }), { replace: true }) }),
    ),
    list.element,
  );
}

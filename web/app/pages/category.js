/** /c/{slug}: one category (GET /api/categories/slug/{slug}) and its videos, with sorting. */
import { api } from '../api.js';
import { sortValue } from '../data.js';
import { h, icon } from '../ui/dom.js';
import { plural } from '../ui/format.js';
import { emptyState, notFoundState, page } from '../ui/page.js';
import { categoryArt, gradientFor } from '../ui/tiles.js';
import { sortControl, videoList } from '../ui/video-list.js';

export default async function render({ params, query, signal, navigate, setTitle }) {
  let category;
  try {
    category = await api.get(`/api/categories/slug/${encodeURIComponent(params.slug)}`, { signal });
  } catch (error) {
    if (error.status === 404) {
      setTitle('Category not found');
      return page({ width: 'medium', className: 'page--center' },
        notFoundState({ title: 'Category not found', text: `There is no category “${params.slug}”. It may have been renamed or removed.` }));
    }
    throw error;
  }
  setTitle(category.name);
  const sort = sortValue(query.get('sort'));

  const count = h('p', { class: 'kv', 'aria-live': 'polite' });
  const list = videoList({
    onLoaded: ({ total }) => { if (total !== null) count.textContent = plural(total, 'video'); },
    filters: { category_id: category.id },
    sort,
    signal,
    label: `Videos in ${category.name}`,
    empty: () => emptyState({
      icon: 'grid',
      title: `Nothing in ${category.name} yet`,
      text: 'Videos filed under this category will show up here.',
      actions: [h('a', { class: 'button button--primary', href: '/upload' }, icon('upload'), 'Upload a video')],
    }),
  });

  return page({ className: 'category-page' },
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' }, h('a', { href: '/categories' }, icon('arrow-left'), 'All categories')),
    h('header', { class: 'category-hero', style: { '--hero-color': 'var(--color-primary)', '--art': gradientFor(category.name) } },
      categoryArt(category, 'category-hero__art'),
      h('div', { class: 'category-hero__text' },
        h('h1', {}, category.name),
        category.description && h('p', { class: 'muted' }, category.description),
        count,
      ),
    ),
    h('div', { class: 'toolbar' },
      h('h2', { class: 'toolbar__title' }, 'Videos'),
      sortControl({
        value: sort,
        onChange: (value) => navigate(value === 'newest' ? location.pathname : `${location.pathname}?sort=${value}`, { replace: true }),
      }),
    ),
    list.element,
  );
}

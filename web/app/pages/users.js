/**
 * /users: the people on this Clipset (GET /api/users/directory: active users, no paging).
 * ?q= filters by username (as you type), ?sort=newest|alphabetical|videos|playlists.
 * Filtering updates the URL in place (no re-render), so focus stays in the search box.
 */
import { api, isAbortError } from '../api.js';
import { debounce, h } from '../ui/dom.js';
import { field } from '../ui/forms.js';
import { plural } from '../ui/format.js';
import { emptyState, errorState, page, pageHeader } from '../ui/page.js';
import { tileSkeleton, userTile } from '../ui/tiles.js';

const SORTS = [
  { value: 'newest', label: 'Newest members' },
  { value: 'alphabetical', label: 'Name (A–Z)' },
  { value: 'videos', label: 'Most videos' },
  { value: 'playlists', label: 'Most playlists' },
];
const STEP = 60;

export default function render({ query, signal }) {
  let q = query.get('q') ?? '';
  let sort = SORTS.some((s) => s.value === query.get('sort')) ? query.get('sort') : 'newest';
  let request = null;

  const searchField = field({ label: 'Find people', name: 'q', type: 'search', value: q, placeholder: 'Search by username', autocomplete: 'off', spellcheck: 'false' });
  const sortField = field({ label: 'Sort by', name: 'sort', control: 'select', value: sort, options: SORTS });
  sortField.classList.add('field--sort');
  const searchInput = searchField.querySelector('input');
  const sortSelect = sortField.querySelector('select');
  const status = h('p', { class: 'muted directory-status', role: 'status' });
  const results = h('div', {});

  function syncUrl() {
    const params = new URLSearchParams();
    if (q) params.set('q', q);
    if (sort !== 'newest') params.set('sort', sort);
    const text = params.toString();
    history.replaceState(history.state, '', text ? `/users?${text}` : '/users');
  }

  function show(users) {
    if (!users.length) {
      status.textContent = '';
      results.replaceChildren(q
        ? emptyState({ icon: 'search', title: `Nobody matches “${q}”`, text: 'Check the spelling, or try part of the name.' })
        : emptyState({ icon: 'users', title: 'No one here yet' }));
      return;
    }
    status.textContent = q ? `${plural(users.length, 'person', 'people')} found` : plural(users.length, 'person', 'people');
    const grid = h('ul', { class: 'card-grid card-grid--compact', role: 'list', 'aria-label': 'People' });
    let shown = 0;
    const more = h('button', { class: 'button button--ghost', type: 'button' }, 'Show more');
    const showNext = (focus) => {
      const batch = users.slice(shown, shown + STEP).map((user) => h('li', {}, userTile(user)));
      grid.append(...batch);
      shown += batch.length;
      more.hidden = shown >= users.length;
      if (focus) batch[0]?.querySelector('a')?.focus();
    };
    more.addEventListener('click', () => showNext(true));
    showNext(false);
    results.replaceChildren(grid, h('div', { class: 'list-footer' }, more));
  }

  async function load() {
    request?.abort();
    request = new AbortController();
    const mine = request;
    signal.addEventListener('abort', () => mine.abort(), { once: true });
    results.setAttribute('aria-busy', 'true');
    if (!results.firstChild) {
      results.replaceChildren(h('ul', { class: 'card-grid card-grid--compact', 'aria-hidden': 'true' },
        Array.from({ length: 8 }, () => h('li', {}, tileSkeleton()))));
    }
    try {
      const users = await api.get('/api/users/directory', { query: { search: q || undefined, sort }, signal: mine.signal });
      show(users ?? []);
    } catch (error) {
      if (isAbortError(error)) return;
      status.textContent = '';
      results.replaceChildren(errorState(error, { onRetry: load }));
    } finally {
      if (request === mine) results.removeAttribute('aria-busy');
    }
  }

  const onSearch = debounce(() => {
    q = searchInput.value.trim();
    syncUrl();
    load();
  }, 250);
  searchInput.addEventListener('input', onSearch);
  signal.addEventListener('abort', onSearch.cancel, { once: true });
  sortSelect.addEventListener('change', () => {
    sort = sortSelect.value;
    syncUrl();
    load();
  });
  const controls = h('form', { class: 'directory-controls', role: 'search', 'aria-label': 'Find people', onSubmit: (event) => event.preventDefault() },
    searchField, sortField);

  load();
  return page({},
    pageHeader({ title: 'People', lead: 'Everyone on this Clipset. Open a profile to see their videos and playlists.' }),
    controls,
    status,
    results,
  );
}

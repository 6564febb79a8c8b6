/**
 * A list that loads page after page: a "Load more" button (keyboard-friendly), also pressed
 * automatically when it scrolls into view, and a status line ("24 of 58 videos").
 *
 *   const list = pagedList({
 *     fetchPage: async ({ skip, limit, signal }) => {
 *       const { videos, total } = await api.get('/api/videos/', { query: { skip, limit }, signal });
 *       return { items: videos, total };
 *     },
 *     renderItem: (video) => videoCard(video),
 *     empty: () => emptyState({ title: 'No videos yet' }),
 *     noun: ['video', 'videos'],
 *     signal,                      // the page's AbortSignal: stops loading when the user navigates away
 *   });
 *   page.append(list.element);
 *
 * `fetchPage` may return `total: null` when the API has none: loading stops at a short page.
 * `list.reload()` starts again from the first page. `list.element` is a <div> holding the <ul>.
 */
import { isAbortError } from '../api.js';
import { h } from './dom.js';
import { errorState } from './page.js';
import { videoCardSkeleton } from './video-card.js';

export function pagedList({
  fetchPage,
  renderItem,
  empty,
  pageSize = 24,
  noun = ['item', 'items'],
  listClass = 'card-grid',
  skeleton = videoCardSkeleton,
  skeletonCount = 8,
  signal,
  auto = true,
  label,
  onLoaded,
}) {
  const list = h('ul', { class: listClass, 'aria-label': label, role: 'list' });
  const status = h('p', { class: 'list-footer__status', role: 'status' });
  const more = h('button', { class: 'button button--ghost', type: 'button', hidden: true }, 'Load more');
  const footer = h('div', { class: 'list-footer' }, status, more);
  const element = h('div', { class: 'paged-list' }, list, footer);

  let skip = 0;
  let total = null;
  let done = false;
  let loading = false;
  let generation = 0;

  const describe = (count) => `${count.toLocaleString()} ${count === 1 ? noun[0] : noun[1]}`;

  async function loadNext({ focusNew = false } = {}) {
    if (loading || done) return;
    loading = true;
    const mine = generation;
    more.setAttribute('aria-busy', 'true');
    more.disabled = true;
    list.setAttribute('aria-busy', 'true');
    const skeletons = skip === 0 ? Array.from({ length: skeletonCount }, () => h('li', { class: 'is-skeleton' }, skeleton())) : [];
    list.append(...skeletons);
    let failed = false;
    try {
      const page = await fetchPage({ skip, limit: pageSize, signal });
      if (mine !== generation) return;
      skeletons.forEach((node) => node.remove());
      const items = page.items ?? [];
      total = page.total ?? null;
      const nodes = items.map((item) => h('li', {}, renderItem(item)));
      list.append(...nodes);
      skip += items.length;
      done = items.length < pageSize || (total !== null && skip >= total);
      if (skip === 0) {
        element.replaceChildren(empty ? empty() : h('p', { class: 'muted' }, `No ${noun[1]}.`));
      } else if (total !== null) {
        // One short page needs no status line (pages show their own count).
        status.textContent = done
          ? (skip > pageSize ? `All ${describe(skip)} shown` : '')
          : `${skip.toLocaleString()} of ${describe(total)}`;
      } else {
        status.textContent = describe(skip);
      }
      more.hidden = done;
      if (focusNew && nodes[0]) nodes[0].querySelector('a, button')?.focus();
      onLoaded?.({ items, total, skip });
    } catch (error) {
      if (isAbortError(error) || mine !== generation) return;
      failed = true;
      skeletons.forEach((node) => node.remove());
      if (skip === 0) {
        element.replaceChildren(errorState(error, { onRetry: () => reload() }));
      } else {
        status.textContent = error.message;
        more.hidden = false;
      }
    } finally {
      if (mine === generation) {
        loading = false;
        more.removeAttribute('aria-busy');
        more.disabled = false;
        more.textContent = failed ? 'Try again' : 'Load more';
        list.removeAttribute('aria-busy');
      }
    }
  }

  function reload() {
    generation += 1;
    skip = 0;
    total = null;
    done = false;
    loading = false;
    list.replaceChildren();
    status.textContent = '';
    more.hidden = true;
    element.replaceChildren(list, footer);
    loadNext();
  }

  more.addEventListener('click', () => loadNext({ focusNew: true }));

  if (auto && 'IntersectionObserver' in globalThis) {
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting) && !more.hidden && !loading) loadNext();
    }, { rootMargin: '600px 0px' });
    observer.observe(more);
    signal?.addEventListener('abort', () => observer.disconnect(), { once: true });
  }

  loadNext();
  return { element, reload, get total() { return total; } };
}

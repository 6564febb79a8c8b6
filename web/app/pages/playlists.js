/**
 * /playlists: the signed-in user's playlists (GET /api/playlists/), newest first or sorted here.
 * Create (POST /api/playlists/ → goes to the new playlist), rename / describe
 * (PATCH /api/playlists/{short_id}) and delete (DELETE, after a confirmation) from each card.
 * Each card's picture is its first playable video's thumbnail (GET /api/playlists/{short_id},
 * fetched when the card scrolls into view).
 */
import { api, isAbortError } from '../api.js';
import { h, icon } from '../ui/dom.js';
import { confirmDialog } from '../ui/dialog.js';
import { field } from '../ui/forms.js';
import { formDialog } from '../ui/form-dialog.js';
import { plural, timeElement } from '../ui/format.js';
import { mIcon } from '../ui/inline-icons.js';
import { emptyState, errorState, page, pageHeader } from '../ui/page.js';
import { isPlayable } from '../ui/playlist-queue.js';
import { thumbnailUrl } from '../ui/thumbs.js';
import { tileSkeleton } from '../ui/tiles.js';
import { toast } from '../ui/toast.js';

const SORTS = [
  { value: 'updated', label: 'Recently updated', compare: (a, b) => b.updated_at.localeCompare(a.updated_at) },
  { value: 'newest', label: 'Newest', compare: (a, b) => b.created_at.localeCompare(a.created_at) },
  { value: 'name', label: 'Name (A–Z)', compare: (a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) },
  { value: 'videos', label: 'Most videos', compare: (a, b) => b.video_count - a.video_count },
];

/** The name and description fields of the create / edit dialogs. */
export function playlistFields(playlist = {}) {
  return [
    field({ label: 'Name', name: 'name', value: playlist.name ?? '', required: true, maxlength: 200, autocomplete: 'off' }),
    field({
      label: 'Description', name: 'description', control: 'textarea', value: playlist.description ?? '', maxlength: 1000,
      hint: 'Optional. Up to 1,000 characters.',
    }),
  ];
}

export function playlistBody(values) {
  return { name: values.name.trim(), description: values.description?.trim() || null };
}

export async function createPlaylistDialog() {
  return formDialog({
    title: 'New playlist',
    fields: playlistFields(),
    submitLabel: 'Create playlist',
    validate: (values) => (!values.name.trim() ? { name: 'Give the playlist a name.' } : null),
    onSubmit: (values) => api.post('/api/playlists/', playlistBody(values)),
  });
}

export async function editPlaylistDialog(playlist) {
  return formDialog({
    title: 'Edit playlist',
    fields: playlistFields(playlist),
    submitLabel: 'Save changes',
    validate: (values) => (!values.name.trim() ? { name: 'Give the playlist a name.' } : null),
    onSubmit: (values) => {
      const body = playlistBody(values);
      // PATCH treats null as "unchanged": an emptied description is sent as "".
      if (body.description === null && playlist.description) body.description = '';
      return api.patch(`/api/playlists/${encodeURIComponent(playlist.short_id)}`, body);
    },
  });
}

export async function deletePlaylist(playlist) {
  const ok = await confirmDialog({
    title: `Delete “${playlist.name}”?`,
    message: `The playlist and its order go away for everyone. The ${plural(playlist.video_count, 'video')} in it stay on Clipset.`,
    confirmLabel: 'Delete playlist',
    danger: true,
  });
  if (!ok) return false;
  try {
    await api.delete(`/api/playlists/${encodeURIComponent(playlist.short_id)}`);
  } catch (error) {
    toast(`Couldn't delete “${playlist.name}”: ${error.message}`, { tone: 'error' });
    return false;
  }
  toast(`“${playlist.name}” was deleted.`, { tone: 'success' });
  return true;
}

/** Loads the first playable thumbnail of a playlist into `art` once it is near the viewport. */
function lazyCover(art, playlist, signal) {
  if (!playlist.video_count || !('IntersectionObserver' in globalThis)) return;
  const observer = new IntersectionObserver(async (entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    try {
      const full = await api.get(`/api/playlists/${encodeURIComponent(playlist.short_id)}`, { signal });
      const first = (full.videos ?? []).find(isPlayable);
      const url = first && await thumbnailUrl(first.video);
      if (!url || signal.aborted) return;
      const img = h('img', { alt: '', src: url, decoding: 'async' });
      img.addEventListener('load', () => { img.dataset.loaded = ''; }, { once: true });
      art.prepend(img);
    } catch (error) {
      if (!isAbortError(error)) art.dataset.coverFailed = '';
    }
  }, { rootMargin: '300px 0px' });
  requestAnimationFrame(() => observer.observe(art));
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}

function playlistCard(playlist, { onEdit, onDelete, signal }) {
  const href = `/p/${encodeURIComponent(playlist.short_id)}`;
  const titleId = `playlist-${playlist.short_id}`;
  const art = h('div', { class: 'pl-card__art', 'aria-hidden': 'true' },
    h('span', { class: 'pl-card__glyph' }, icon('playlist')),
    h('span', { class: 'pl-card__count' }, mIcon('playlist'), String(playlist.video_count)));
  lazyCover(art, playlist, signal);
  return h('article', { class: 'pl-card', 'aria-labelledby': titleId, dataset: { shortId: playlist.short_id } },
    art,
    h('div', { class: 'pl-card__text' },
      h('h2', { class: 'pl-card__title' }, h('a', { class: 'pl-card__link', href, id: titleId }, playlist.name)),
      playlist.description && h('p', { class: 'pl-card__description' }, playlist.description),
      h('p', { class: ['pl-card__meta', 'dot-separated'] },
        h('span', {}, plural(playlist.video_count, 'video')),
        h('span', {}, 'Updated ', timeElement(playlist.updated_at))),
    ),
    h('div', { class: 'pl-card__actions' },
      h('button', {
        class: 'icon-button pl-card__action', type: 'button', 'aria-label': `Edit “${playlist.name}”`, title: 'Edit',
        onClick: (event) => onEdit(playlist, event.currentTarget),
      }, mIcon('edit')),
      h('button', {
        class: 'icon-button pl-card__action pl-card__action--danger', type: 'button', 'aria-label': `Delete “${playlist.name}”`, title: 'Delete',
        onClick: () => onDelete(playlist),
      }, mIcon('trash')),
    ),
  );
}

export default function render({ query, signal, navigate }) {
  let playlists = [];
  let sort = SORTS.some((s) => s.value === query.get('sort')) ? query.get('sort') : 'updated';

  const count = h('p', { class: 'muted', role: 'status' });
  const results = h('div', { 'aria-busy': 'true' },
    h('ul', { class: 'pl-grid', 'aria-hidden': 'true' }, Array.from({ length: 4 }, () => h('li', {}, tileSkeleton()))));

  const create = async () => {
    const created = await createPlaylistDialog();
    if (!created) return;
    toast(`“${created.name}” is ready. Add some videos to it.`, { tone: 'success' });
    navigate(`/p/${encodeURIComponent(created.short_id)}`);
  };
  const newButton = h('button', { class: 'button button--primary', type: 'button', onClick: create }, mIcon('plus'), 'New playlist');

  const sortSelect = field({ label: 'Sort by', name: 'sort', control: 'select', value: sort, options: SORTS });
  sortSelect.classList.add('field--inline');
  sortSelect.querySelector('select').addEventListener('change', (event) => {
    sort = event.target.value;
    const params = new URLSearchParams(location.search);
    if (sort === 'updated') params.delete('sort');
    else params.set('sort', sort);
    history.replaceState(history.state, '', params.toString() ? `/playlists?${params}` : '/playlists');
    show();
  });
  const toolbar = h('div', { class: 'toolbar manage-toolbar', hidden: true }, count, sortSelect);

  async function onEdit(playlist) {
    const updated = await editPlaylistDialog(playlist);
    if (!updated) return;
    playlists = playlists.map((p) => (p.id === updated.id ? { ...p, ...updated } : p));
    toast('Playlist saved.', { tone: 'success' });
    show();
    results.querySelector(`[data-short-id="${CSS.escape(updated.short_id)}"] .pl-card__link`)?.focus();
  }

  async function onDelete(playlist) {
    if (!(await deletePlaylist(playlist))) return;
    const index = playlists.findIndex((p) => p.id === playlist.id);
    playlists = playlists.filter((p) => p.id !== playlist.id);
    show();
    // Keep focus nearby: the next card's link, else the "New playlist" button.
    const links = results.querySelectorAll('.pl-card__link');
    (links[Math.min(index, links.length - 1)] ?? newButton).focus();
  }

  function show() {
    results.removeAttribute('aria-busy');
    toolbar.hidden = playlists.length === 0;
    count.textContent = plural(playlists.length, 'playlist');
    if (!playlists.length) {
      results.replaceChildren(emptyState({
        icon: 'playlist',
        title: 'No playlists yet',
        text: 'A playlist keeps videos in the order you choose, for you and everyone here to play through.',
        actions: [h('button', { class: 'button button--primary', type: 'button', onClick: create }, mIcon('plus'), 'Create a playlist')],
      }));
      return;
    }
    const compare = SORTS.find((s) => s.value === sort)?.compare ?? SORTS[0].compare;
    const sorted = [...playlists].sort(compare);
    results.replaceChildren(h('ul', { class: 'pl-grid', role: 'list', 'aria-label': 'Your playlists' },
      sorted.map((playlist) => h('li', {}, playlistCard(playlist, { onEdit, onDelete, signal })))));
  }

  async function load() {
    try {
      const answer = await api.get('/api/playlists/', { signal });
      playlists = answer?.playlists ?? [];
      show();
    } catch (error) {
      if (isAbortError(error)) return;
      results.removeAttribute('aria-busy');
      results.replaceChildren(errorState(error, { onRetry: load }));
    }
  }
  load();

  return page({ className: 'playlists-page' },
    pageHeader({
      title: 'Your playlists',
      lead: 'Collect videos, put them in order, and play them through.',
      actions: [newButton],
    }),
    toolbar,
    results,
  );
}

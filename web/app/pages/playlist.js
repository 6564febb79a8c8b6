/**
 * /p/{short_id}: one playlist (GET /api/playlists/{short_id}), its videos in order.
 *
 * Everyone: "Play all" and every row's link open /v/{short_id}?list={playlist}&i={position}
 * (ui/playlist-queue.js documents the parameters for the watch page).
 * The owner: drag the grip, press Alt+Up/Down, or use Move up/down to reorder
 * (PATCH /api/playlists/{short_id}/reorder with the whole order; ui/sortable-list.js), remove a video
 * (DELETE …/videos/{video_id}, confirmed), add videos (a picker over GET /api/videos/, then
 * POST …/videos/batch), edit the name and description (PATCH), delete (DELETE, confirmed).
 * An admin who is not the owner may delete it (the API allows that, not editing).
 */
import { api, ApiError, isAbortError } from '../api.js';
import { session } from '../session.js';
import { avatar } from '../ui/avatar.js';
import { debounce, h, icon, uid } from '../ui/dom.js';
import { confirmDialog } from '../ui/dialog.js';
import { formDialog } from '../ui/form-dialog.js';
import { describeDuration, formatDuration, formatViews, plural, timeElement } from '../ui/format.js';
import { mIcon } from '../ui/inline-icons.js';
import { emptyState, notFoundState, page } from '../ui/page.js';
import { isPlayable, playAllHref, playlistEntryHref } from '../ui/playlist-queue.js';
import { sortableList } from '../ui/sortable-list.js';
import { thumbnailImage } from '../ui/thumbs.js';
import { toast } from '../ui/toast.js';
import { deletePlaylist, editPlaylistDialog } from './playlists.js';

const STATUS_TEXT = { pending: 'Queued', processing: 'Processing', failed: 'Failed' };
const PICKER_PAGE = 24;

function totalDuration(entries) {
  return entries.reduce((sum, entry) => sum + (Number(entry.video?.duration_seconds) || 0), 0);
}

function describeTotal(seconds) {
  if (!seconds) return null;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  if (hours) return `${hours} h ${minutes} min`;
  if (seconds < 60) return `${seconds} s`;
  return `${Math.max(1, minutes)} min`;
}

function entryThumb(video) {
  const status = video.processing_status;
  return h('div', { class: 'pl-row__thumb', 'aria-hidden': 'true' },
    h('div', { class: 'pl-row__placeholder' }, icon(status === 'failed' ? 'alert' : 'play')),
    thumbnailImage(video),
    status === 'completed' && Number.isFinite(video.duration_seconds)
      && h('span', { class: 'pl-row__duration' }, formatDuration(video.duration_seconds)),
  );
}

/** The row content: thumbnail and title (one link), uploader, views, status. */
function entryBody(entry, listShortId) {
  const video = entry.video;
  const playable = isPlayable(entry);
  const titleText = [video.title,
    playable && Number.isFinite(video.duration_seconds) ? `, ${describeDuration(video.duration_seconds)}` : '',
    !playable ? `, ${(STATUS_TEXT[video.processing_status] ?? video.processing_status).toLowerCase()}` : ''];
  const link = h('a', {
    class: 'pl-row__link',
    href: playable ? playlistEntryHref(listShortId, entry) : `/v/${encodeURIComponent(video.short_id)}`,
  }, video.title, h('span', { class: 'visually-hidden' }, titleText.slice(1).join('')));
  // The title link covers the row (thumbnail included): one tab stop; the uploader link sits above it.
  return h('div', { class: 'pl-row' },
    entryThumb(video),
    h('div', { class: 'pl-row__text' },
      h('h3', { class: 'pl-row__title' }, link),
      h('p', { class: ['pl-row__meta', 'dot-separated'] },
        h('a', { class: 'pl-row__uploader', href: `/u/${encodeURIComponent(video.uploader_username)}` }, video.uploader_username),
        playable && h('span', {}, formatViews(video.view_count)),
        !playable && h('span', { class: ['pl-row__status', video.processing_status === 'failed' && 'is-failed'] },
          STATUS_TEXT[video.processing_status] ?? video.processing_status))),
  );
}

/** The "Add videos" picker: search the videos this user may see, tick several, add them in one go. */
async function addVideosDialog(playlist, existingIds) {
  const selected = new Map(); // video id → video (kept across searches)
  const results = h('ul', { class: 'picker__list', role: 'list', 'aria-label': 'Videos', 'aria-busy': 'true' });
  const status = h('p', { class: 'picker__status muted', role: 'status' });
  const more = h('button', { class: 'button button--ghost button--sm', type: 'button', hidden: true }, 'Show more');
  const searchId = uid('picker-search');
  const search = h('input', {
    class: 'input', id: searchId, type: 'search', name: 'search', placeholder: 'Search by title', autocomplete: 'off',
    spellcheck: 'false',
  });
  const mineId = uid('picker-mine');
  const mine = h('input', { type: 'checkbox', id: mineId, name: 'mine', class: 'checkbox' });
  const submitText = () => (selected.size ? `Add ${plural(selected.size, 'video')}` : 'Add videos');
  let skip = 0;
  let total = 0;
  let request = null;
  let submit = null;

  function row(video) {
    const already = existingIds.has(video.id);
    const id = uid('pick');
    const box = h('input', {
      class: 'checkbox', type: 'checkbox', id, name: 'video', value: video.id,
      checked: already || selected.has(video.id), disabled: already,
    });
    box.addEventListener('change', () => {
      if (box.checked) selected.set(video.id, video);
      else selected.delete(video.id);
      status.textContent = selected.size ? `${plural(selected.size, 'video')} selected` : '';
      if (submit) submit.textContent = submitText();
    });
    const ready = video.processing_status === 'completed';
    return h('li', { class: ['picker__item', already && 'is-added'] },
      box,
      h('label', { for: id, class: 'picker__label' },
        h('span', { class: 'picker__thumb', 'aria-hidden': 'true' }, thumbnailImage(video)),
        h('span', { class: 'picker__text' },
          h('span', { class: 'picker__title' }, video.title),
          h('span', { class: 'picker__meta' },
            already ? 'Already in this playlist'
              : [video.uploader_username, ready && Number.isFinite(video.duration_seconds) ? ` · ${formatDuration(video.duration_seconds)}` : '',
                !ready ? ` · ${STATUS_TEXT[video.processing_status] ?? video.processing_status}` : ''].join('')))),
    );
  }

  async function load({ reset = false } = {}) {
    request?.abort();
    request = new AbortController();
    const mineOnly = mine.checked;
    if (reset) {
      skip = 0;
      results.replaceChildren();
    }
    results.setAttribute('aria-busy', 'true');
    more.hidden = true;
    try {
      const answer = await api.get('/api/videos/', {
        query: {
          search: search.value.trim() || undefined,
          uploaded_by: mineOnly ? session.user?.id : undefined,
          skip, limit: PICKER_PAGE, sort: 'created_at', order: 'desc',
        },
        signal: request.signal,
      });
      const videos = answer?.videos ?? [];
      total = answer?.total ?? 0;
      results.append(...videos.map(row));
      skip += videos.length;
      more.hidden = skip >= total || videos.length < PICKER_PAGE;
      if (!skip) {
        results.replaceChildren(h('li', { class: 'picker__empty muted' },
          search.value.trim() ? `No videos match “${search.value.trim()}”.` : 'No videos yet.'));
      }
    } catch (error) {
      if (isAbortError(error)) return;
      results.replaceChildren(h('li', { class: 'picker__empty field__error', role: 'alert' }, error.message));
    } finally {
      results.removeAttribute('aria-busy');
    }
  }
  const onSearch = debounce(() => load({ reset: true }), 250);
  search.addEventListener('input', onSearch);
  // Enter searches at once instead of submitting the dialog.
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      onSearch.cancel();
      load({ reset: true });
    }
  });
  mine.addEventListener('change', () => load({ reset: true }));
  more.addEventListener('click', () => load());

  const picker = h('div', { class: 'picker' },
    h('div', { class: 'picker__controls' },
      h('div', { class: 'field picker__search' },
        h('label', { class: 'field__label', for: searchId }, 'Find videos'),
        h('div', { class: 'input-with-icon' }, icon('search'), search)),
      h('div', { class: 'checkbox-field' }, mine, h('label', { for: mineId }, 'Only my videos'))),
    results,
    h('div', { class: 'picker__footer' }, status, more),
  );

  load({ reset: true });
  return formDialog({
    title: `Add videos to “${playlist.name}”`,
    fields: [picker],
    submitLabel: 'Add videos',
    wide: true,
    className: 'picker-dialog',
    initialFocus: 'input[type=search]',
    onOpen: (dialog, form) => { submit = form.querySelector('[type=submit]'); },
    validate: () => (selected.size ? null : { picker: 'Tick at least one video to add.' }),
    onSubmit: async () => {
      const added = await api.post(`/api/playlists/${encodeURIComponent(playlist.short_id)}/videos/batch`,
        { video_ids: [...selected.keys()] });
      return added ?? [];
    },
  }).finally(() => request?.abort());
}

export default async function render({ params, signal, setTitle, navigate }) {
  let playlist;
  try {
    playlist = await api.get(`/api/playlists/${encodeURIComponent(params.shortId)}`, { signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      setTitle('Playlist not found');
      return page({ width: 'medium', className: 'page--center' },
        notFoundState({ title: 'Playlist not found', text: 'This playlist does not exist, or it was deleted.' }));
    }
    throw error;
  }
  setTitle(playlist.name);
  const me = session.user;
  const isOwner = me?.id === playlist.created_by;
  const canDelete = isOwner || session.isAdmin;
  let entries = [...(playlist.videos ?? [])].sort((a, b) => a.position - b.position);

  // --- hero: cover, name, owner, numbers, actions ---
  const title = h('h1', { class: 'pl-hero__title' }, playlist.name);
  const description = h('p', { class: 'pl-hero__description' }, playlist.description ?? '');
  description.hidden = !playlist.description;
  const stats = h('p', { class: ['pl-hero__stats', 'dot-separated'] });
  const cover = h('div', { class: 'pl-hero__cover', 'aria-hidden': 'true' });
  const playAll = h('a', { class: 'button button--primary pl-hero__play', href: '#', dataset: { testid: 'play-all' } }, icon('play'), 'Play all');

  function refreshHero() {
    const seconds = totalDuration(entries.filter(isPlayable));
    stats.replaceChildren(...[
      h('span', {}, plural(entries.length, 'video')),
      seconds ? h('span', { title: 'Total length of the playable videos' }, describeTotal(seconds)) : null,
      h('span', {}, 'Updated ', timeElement(playlist.updated_at)),
    ].filter(Boolean));
    const href = playAllHref({ ...playlist, videos: entries });
    if (href) {
      playAll.setAttribute('href', href);
      playAll.removeAttribute('aria-disabled');
      playAll.removeAttribute('tabindex');
    } else {
      playAll.removeAttribute('href');
      playAll.setAttribute('aria-disabled', 'true');
    }
    const first = entries.find(isPlayable);
    const current = cover.dataset.video;
    if (first?.video.id !== current) {
      cover.dataset.video = first?.video.id ?? '';
      cover.replaceChildren(...[h('span', { class: 'pl-hero__glyph' }, icon('playlist')), first && thumbnailImage(first.video)].filter(Boolean));
    }
  }

  const actions = h('div', { class: 'pl-hero__actions' }, playAll);
  if (isOwner) {
    actions.append(
      h('button', { class: 'button button--ghost', type: 'button', onClick: () => openPicker() }, mIcon('plus'), 'Add videos'),
      h('button', {
        class: 'button button--ghost', type: 'button',
        onClick: async () => {
          const updated = await editPlaylistDialog(playlist);
          if (!updated) return;
          playlist = { ...playlist, ...updated };
          title.textContent = playlist.name;
          description.textContent = playlist.description ?? '';
          description.hidden = !playlist.description;
          setTitle(playlist.name);
          toast('Playlist saved.', { tone: 'success' });
          refreshHero();
        },
      }, mIcon('edit'), 'Edit'),
    );
  }
  if (canDelete) {
    actions.append(h('button', {
      class: 'button button--ghost button--danger-ghost', type: 'button',
      onClick: async () => {
        if (await deletePlaylist({ ...playlist, video_count: entries.length })) navigate('/playlists', { replace: true });
      },
    }, mIcon('trash'), 'Delete'));
  }

  const owner = h('p', { class: 'pl-hero__owner' },
    avatar({ username: playlist.creator_username }, 'xs'),
    h('span', {}, 'by ', h('a', { href: `/u/${encodeURIComponent(playlist.creator_username)}` }, isOwner ? 'you' : playlist.creator_username)));

  const hero = h('header', { class: 'pl-hero' },
    cover,
    h('div', { class: 'pl-hero__text' },
      h('p', { class: 'page-header__eyebrow' }, 'Playlist'),
      title, owner, description, stats, actions),
  );

  // --- the list ---
  const listSection = h('section', { class: 'pl-videos', 'aria-labelledby': 'pl-videos-title' });
  const listHeading = h('div', { class: 'pl-videos__header' },
    h('h2', { id: 'pl-videos-title', class: 'pl-videos__title' }, 'Videos'));
  let sortable = null;

  async function removeEntry(entry, button) {
    const ok = await confirmDialog({
      title: 'Remove from playlist?',
      message: `“${entry.video.title}” leaves “${playlist.name}”. The video itself stays on Clipset.`,
      confirmLabel: 'Remove',
      danger: true,
    });
    if (!ok) return;
    button.disabled = true;
    try {
      await sortable.flush();
      await api.delete(`/api/playlists/${encodeURIComponent(playlist.short_id)}/videos/${encodeURIComponent(entry.video_id)}`);
    } catch (error) {
      button.disabled = false;
      toast(`Couldn't remove “${entry.video.title}”: ${error.message}`, { tone: 'error' });
      return;
    }
    const keys = sortable.items.map((e) => e.video_id);
    const index = keys.indexOf(entry.video_id);
    sortable.remove(entry.video_id);
    entries = sortable.items;
    toast(`Removed “${entry.video.title}”.`, { tone: 'success' });
    refreshHero();
    if (!entries.length) showList();
    else sortable.focusRow(entries[Math.min(index, entries.length - 1)].video_id);
  }

  function showList() {
    if (!entries.length) {
      sortable = null;
      listSection.replaceChildren(listHeading, emptyState({
        icon: 'playlist',
        title: 'This playlist is empty',
        text: isOwner ? 'Add videos, then drag them into the order you like.' : 'Nothing has been added yet.',
        actions: isOwner ? [h('button', { class: 'button button--primary', type: 'button', onClick: () => openPicker() }, mIcon('plus'), 'Add videos')] : null,
      }));
      return;
    }
    sortable = sortableList({
      items: entries,
      editable: isOwner,
      label: `Videos in ${playlist.name}`,
      getKey: (entry) => entry.video_id,
      getLabel: (entry) => entry.video.title,
      renderBody: (entry) => entryBody(entry, playlist.short_id),
      renderActions: isOwner ? (entry) => {
        const button = h('button', {
          class: 'icon-button sortable__remove', type: 'button', 'aria-label': `Remove “${entry.video.title}” from the playlist`,
          title: 'Remove from playlist',
        }, mIcon('trash'));
        button.addEventListener('click', () => removeEntry(entry, button));
        return button;
      } : null,
      onUpdate: (entry, li, index) => {
        if (isOwner) entry.position = index; // the owner sees every entry: positions are 0..n-1
        const link = li.querySelector('.pl-row__link');
        if (link && isPlayable(entry)) link.setAttribute('href', playlistEntryHref(playlist.short_id, entry));
      },
      onReorder: async (ordered) => {
        await api.patch(`/api/playlists/${encodeURIComponent(playlist.short_id)}/reorder`, {
          video_positions: ordered.map((entry, position) => ({ video_id: entry.video_id, position })),
        });
        entries = ordered;
        refreshHero();
      },
    });
    listHeading.replaceChildren(...[
      h('h2', { id: 'pl-videos-title', class: 'pl-videos__title' }, 'Videos'),
      isOwner && h('p', { class: 'pl-videos__hint' }, 'Drag ', mIcon('grip'), ' or press Alt + ↑/↓ to reorder'),
      sortable.status,
    ].filter(Boolean));
    listSection.replaceChildren(listHeading, sortable.element);
  }

  async function openPicker() {
    if (sortable) await sortable.flush();
    const existing = new Set(entries.map((entry) => entry.video_id));
    const added = await addVideosDialog(playlist, existing);
    if (!added) return;
    if (!added.length) {
      toast('Those videos were already in the playlist.');
      return;
    }
    const fresh = added.filter((entry) => !existing.has(entry.video_id));
    if (sortable) sortable.append(fresh);
    entries = sortable ? sortable.items : [...entries, ...fresh];
    if (!sortable) showList();
    refreshHero();
    toast(`Added ${plural(fresh.length, 'video')} to “${playlist.name}”.`, { tone: 'success' });
    sortable?.focusRow(fresh[0].video_id);
  }

  refreshHero();
  showList();

  // Unsaved moves are saved before leaving the page (the request is not tied to `signal`).
  signal.addEventListener('abort', () => { sortable?.flush(); }, { once: true });

  return page({ className: 'playlist-page' }, hero, listSection);
}

/**
 * "Save to playlist" on the watch page: a button opening a small panel with the user's playlists
 * as checkboxes (checked = the video is in it) and "New playlist".
 *
 *   saveToPlaylist({ video, signal })   // → element (the button and its panel)
 *
 * GET /api/playlists/videos/{video_id}/playlists lists the caller's playlists with
 * `contains_video`; ticking one POSTs /api/playlists/{short_id}/videos, unticking DELETEs
 * /api/playlists/{short_id}/videos/{video_id}; "New playlist" POSTs /api/playlists/ and adds the
 * video to it. A disclosure (not a modal): Escape or a click outside closes it and focus returns to
 * the button; errors show inside the panel, next to the playlist they concern.
 */
import { api, isAbortError } from '../api.js';
import { h, icon, uid } from './dom.js';
import { plural } from './format.js';
import { mediaIcon } from './inline-icons.js';
import { toast } from './toast.js';

export function saveToPlaylist({ video, signal }) {
  const panelId = uid('playlist-panel');
  const titleId = uid('playlist-panel-title');
  const button = h('button', {
    class: 'button button--ghost watch-action', type: 'button',
    'aria-expanded': 'false', 'aria-controls': panelId,
  }, mediaIcon('list-plus'), h('span', {}, 'Save'));
  const list = h('ul', { class: 'playlist-menu__list', 'aria-labelledby': titleId });
  const message = h('p', { class: 'playlist-menu__message', role: 'alert' });
  const newButton = h('button', { class: 'playlist-menu__new', type: 'button' }, mediaIcon('plus'), 'New playlist');
  const nameId = uid('playlist-name');
  const nameInput = h('input', { class: 'input', id: nameId, name: 'name', maxlength: '200', autocomplete: 'off', 'aria-describedby': `${nameId}-error` });
  const nameError = h('p', { class: 'field__error', id: `${nameId}-error` });
  const createButton = h('button', { class: 'button button--primary button--sm', type: 'submit' }, 'Create');
  const createForm = h('form', { class: 'playlist-menu__create', hidden: true, novalidate: true },
    h('div', { class: 'field' },
      h('label', { class: 'field__label', for: nameId }, 'Name of the new playlist'),
      nameInput, nameError),
    h('div', { class: 'playlist-menu__create-actions' },
      h('button', { class: 'button button--ghost button--sm', type: 'button', onClick: () => showCreate(false) }, 'Cancel'),
      createButton));
  const panel = h('div', { class: 'playlist-menu', id: panelId, role: 'group', 'aria-labelledby': titleId, hidden: true },
    h('div', { class: 'playlist-menu__head' },
      h('h2', { class: 'playlist-menu__title', id: titleId }, 'Save to playlist'),
      h('button', { class: 'icon-button playlist-menu__close', type: 'button', 'aria-label': 'Close', onClick: () => close() }, icon('close'))),
    list, message, newButton, createForm);
  const element = h('div', { class: 'playlist-picker' }, button, panel);

  let loaded = false;
  let playlists = [];

  function setMessage(text) {
    message.textContent = text ?? '';
  }

  function item(playlist) {
    const id = uid('playlist');
    const box = h('input', { type: 'checkbox', id, checked: Boolean(playlist.contains_video), class: 'playlist-menu__check' });
    const count = h('span', { class: 'playlist-menu__count' }, plural(playlist.video_count ?? 0, 'video'));
    const problem = h('span', { class: 'playlist-menu__problem', id: `${id}-problem` });
    box.setAttribute('aria-describedby', `${id}-problem`);
    box.addEventListener('change', async () => {
      const wanted = box.checked;
      box.disabled = true;
      problem.textContent = '';
      try {
        if (wanted) {
          await api.post(`/api/playlists/${encodeURIComponent(playlist.short_id)}/videos`, { video_id: video.id });
        } else {
          await api.delete(`/api/playlists/${encodeURIComponent(playlist.short_id)}/videos/${encodeURIComponent(video.id)}`);
        }
        playlist.contains_video = wanted;
        playlist.video_count = Math.max(0, (playlist.video_count ?? 0) + (wanted ? 1 : -1));
        count.textContent = plural(playlist.video_count, 'video');
        toast(wanted ? `Saved to “${playlist.name}”.` : `Removed from “${playlist.name}”.`, { tone: 'success' });
      } catch (error) {
        // "Already in the playlist" / "not in it": the server is right, follow it.
        if (error.status === 400 && wanted) playlist.contains_video = true;
        else if (error.status === 404 && !wanted) playlist.contains_video = false;
        else problem.textContent = error.message;
        box.checked = Boolean(playlist.contains_video);
      } finally {
        box.disabled = false;
        box.focus();
      }
    });
    return h('li', { class: 'playlist-menu__item' },
      box,
      h('label', { for: id, class: 'playlist-menu__label' }, h('span', { class: 'playlist-menu__name' }, playlist.name), count),
      problem);
  }

  function renderList() {
    if (!playlists.length) {
      list.replaceChildren(h('li', { class: 'playlist-menu__empty muted' }, 'No playlists yet. Make one for this video.'));
      return;
    }
    list.replaceChildren(...playlists.map(item));
  }

  async function load() {
    list.replaceChildren(h('li', { class: 'playlist-menu__empty muted', role: 'status' }, 'Loading your playlists…'));
    setMessage('');
    try {
      const answer = await api.get(`/api/playlists/videos/${encodeURIComponent(video.id)}/playlists`, { signal });
      playlists = answer?.playlists ?? [];
      loaded = true;
      renderList();
    } catch (error) {
      if (isAbortError(error)) return;
      list.replaceChildren();
      setMessage(`Couldn't load your playlists: ${error.message}`);
    }
  }

  function showCreate(show) {
    createForm.hidden = !show;
    newButton.hidden = show;
    nameError.textContent = '';
    nameInput.removeAttribute('aria-invalid');
    if (show) nameInput.focus();
    else newButton.focus();
  }
  newButton.addEventListener('click', () => showCreate(true));

  createForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    if (!name) {
      nameError.textContent = 'Give the playlist a name.';
      nameInput.setAttribute('aria-invalid', 'true');
      nameInput.focus();
      return;
    }
    createButton.disabled = true;
    createButton.setAttribute('aria-busy', 'true');
    try {
      const playlist = await api.post('/api/playlists/', { name });
      try {
        await api.post(`/api/playlists/${encodeURIComponent(playlist.short_id)}/videos`, { video_id: video.id });
        playlist.contains_video = true;
        playlist.video_count = 1;
      } catch (error) {
        playlist.contains_video = false;
        setMessage(`The playlist was created, but the video could not be added: ${error.message}`);
      }
      playlists = [playlist, ...playlists];
      renderList();
      nameInput.value = '';
      createForm.hidden = true;
      newButton.hidden = false;
      list.querySelector('input')?.focus();
      if (playlist.contains_video) toast(`Saved to the new playlist “${playlist.name}”.`, { tone: 'success' });
    } catch (error) {
      nameError.textContent = error.fields?.name ?? error.message;
      nameInput.setAttribute('aria-invalid', 'true');
      nameInput.focus();
    } finally {
      createButton.disabled = false;
      createButton.removeAttribute('aria-busy');
    }
  });

  function open() {
    panel.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    element.classList.add('is-open');
    if (!loaded) load().then(() => { if (!panel.hidden) (list.querySelector('input') ?? newButton).focus(); });
    else (list.querySelector('input') ?? newButton).focus();
  }

  function close({ focus = true } = {}) {
    if (panel.hidden) return;
    panel.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    element.classList.remove('is-open');
    createForm.hidden = true;
    newButton.hidden = false;
    if (focus) button.focus();
  }

  button.addEventListener('click', () => (panel.hidden ? open() : close()));
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  });
  document.addEventListener('pointerdown', (event) => {
    if (!element.contains(event.target)) close({ focus: false });
  }, { signal });
  element.addEventListener('focusout', (event) => {
    if (event.relatedTarget && !element.contains(event.relatedTarget) && !document.querySelector('dialog[open]')) close({ focus: false });
  });

  return element;
}

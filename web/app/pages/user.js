/**
 * /u/{username}: a profile (GET /api/users/by-username/{username}) with two tabs as links:
 * Videos (GET /api/videos/?uploaded_by=<id>) and Playlists (?tab=playlists,
 * GET /api/playlists/by-user/{username}).
 */
import { api } from '../api.js';
import { session } from '../session.js';
import { avatar } from '../ui/avatar.js';
import { h, icon } from '../ui/dom.js';
import { formatDate, plural } from '../ui/format.js';
import { emptyState, errorState, notFoundState, page } from '../ui/page.js';
import { playlistTile, tileSkeleton } from '../ui/tiles.js';
import { videoList } from '../ui/video-list.js';

function playlistsSection(username, isSelf, signal) {
  const section = h('div', { 'aria-busy': 'true' },
    h('ul', { class: 'card-grid card-grid--compact', 'aria-hidden': 'true' }, Array.from({ length: 4 }, () => h('li', {}, tileSkeleton()))));
  const load = async () => {
    try {
      const { playlists } = await api.get(`/api/playlists/by-user/${encodeURIComponent(username)}`, { signal });
      section.replaceChildren(playlists.length
        ? h('ul', { class: 'card-grid card-grid--compact', role: 'list', 'aria-label': 'Playlists' },
          playlists.map((playlist) => h('li', {}, playlistTile(playlist))))
        : emptyState({
          icon: 'playlist',
          title: isSelf ? "You haven't made a playlist yet" : `${username} has no playlists yet`,
          actions: isSelf ? [h('a', { class: 'button button--primary', href: '/playlists' }, 'Go to your playlists')] : null,
        }));
    } catch (error) {
      if (error.name === 'AbortError') return;
      section.replaceChildren(errorState(error, { onRetry: load }));
    } finally {
      section.removeAttribute('aria-busy');
    }
  };
  load();
  return section;
}

export default async function render({ params, query, signal, setTitle }) {
  let profile;
  try {
    profile = await api.get(`/api/users/by-username/${encodeURIComponent(params.username)}`, { signal });
  } catch (error) {
    if (error.status === 404) {
      setTitle('User not found');
      return page({ width: 'medium', className: 'page--center' },
        notFoundState({ title: 'User not found', text: `There is nobody called “${params.username}” here.` }));
    }
    throw error;
  }
  setTitle(profile.username);
  const isSelf = session.user?.id === profile.id;
  const tab = query.get('tab') === 'playlists' ? 'playlists' : 'videos';
  const base = `/u/${encodeURIComponent(profile.username)}`;

  const content = tab === 'playlists'
    ? playlistsSection(profile.username, isSelf, signal)
    : videoList({
      filters: { uploaded_by: profile.id },
      signal,
      label: `Videos by ${profile.username}`,
      cardOptions: { showUploader: false, showCategory: true },
      empty: () => emptyState({
        title: isSelf ? "You haven't uploaded anything yet" : `${profile.username} hasn't uploaded any videos yet`,
        actions: isSelf ? [h('a', { class: 'button button--primary', href: '/upload' }, icon('upload'), 'Upload a video')] : null,
      }),
    }).element;

  return page({ className: 'profile' },
    h('header', { class: 'profile-header' },
      avatar(profile, 'xl'),
      h('div', { class: 'profile-header__text' },
        h('h1', { class: 'profile-header__name' }, profile.username),
        h('p', { class: ['kv', 'dot-separated'] },
          h('span', {}, `Joined ${formatDate(profile.created_at)}`),
          h('span', {}, plural(profile.video_count, 'video')),
          h('span', {}, plural(profile.playlist_count, 'playlist'))),
        isSelf && h('div', { class: 'toolbar__group' },
          h('a', { class: 'button button--primary', href: '/upload' }, icon('upload'), 'Upload'),
          h('a', { class: 'button button--ghost', href: '/my/videos' }, icon('film'), 'Manage my videos')),
      ),
    ),
    h('nav', { 'aria-label': 'Profile sections' },
      h('ul', { class: 'tabs', role: 'list' },
        h('li', {}, h('a', { class: 'tabs__tab', href: base, 'aria-current': tab === 'videos' ? 'page' : undefined }, 'Videos')),
        h('li', {}, h('a', { class: 'tabs__tab', href: `${base}?tab=playlists`, 'aria-current': tab === 'playlists' ? 'page' : undefined }, 'Playlists')),
      )),
    content,
  );
}

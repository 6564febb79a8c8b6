/**
 * Tiles for people, categories and playlists (grids other than videos).
 *
 *   userTile(entry)        // UserDirectoryEntry / UserProfile → links to /u/{username}
 *   categoryTile(category) // Category → links to /c/{slug}
 *   playlistTile(playlist) // Playlist → links to /p/{short_id}
 *   tileSkeleton()
 */
import { h, icon } from './dom.js';
import { avatar } from './avatar.js';
import { plural } from './format.js';

export function userTile(user) {
  return h('article', { class: ['tile', 'user-tile'] },
    avatar(user, 'lg'),
    h('div', { class: 'tile__text' },
      h('h3', {}, h('a', { class: 'tile__link', href: `/u/${encodeURIComponent(user.username)}` }, user.username)),
      h('p', { class: ['tile__meta', 'user-tile__stats', 'dot-separated'] },
        h('span', {}, plural(user.video_count, 'video')),
        h('span', {}, plural(user.playlist_count, 'playlist'))),
    ),
  );
}

/** A two-colour gradient from a name, for categories without an image. */
export function gradientFor(name) {
  let hash = 0;
  for (const char of String(name)) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  const hues = [275, 250, 220, 195, 165, 320, 345, 15, 35];
  const hue = hues[hash % hues.length];
  return `linear-gradient(135deg, oklch(0.66 0.16 ${hue}), oklch(0.5 0.2 ${(hue + 40) % 360}))`;
}

export function categoryArt(category, className) {
  const art = h('div', { class: className, 'aria-hidden': 'true', style: { '--art': gradientFor(category.name) } });
  const initial = h('span', { class: 'category-tile__initial' }, [...category.name][0] ?? '#');
  if (category.image_url) {
    const img = h('img', { src: category.image_url, alt: '', loading: 'lazy', decoding: 'async' });
    img.addEventListener('error', () => img.replaceWith(initial), { once: true });
    art.append(img);
  } else {
    art.append(initial);
  }
  return art;
}

export function categoryTile(category) {
  return h('article', { class: ['tile', 'category-tile'] },
    categoryArt(category, 'category-tile__art'),
    h('div', { class: 'category-tile__body' },
      h('h3', {}, h('a', { class: 'tile__link', href: `/c/${encodeURIComponent(category.slug)}` }, category.name)),
      category.description && h('p', { class: 'category-tile__description' }, category.description),
      h('p', { class: 'tile__meta' }, plural(category.video_count, 'video')),
    ),
  );
}

export function playlistTile(playlist) {
  return h('article', { class: ['tile', 'playlist-tile'] },
    h('div', { class: 'playlist-tile__art', 'aria-hidden': 'true' },
      icon('playlist'),
      h('span', { class: 'playlist-tile__count' }, plural(playlist.video_count, 'video'))),
    h('div', {},
      h('h3', {}, h('a', { class: 'tile__link', href: `/p/${encodeURIComponent(playlist.short_id)}` }, playlist.name)),
      h('p', { class: 'tile__meta' }, `by ${playlist.creator_username}`),
    ),
  );
}

export function tileSkeleton() {
  return h('div', { class: 'tile', 'aria-hidden': 'true' },
    h('div', { class: 'skeleton skeleton--line' }),
    h('div', { class: 'skeleton skeleton--line skeleton--short' }),
  );
}

/**
 * Avatars: the user's picture (avatar_url, served without a token) or their initial on a colour
 * derived from the username, so the same person always looks the same.
 *
 *   avatar({ username, avatar_url }, 'md')     // sizes: xs, sm, md, lg, xl
 *
 * Decorative (aria-hidden): always put the username in text next to it.
 */
import { h } from './dom.js';

const HUES = [262, 222, 190, 160, 130, 32, 12, 340, 300, 280];

export function avatarColor(name = '') {
  let hash = 0;
  for (const char of String(name)) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  const hue = HUES[hash % HUES.length];
  return `oklch(0.58 0.15 ${hue})`;
}

export function avatar(user, size = 'md') {
  const name = user?.username ?? '';
  const el = h('span', {
    class: ['avatar', `avatar--${size}`],
    'aria-hidden': 'true',
    style: { '--avatar-bg': avatarColor(name) },
  });
  fillAvatar(el, user);
  return el;
}

/** (Re)fills an existing .avatar element, e.g. the header's after the user changed. */
export function fillAvatar(el, user) {
  const name = user?.username ?? '';
  el.style.setProperty('--avatar-bg', avatarColor(name));
  const initial = h('span', {}, [...name][0] ?? '?');
  if (user?.avatar_url) {
    const img = h('img', { src: user.avatar_url, alt: '', loading: 'lazy', decoding: 'async' });
    img.addEventListener('error', () => img.replaceWith(initial), { once: true });
    el.replaceChildren(img);
  } else {
    el.replaceChildren(initial);
  }
}

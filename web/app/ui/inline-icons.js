/**
 * Inline SVG icons beyond the shared sprite, for the media pages (upload, My videos, watch, the
 * player's controls) and the manage pages (playlists, notifications, admin). Drawn like the sprite
 * (/icons.svg: 24 px grid, 2 px round strokes, currentColor) but built through the DOM, which a
 * strict CSP allows, so the shared sprite stays untouched.
 *
 *   inlineIcon('pause')           // <svg class="icon" aria-hidden="true">…</svg>
 *   inlineIcon('trash', 'x-y')    // extra class
 *
 * `mediaIcon` and `mIcon` are the same function under the names the pages already use.
 * Names not defined here fall back to the sprite (`icon(name)` of dom.js).
 */
import { icon } from './dom.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

// Each icon: a list of [tag, attributes]; `fill: 'currentColor'` makes a solid shape.
const SOLID = { fill: 'currentColor', stroke: 'none' };
const DOT = { fill: 'currentColor' };
const SHAPES = {
  // --- media: upload, My videos, watch, player ---
  'play-solid': [['path', { d: 'M7 4.8v14.4a1 1 0 0 0 1.5.86l12-7.2a1 1 0 0 0 0-1.72l-12-7.2A1 1 0 0 0 7 4.8z', ...SOLID }]],
  'pause-solid': [
    ['rect', { x: 5.5, y: 4, width: 4.5, height: 16, rx: 1.2, ...SOLID }],
    ['rect', { x: 14, y: 4, width: 4.5, height: 16, rx: 1.2, ...SOLID }],
  ],
  replay: [['path', { d: 'M3 12a9 9 0 1 0 3-6.7' }], ['path', { d: 'M3 4v5h5' }]],
  volume: [
    ['path', { d: 'M4 9.5v5h4l5 4.5v-14L8 9.5z', fill: 'currentColor' }],
    ['path', { d: 'M16.5 8.5a5 5 0 0 1 0 7' }], ['path', { d: 'M19 6a8.5 8.5 0 0 1 0 12' }],
  ],
  'volume-low': [['path', { d: 'M4 9.5v5h4l5 4.5v-14L8 9.5z', fill: 'currentColor' }], ['path', { d: 'M16.5 8.5a5 5 0 0 1 0 7' }]],
  'volume-off': [
    ['path', { d: 'M4 9.5v5h4l5 4.5v-14L8 9.5z', fill: 'currentColor' }],
    ['path', { d: 'm16.5 9.5 5 5' }], ['path', { d: 'm21.5 9.5-5 5' }],
  ],
  maximize: [['path', { d: 'M4 9V4h5' }], ['path', { d: 'M20 9V4h-5' }], ['path', { d: 'M4 15v5h5' }], ['path', { d: 'M20 15v5h-5' }]],
  minimize: [['path', { d: 'M9 4v5H4' }], ['path', { d: 'M15 4v5h5' }], ['path', { d: 'M9 20v-5H4' }], ['path', { d: 'M15 20v-5h5' }]],
  pip: [['rect', { x: 3, y: 5, width: 18, height: 14, rx: 2 }], ['rect', { x: 12, y: 11.5, width: 6.5, height: 5, rx: 1, ...SOLID }]],
  gear: [
    ['circle', { cx: 12, cy: 12, r: 3 }],
    ['path', { d: 'M19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z' }],
  ],
  'list-plus': [['path', { d: 'M3 6h13' }], ['path', { d: 'M3 12h9' }], ['path', { d: 'M3 18h7' }], ['path', { d: 'M18 13v8' }], ['path', { d: 'M14 17h8' }]],
  pause: [['path', { d: 'M9 5v14' }], ['path', { d: 'M15 5v14' }]],
  resume: [['path', { d: 'M7 5v14l12-7z' }]],
  'file-video': [
    ['path', { d: 'M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z' }], ['path', { d: 'M14 3v5h5' }],
    ['path', { d: 'M10 11.5v5l4-2.5z', fill: 'currentColor' }],
  ],
  'cloud-upload': [
    ['path', { d: 'M7 18a5 5 0 0 1-.9-9.9A6 6 0 0 1 17.7 9 4.5 4.5 0 0 1 17.5 18' }],
    ['path', { d: 'M12 12v9' }], ['path', { d: 'm8.5 15.5 3.5-3.5 3.5 3.5' }],
  ],
  'skip-back': [['path', { d: 'M3 12a9 9 0 1 0 3-6.7' }], ['path', { d: 'M3 4v5h5' }]],
  'skip-forward': [['path', { d: 'M21 12a9 9 0 1 1-3-6.7' }], ['path', { d: 'M21 4v5h-5' }]],
  calendar: [['rect', { x: 3, y: 5, width: 18, height: 16, rx: 2 }], ['path', { d: 'M3 10h18' }], ['path', { d: 'M8 3v4' }], ['path', { d: 'M16 3v4' }]],
  // --- manage: playlists, notifications, admin ---
  grip: [
    ['circle', { cx: 9, cy: 6, r: 1.3, ...DOT }], ['circle', { cx: 15, cy: 6, r: 1.3, ...DOT }],
    ['circle', { cx: 9, cy: 12, r: 1.3, ...DOT }], ['circle', { cx: 15, cy: 12, r: 1.3, ...DOT }],
    ['circle', { cx: 9, cy: 18, r: 1.3, ...DOT }], ['circle', { cx: 15, cy: 18, r: 1.3, ...DOT }],
  ],
  'arrow-up': [['path', { d: 'M12 19V5' }], ['path', { d: 'm5 12 7-7 7 7' }]],
  'arrow-down': [['path', { d: 'M12 5v14' }], ['path', { d: 'm19 12-7 7-7-7' }]],
  'chevron-up': [['path', { d: 'm6 15 6-6 6 6' }]],
  'chevron-down': [['path', { d: 'm6 9 6 6 6-6' }]],
  'chevron-right': [['path', { d: 'm9 6 6 6-6 6' }]],
  'chevron-left': [['path', { d: 'm15 6-6 6 6 6' }]],
  trash: [
    ['path', { d: 'M4 7h16' }], ['path', { d: 'M10 11v6' }], ['path', { d: 'M14 11v6' }],
    ['path', { d: 'M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12' }], ['path', { d: 'M9 7V4h6v3' }],
  ],
  edit: [['path', { d: 'M4 20h4L19 9a2.8 2.8 0 0 0-4-4L4 16z' }], ['path', { d: 'm13.5 6.5 4 4' }]],
  plus: [['path', { d: 'M12 5v14' }], ['path', { d: 'M5 12h14' }]],
  minus: [['path', { d: 'M5 12h14' }]],
  copy: [['rect', { x: 9, y: 9, width: 11, height: 11, rx: 2 }], ['path', { d: 'M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1' }]],
  image: [
    ['rect', { x: 3, y: 4, width: 18, height: 16, rx: 2 }], ['circle', { cx: 8.5, cy: 9.5, r: 1.5 }],
    ['path', { d: 'm21 16-5-5-9 9' }],
  ],
  link: [
    ['path', { d: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1' }],
    ['path', { d: 'M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1' }],
  ],
  ban: [['circle', { cx: 12, cy: 12, r: 9 }], ['path', { d: 'm5.6 5.6 12.8 12.8' }]],
  'user-check': [
    ['circle', { cx: 9, cy: 8, r: 4 }], ['path', { d: 'M2 21v-1a6 6 0 0 1 6-6h2' }], ['path', { d: 'm15 19 2 2 4-4' }],
  ],
  'user-plus': [
    ['circle', { cx: 9, cy: 8, r: 4 }], ['path', { d: 'M2 21v-1a6 6 0 0 1 6-6h2' }], ['path', { d: 'M19 14v6' }], ['path', { d: 'M16 17h6' }],
  ],
  key: [['circle', { cx: 7.5, cy: 15.5, r: 4.5 }], ['path', { d: 'm10.7 12.3 9.3-9.3' }], ['path', { d: 'm16 7 3 3' }], ['path', { d: 'm14 9 2 2' }]],
  cpu: [
    ['rect', { x: 6, y: 6, width: 12, height: 12, rx: 2 }], ['rect', { x: 9.5, y: 9.5, width: 5, height: 5, rx: 0.5 }],
    ['path', { d: 'M9 2v4M15 2v4M9 18v4M15 18v4M2 9h4M2 15h4M18 9h4M18 15h4' }],
  ],
  gauge: [['path', { d: 'M4.5 18a9 9 0 1 1 15 0' }], ['path', { d: 'm12 14 4-5' }], ['circle', { cx: 12, cy: 14, r: 1.2 }]],
  database: [
    ['ellipse', { cx: 12, cy: 5.5, rx: 8, ry: 3 }], ['path', { d: 'M4 5.5v13c0 1.7 3.6 3 8 3s8-1.3 8-3v-13' }],
    ['path', { d: 'M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3' }],
  ],
  layers: [['path', { d: 'm12 3 9 5-9 5-9-5z' }], ['path', { d: 'm3 13 9 5 9-5' }]],
  'check-all': [['path', { d: 'm2 12.5 4 4 8-9' }], ['path', { d: 'm11 16 1 .5 8-9' }]],
  message: [['path', { d: 'M4 5h16v11H9l-5 4z' }]],
  reply: [['path', { d: 'M9 8 4 13l5 5' }], ['path', { d: 'M4 13h10a6 6 0 0 1 6 6v1' }]],
  'film-check': [['rect', { x: 3, y: 4, width: 18, height: 16, rx: 2 }], ['path', { d: 'm8.5 12 2.5 2.5 4.5-5' }]],
  'film-alert': [['rect', { x: 3, y: 4, width: 18, height: 16, rx: 2 }], ['path', { d: 'M12 8v5' }], ['path', { d: 'M12 16.5v.01' }]],
  'external': [['path', { d: 'M14 4h6v6' }], ['path', { d: 'm20 4-9 9' }], ['path', { d: 'M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5' }]],
  shuffle: [['path', { d: 'M16 4h4v4' }], ['path', { d: 'M4 20 20 4' }], ['path', { d: 'M16 20h4v-4' }], ['path', { d: 'm15 15 5 5' }], ['path', { d: 'M4 4l5 5' }]],
  folder: [['path', { d: 'M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z' }]],
  send: [['path', { d: 'M21 3 10 14' }], ['path', { d: 'm21 3-7 18-4-7-7-4z' }]],
  hourglass: [['path', { d: 'M6 3h12M6 21h12' }], ['path', { d: 'M7 3c0 5 10 5 10 9s-10 4-10 9' }], ['path', { d: 'M17 3c0 5-10 5-10 9s10 4 10 9' }]],
  tag: [['path', { d: 'M3 12V4a1 1 0 0 1 1-1h8l9 9-9 9z' }], ['circle', { cx: 8, cy: 8, r: 1.3 }]],
  sliders: [
    ['path', { d: 'M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1' }],
    ['circle', { cx: 15, cy: 6, r: 2 }], ['circle', { cx: 9, cy: 12, r: 2 }], ['circle', { cx: 17, cy: 18, r: 2 }],
  ],
  'bell-off': [
    ['path', { d: 'M8.7 3.8A6 6 0 0 1 18 9c0 3.4.8 5.4 1.6 6.6' }], ['path', { d: 'M17 17H4s2-1.5 2-8' }],
    ['path', { d: 'M10 21h4' }], ['path', { d: 'm3 3 18 18' }],
  ],
  inbox: [['path', { d: 'M3 13h5l1.5 3h5l1.5-3h5' }], ['path', { d: 'M5.5 5h13L21 13v5a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-5z' }]],
};

export function inlineIcon(name, className = '') {
  const shapes = SHAPES[name];
  if (!shapes) return icon(name, className);
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', ['icon', className].filter(Boolean).join(' '));
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const group = document.createElementNS(SVG_NS, 'g');
  for (const [key, value] of Object.entries({
    fill: 'none', stroke: 'currentColor', 'stroke-width': '2', 'stroke-linecap': 'round', 'stroke-linejoin': 'round',
  })) group.setAttribute(key, value);
  for (const [tag, attrs] of shapes) {
    const shape = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attrs)) shape.setAttribute(key, String(value));
    group.append(shape);
  }
  svg.append(group);
  return svg;
}

export const mediaIcon = inlineIcon;
export const mIcon = inlineIcon;

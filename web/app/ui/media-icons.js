/**
 * Icons of the upload, "My videos" and watch pages (the player's controls among them), drawn like
 * the shared sprite (/icons.svg: 24 px grid, 2 px round strokes, currentColor) but built as inline
 * SVG through the DOM, which a strict CSP allows, so the shared sprite stays untouched.
 *
 *   mediaIcon('pause')            // <svg class="icon" aria-hidden="true">…</svg>
 *   mediaIcon('trash', 'x-y')     // extra class
 *
 * Names not defined here fall back to the sprite (`icon(name)` of dom.js).
 */
import { icon } from './dom.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

// Each icon: a list of [tag, attributes]; `fill: 'currentColor'` makes a solid shape.
const SOLID = { fill: 'currentColor', stroke: 'none' };
const SHAPES = {
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
  trash: [
    ['path', { d: 'M4 7h16' }], ['path', { d: 'M10 11v6' }], ['path', { d: 'M14 11v6' }],
    ['path', { d: 'M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12' }], ['path', { d: 'M9 7V4h6v3' }],
  ],
  edit: [['path', { d: 'M4 20h4L19 9a2.8 2.8 0 0 0-4-4L4 16z' }], ['path', { d: 'm13.5 6.5 4 4' }]],
  reply: [['path', { d: 'M9 8 4 13l5 5' }], ['path', { d: 'M4 13h10a6 6 0 0 1 6 6v1' }]],
  plus: [['path', { d: 'M12 5v14' }], ['path', { d: 'M5 12h14' }]],
  message: [['path', { d: 'M4 5h16v11H9l-5 4z' }]],
  'list-plus': [['path', { d: 'M3 6h13' }], ['path', { d: 'M3 12h9' }], ['path', { d: 'M3 18h7' }], ['path', { d: 'M18 13v8' }], ['path', { d: 'M14 17h8' }]],
  link: [
    ['path', { d: 'M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1' }],
    ['path', { d: 'M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1' }],
  ],
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
  hourglass: [['path', { d: 'M6 3h12M6 21h12' }], ['path', { d: 'M7 3c0 5 10 5 10 9s-10 4-10 9' }], ['path', { d: 'M17 3c0 5-10 5-10 9s10 4 10 9' }]],
  gauge: [['path', { d: 'M4.5 18a9 9 0 1 1 15 0' }], ['path', { d: 'm12 14 4-5' }], ['circle', { cx: 12, cy: 14, r: 1.2 }]],
  'chevron-down': [['path', { d: 'm6 9 6 6 6-6' }]],
  'chevron-right': [['path', { d: 'm9 6 6 6-6 6' }]],
  'skip-back': [['path', { d: 'M3 12a9 9 0 1 0 3-6.7' }], ['path', { d: 'M3 4v5h5' }]],
  'skip-forward': [['path', { d: 'M21 12a9 9 0 1 1-3-6.7' }], ['path', { d: 'M21 4v5h-5' }]],
  tag: [['path', { d: 'M3 12V4a1 1 0 0 1 1-1h8l9 9-9 9z' }], ['circle', { cx: 8, cy: 8, r: 1.3 }]],
  calendar: [['rect', { x: 3, y: 5, width: 18, height: 16, rx: 2 }], ['path', { d: 'M3 10h18' }], ['path', { d: 'M8 3v4' }], ['path', { d: 'M16 3v4' }]],
};

export function mediaIcon(name, className = '') {
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

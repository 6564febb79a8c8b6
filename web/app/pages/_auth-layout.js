/**
 * The shared frame of the account pages (sign in, register, forgot/reset password):
 * brand mark, <h1>, lead text, a panel, and an aside under it.
 */
import { append, h } from '../ui/dom.js';
import { page } from '../ui/page.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

function brandMark() {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'auth__mark');
  svg.setAttribute('viewBox', '0 0 32 32');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const use = document.createElementNS(SVG_NS, 'use');
  use.setAttribute('href', '/icons.svg#logo');
  svg.append(use);
  return svg;
}

export function authLayout({ title, lead, panel, aside, badge }) {
  const root = page({ width: 'narrow', className: 'page--center' },
    h('div', { class: 'auth' },
      h('div', { class: 'auth__intro' },
        brandMark(),
        h('h1', { class: 'auth__title' }, title),
        lead && h('p', { class: 'auth__lead' }, lead),
        badge,
      ),
      h('div', { class: ['panel', 'auth__panel'] }, panel),
      aside && append(h('div', { class: 'auth__aside' }), [aside]),
    ));
  return root;
}

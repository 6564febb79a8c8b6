/**
 * DOM building without innerHTML: text from the API is always a text node, never markup.
 *
 *   h('a', { href: '/u/ana', class: ['tile__link', active && 'is-active'], onClick: fn }, 'Ana')
 *   h('input', { type: 'email', required: true, value: 'x' })
 *   h('div', { dataset: { testid: 'x' }, style: { '--art': 'red' } }, child, [more, children], null)
 *   icon('search')                      // <svg class="icon" aria-hidden="true"><use href="/icons.svg#search"/></svg>
 *
 * Props: `class` (string or array, falsy entries dropped), `dataset`, `style` (object; set through
 * CSSOM, which a strict CSP allows), `on<Event>` (listeners, never inline handlers), `text`,
 * booleans (true → empty attribute, false/null/undefined → omitted), anything else → attribute.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  applyProps(el, props);
  append(el, children);
  return el;
}

function applyProps(el, props) {
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class' || key === 'className') {
      const names = (Array.isArray(value) ? value : [value]).filter(Boolean).join(' ');
      if (names) el.setAttribute('class', names);
    } else if (key === 'dataset') {
      for (const [name, data] of Object.entries(value)) {
        if (data !== undefined && data !== null && data !== false) el.dataset[name] = data === true ? '' : String(data);
      }
    } else if (key === 'style') {
      for (const [name, style] of Object.entries(value)) {
        if (style !== undefined && style !== null) el.style.setProperty(name, String(style));
      }
    } else if (key === 'text') {
      el.textContent = String(value);
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'value' && 'value' in el && el.tagName !== 'BUTTON') {
      el.value = String(value);
      el.setAttribute('value', String(value));
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
}

/** Appends children (nodes, strings, numbers, nested arrays; null/false skipped). */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === true) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** An icon from the sprite (/icons.svg), hidden from assistive technology. */
export function icon(name, className = '') {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', ['icon', className].filter(Boolean).join(' '));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const use = document.createElementNS(SVG_NS, 'use');
  use.setAttribute('href', `/icons.svg#${name}`);
  svg.append(use);
  return svg;
}

let counter = 0;
/** A unique id for label/aria wiring. */
export function uid(prefix = 'id') {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** A DocumentFragment of the given children. */
export function fragment(...children) {
  return append(document.createDocumentFragment(), children);
}

/** Debounces `fn` by `ms`; the returned function has `.cancel()`. */
export function debounce(fn, ms = 250) {
  let timer = 0;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}

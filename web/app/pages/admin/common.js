/**
 * Pieces shared by the admin sections (pages/admin/*.js).
 *
 *   dataTable({ label, columns: [{ label, className }], rows: [[cell, …]] })   // <table>; cards on phones
 *   cell(content, { label, className })         // a <td> whose data-label heads it in the phone layout
 *   badge(text, tone)                            // tone: success | danger | warning | neutral | accent
 *   panel({ title, description, id }, ...children)  // a card section with an <h2>
 *   rowError(container, message)                 // an error line (role=alert) inside a row, next to its buttons
 *   busy(button, promiseFactory)                 // disables + aria-busy while the promise runs
 */
import { h, uid } from '../../ui/dom.js';

export function cell(content, { label, className, header = false } = {}) {
  return h(header ? 'th' : 'td', { class: className, dataset: { label }, scope: header ? 'row' : undefined }, content);
}

export function dataTable({ label, columns, rows, className, empty }) {
  const table = h('table', { class: ['data-table', className] },
    h('caption', { class: 'visually-hidden' }, label),
    h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col', class: column.className }, column.label)))),
    h('tbody', {}, rows),
  );
  if (!rows.length && empty) return empty;
  const frame = h('div', { class: 'data-table-frame' }, table);
  const wrap = h('div', { class: 'data-table-wrap' }, frame);
  fitOrCards(wrap, frame);
  return wrap;
}

/**
 * A table where it fits, cards where it does not: measured, not guessed from the viewport (the same
 * table is narrow next to the desktop sidebar and roomy on a tablet without it). ResizeObserver
 * runs after layout and before paint, so the switch never shows.
 */
function fitOrCards(wrap, frame) {
  if (!('ResizeObserver' in globalThis)) {
    wrap.classList.toggle('is-cards', matchMedia('(max-width: 759.98px)').matches);
    return;
  }
  let needed = 0; // the width the table needed when it last did not fit
  const check = () => {
    if (!wrap.isConnected) return;
    if (!wrap.classList.contains('is-cards')) {
      if (frame.scrollWidth > frame.clientWidth + 1) {
        needed = frame.scrollWidth;
        wrap.classList.add('is-cards');
      }
    } else if (wrap.clientWidth >= needed) {
      wrap.classList.remove('is-cards');
      if (frame.scrollWidth > frame.clientWidth + 1) wrap.classList.add('is-cards'); // still too narrow
    }
  };
  new ResizeObserver(check).observe(wrap);
}

/** A <tr> from cells, each labelled with its column for the phone layout. */
export function tableRow(columns, cells, props = {}) {
  return h('tr', props, cells.map((content, index) => {
    if (content instanceof HTMLTableCellElement) {
      if (!content.dataset.label) content.dataset.label = columns[index]?.label ?? '';
      return content;
    }
    return cell(content, { label: columns[index]?.label, className: columns[index]?.className });
  }));
}

export function badge(text, tone = 'neutral') {
  return h('span', { class: ['status-badge', `status-badge--${tone}`] }, text);
}

export function panel({ title, description, id = uid('panel'), className, headingLevel = 'h2', actions } = {}, ...children) {
  const titleId = `${id}-title`;
  return h('section', { class: ['panel', 'admin-panel', className], 'aria-labelledby': titleId, id },
    h('div', { class: 'admin-panel__header' },
      h('div', { class: 'admin-panel__heading' },
        h(headingLevel, { class: 'admin-panel__title', id: titleId }, title),
        description && h('p', { class: 'admin-panel__description' }, description)),
      actions && h('div', { class: 'toolbar__group' }, actions)),
    children,
  );
}

export function rowError(container, message) {
  let line = container.querySelector(':scope > .row-error');
  if (!message) {
    line?.remove();
    return;
  }
  if (!line) {
    line = h('p', { class: 'field__error row-error', role: 'alert' });
    container.append(line);
  }
  line.textContent = message;
}

export async function busy(button, run) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await run();
  } finally {
    if (button.isConnected) {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }
}

/** Turns "a b" of an error into sentence case with a full stop (API details are short phrases). */
export function describeError(error) {
  return error?.message || 'Something went wrong. Please try again.';
}

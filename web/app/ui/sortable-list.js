/**
 * A reorderable list: drag and drop with a mouse (HTML5 DnD from the grip handle), with a finger
 * (pointer events on the handle), and with the keyboard, every move announced in a live region.
 *
 *   const list = sortableList({
 *     items, getKey: (entry) => entry.video_id, getLabel: (entry) => entry.video.title,
 *     renderBody: (entry) => node,                 // the row's content (links, text)
 *     renderActions: (entry) => [nodes],           // extra buttons after Move up / Move down
 *     onUpdate: (entry, li, index, count) => {},   // after every reorder (e.g. refresh hrefs)
 *     onReorder: async (items) => {},              // persist; throw to put the last saved order back
 *     editable: true, label: 'Videos in this playlist', noun: 'video',
 *   });
 *   container.append(list.element);                // an alert area, the <ol>, the live region
 *   toolbar.append(list.status);                    // "Saving order…" / "Order saved"
 *   list.remove(key); list.items; list.flush()      // flush(): save now, resolves when saved
 *
 * Keyboard (the design):
 * - Alt+Up / Alt+Down anywhere in a row (its link, its buttons) moves the row by one; focus stays
 *   where it was, and "“Title” moved to position 3 of 5." is announced.
 * - The grip is a button: Enter or Space picks the row up (aria-pressed="true"); then Up/Down move
 *   it, Home/End send it to the top/bottom, Enter/Space drop it, Escape puts it back where it was.
 * - Every row also has visible "Move up" / "Move down" buttons (the only way on touch screens
 *   besides dragging the grip); at the ends the button is disabled and focus moves to its sibling.
 * Saving: moves are coalesced (350 ms) into one onReorder call with the whole order; requests are
 * serialised; a failure restores the last saved order and shows the error above the list.
 */
import { h, uid } from './dom.js';
import { mIcon } from './inline-icons.js';

const SAVE_DELAY_MS = 350;

export function sortableList({
  items = [], getKey, getLabel, renderBody, renderActions, onUpdate, onReorder,
  editable = true, label, noun = 'item',
}) {
  let order = [...items];
  let saved = [...items];
  const nodes = new Map(); // key → <li>
  const instructionsId = uid('sortable-help');
  const live = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'assertive', 'aria-atomic': 'true' });
  const alert = h('div', { class: 'alert alert--error sortable__error', role: 'alert', hidden: true });
  const status = h('p', { class: 'sortable__status', 'aria-hidden': 'true' });
  const list = h('ol', { class: ['sortable', editable && 'sortable--editable'], 'aria-label': label, role: 'list' });
  const instructions = editable && h('p', { class: 'visually-hidden', id: instructionsId },
    'To reorder, press Alt with the up or down arrow key, or press Enter on the grip to pick the row up, ' +
    'move it with the arrow keys and press Enter to drop it. Escape cancels.');
  const element = h('div', { class: 'sortable-wrap' }, alert, instructions, list, live);

  const keyOf = (item) => String(getKey(item));
  const labelOf = (item) => getLabel(item);
  const indexOfKey = (key) => order.findIndex((item) => keyOf(item) === key);

  // --- announcements and status ---
  let announceTimer = 0;
  function announce(text) {
    clearTimeout(announceTimer);
    live.textContent = '';
    // A fresh text node a tick later, so the same sentence twice is announced twice.
    announceTimer = setTimeout(() => { live.textContent = text; }, 40);
  }
  function setStatus(text, tone = '') {
    status.textContent = text;
    status.dataset.tone = tone;
  }
  function showError(message) {
    alert.replaceChildren();
    if (!message) {
      alert.hidden = true;
      return;
    }
    alert.append(mIcon('alert'), h('div', { class: 'alert__body' }, h('p', {}, message)));
    alert.hidden = false;
  }

  // --- rows ---
  function buildRow(item) {
    const key = keyOf(item);
    const title = labelOf(item);
    const li = h('li', { class: 'sortable__item', dataset: { key } });
    const position = h('span', { class: 'sortable__position', 'aria-hidden': 'true' });
    const body = h('div', { class: 'sortable__body' }, renderBody(item));
    if (!editable) {
      li.append(position, body, h('div', { class: 'sortable__actions' }, renderActions?.(item)));
      return li;
    }
    const handle = h('button', {
      class: 'sortable__handle',
      type: 'button',
      draggable: 'true',
      'aria-pressed': 'false',
      'aria-describedby': instructionsId,
      dataset: { role: 'grip' },
    }, mIcon('grip'));
    const up = h('button', { class: 'icon-button sortable__move', type: 'button', dataset: { move: 'up' } }, mIcon('arrow-up'));
    const down = h('button', { class: 'icon-button sortable__move', type: 'button', dataset: { move: 'down' } }, mIcon('arrow-down'));
    up.addEventListener('click', () => moveKey(key, -1, { focus: up, sibling: down }));
    down.addEventListener('click', () => moveKey(key, +1, { focus: down, sibling: up }));
    li.append(handle, position, body, h('div', { class: 'sortable__actions' }, up, down, renderActions?.(item)));
    wireHandle(li, handle, key);
    li.addEventListener('keydown', (event) => {
      if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
      event.preventDefault();
      moveKey(key, event.key === 'ArrowUp' ? -1 : +1, { focus: document.activeElement });
    });
    li._parts = { handle, up, down, title };
    return li;
  }

  /** Puts the rows in `order` into the list (moving existing nodes) and refreshes their labels. */
  let moving = false; // rows are being re-inserted: a blur then is not the user leaving
  function render({ animate = false } = {}) {
    const before = animate ? snapshotRects() : null;
    const focused = document.activeElement;
    const count = order.length;
    moving = true;
    order.forEach((item, index) => {
      const key = keyOf(item);
      let li = nodes.get(key);
      if (!li) {
        li = buildRow(item);
        nodes.set(key, li);
      }
      if (list.children[index] !== li) list.insertBefore(li, list.children[index] ?? null);
      li.querySelector('.sortable__position').textContent = String(index + 1);
      if (li._parts) {
        const { handle, up, down, title } = li._parts;
        handle.setAttribute('aria-label', `Reorder “${title}”, position ${index + 1} of ${count}`);
        up.setAttribute('aria-label', `Move “${title}” up`);
        down.setAttribute('aria-label', `Move “${title}” down`);
        up.disabled = index === 0;
        down.disabled = index === count - 1;
      }
      onUpdate?.(item, li, index, count);
    });
    // Rows no longer in the order.
    for (const [key, li] of nodes) {
      if (indexOfKey(key) === -1) {
        li.remove();
        nodes.delete(key);
      }
    }
    if (focused instanceof HTMLElement && focused !== document.activeElement && list.contains(focused)) {
      focused.focus({ preventScroll: false });
    }
    moving = false;
    if (before) playFlip(before);
  }

  function snapshotRects() {
    const rects = new Map();
    for (const [key, li] of nodes) rects.set(key, li.getBoundingClientRect().top);
    return rects;
  }

  function playFlip(before) {
    if (matchMedia('(prefers-reduced-motion: reduce)').matches || typeof Element.prototype.animate !== 'function') return;
    for (const [key, li] of nodes) {
      const top = before.get(key);
      if (top === undefined) continue;
      const delta = top - li.getBoundingClientRect().top;
      if (Math.abs(delta) < 1) continue;
      li.animate([{ transform: `translateY(${delta}px)` }, { transform: 'translateY(0)' }],
        { duration: 180, easing: 'cubic-bezier(0.2, 0.8, 0.2, 1)' });
    }
  }

  // --- moving ---
  function moveTo(key, target, { focus, sibling, quiet = false } = {}) {
    const from = indexOfKey(key);
    if (from === -1) return false;
    const to = Math.max(0, Math.min(order.length - 1, target));
    if (to === from) {
      if (!quiet) announce(`“${labelOf(order[from])}” is already ${from === 0 ? 'first' : 'last'}.`);
      return false;
    }
    const [item] = order.splice(from, 1);
    order.splice(to, 0, item);
    render({ animate: true });
    if (focus instanceof HTMLElement) {
      if (focus.disabled && sibling) sibling.focus();
      else focus.focus();
    }
    if (!quiet) announce(`“${labelOf(item)}” moved to position ${to + 1} of ${order.length}.`);
    scheduleSave();
    return true;
  }

  function moveKey(key, delta, options) {
    const from = indexOfKey(key);
    return moveTo(key, from + delta, options);
  }

  // --- saving ---
  let timer = 0;
  let saving = null;
  let again = false;
  let waiters = [];

  function scheduleSave() {
    if (!onReorder) return;
    clearTimeout(timer);
    setStatus('Saving order…', 'busy');
    showError('');
    timer = setTimeout(save, SAVE_DELAY_MS);
  }

  function sameOrder(a, b) {
    return a.length === b.length && a.every((item, i) => keyOf(item) === keyOf(b[i]));
  }

  async function save() {
    clearTimeout(timer);
    timer = 0;
    if (saving) {
      again = true;
      return saving;
    }
    if (sameOrder(order, saved)) {
      setStatus('Order saved', 'done');
      resolveWaiters(true);
      return null;
    }
    const snapshot = [...order];
    saving = (async () => {
      try {
        await onReorder(snapshot);
        saved = snapshot;
        // Saved only when nothing newer waits: another move may be queued (`again`) or still
        // in its coalescing delay (`timer`), and then "Order saved" would be untrue.
        if (!again && !timer) {
          setStatus('Order saved', 'done');
          resolveWaiters(true);
        }
      } catch (error) {
        again = false;
        // Put the last saved order back (rows removed since stay removed).
        order = saved.filter((s) => order.some((item) => keyOf(item) === keyOf(s)));
        render({ animate: true });
        const message = error?.message || 'Something went wrong.';
        showError(`Couldn't save the new order: ${message} The previous order is back.`);
        setStatus('');
        announce(`Couldn't save the new order. The previous order is back.`);
        resolveWaiters(false);
      } finally {
        saving = null;
        if (again) {
          again = false;
          save();
        }
      }
    })();
    return saving;
  }

  function resolveWaiters(ok) {
    const list = waiters;
    waiters = [];
    list.forEach((fn) => fn(ok));
  }

  // --- the grip: keyboard pick-up, HTML5 drag (mouse), pointer drag (touch) ---
  let grabbed = null; // { key, from }
  let dragKey = null;
  let dropIndex = -1;

  function setGrabbed(key) {
    if (grabbed) {
      const li = nodes.get(grabbed.key);
      li?.classList.remove('is-grabbed');
      li?._parts.handle.setAttribute('aria-pressed', 'false');
    }
    grabbed = key ? { key, from: indexOfKey(key) } : null;
    if (grabbed) {
      const li = nodes.get(key);
      li.classList.add('is-grabbed');
      li._parts.handle.setAttribute('aria-pressed', 'true');
    }
  }

  function wireHandle(li, handle, key) {
    handle.addEventListener('click', (event) => {
      // Keyboard activation only (Enter/Space give detail 0); a mouse click on the grip does nothing.
      if (event.detail !== 0) return;
      if (grabbed?.key === key) {
        setGrabbed(null);
        announce(`“${labelOf(order[indexOfKey(key)])}” dropped at position ${indexOfKey(key) + 1} of ${order.length}.`);
      } else {
        setGrabbed(key);
        announce(`“${labelOf(order[indexOfKey(key)])}” picked up, position ${indexOfKey(key) + 1} of ${order.length}. ` +
          'Use the up and down arrow keys to move it, Enter to drop it, Escape to cancel.');
      }
    });
    handle.addEventListener('keydown', (event) => {
      if (grabbed?.key !== key || event.altKey) return;
      const index = indexOfKey(key);
      let target = null;
      if (event.key === 'ArrowUp') target = index - 1;
      else if (event.key === 'ArrowDown') target = index + 1;
      else if (event.key === 'Home') target = 0;
      else if (event.key === 'End') target = order.length - 1;
      else if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        const from = grabbed.from;
        setGrabbed(null);
        if (from !== index) moveTo(key, from, { focus: handle, quiet: true });
        announce(`Move cancelled. “${labelOf(order[indexOfKey(key)])}” is back at position ${indexOfKey(key) + 1} of ${order.length}.`);
        return;
      } else if (event.key === 'Tab') {
        setGrabbed(null);
        return;
      }
      if (target === null) return;
      event.preventDefault();
      moveTo(key, target, { focus: handle });
    });
    handle.addEventListener('blur', () => {
      if (grabbed?.key === key && !moving) setGrabbed(null);
    });

    // Mouse: HTML5 drag and drop, started from the grip, showing the whole row.
    handle.addEventListener('dragstart', (event) => {
      dragKey = key;
      setGrabbed(null);
      try {
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData('text/plain', labelOf(order[indexOfKey(key)]));
        const box = li.getBoundingClientRect();
        event.dataTransfer.setDragImage(li, event.clientX - box.left, event.clientY - box.top);
      } catch {
        // a synthetic DataTransfer may refuse some of this; the drag still works
      }
      requestAnimationFrame(() => { if (dragKey === key) li.classList.add('is-dragging'); });
    });
    handle.addEventListener('dragend', () => endDrag());

    // Touch and pen: follow the finger from the grip.
    handle.addEventListener('pointerdown', (event) => {
      if (event.pointerType === 'mouse' || !event.isPrimary) return;
      event.preventDefault();
      const startY = event.clientY;
      handle.setPointerCapture(event.pointerId);
      dragKey = key;
      li.classList.add('is-lifted');
      const move = (e) => {
        li.style.setProperty('--lift-y', `${e.clientY - startY}px`);
        updateDropIndicator(e.clientY);
      };
      const finish = (e, commit) => {
        handle.removeEventListener('pointermove', move);
        handle.removeEventListener('pointerup', up);
        handle.removeEventListener('pointercancel', cancel);
        li.classList.remove('is-lifted');
        li.style.removeProperty('--lift-y');
        if (commit) dropAt(e.clientY);
        endDrag();
      };
      const up = (e) => finish(e, true);
      const cancel = (e) => finish(e, false);
      handle.addEventListener('pointermove', move);
      handle.addEventListener('pointerup', up);
      handle.addEventListener('pointercancel', cancel);
    });
  }

  /** Where a row dropped at viewport y would go, in the order without the dragged row. */
  function targetIndexAt(clientY) {
    const others = order.filter((item) => keyOf(item) !== dragKey);
    for (let i = 0; i < others.length; i++) {
      const box = nodes.get(keyOf(others[i])).getBoundingClientRect();
      if (clientY < box.top + box.height / 2) return i;
    }
    return others.length;
  }

  function clearIndicator() {
    for (const li of list.querySelectorAll('.is-drop-before, .is-drop-after')) {
      li.classList.remove('is-drop-before', 'is-drop-after');
    }
  }

  function updateDropIndicator(clientY) {
    dropIndex = targetIndexAt(clientY);
    clearIndicator();
    const others = order.filter((item) => keyOf(item) !== dragKey);
    if (!others.length) return;
    if (dropIndex < others.length) nodes.get(keyOf(others[dropIndex])).classList.add('is-drop-before');
    else nodes.get(keyOf(others[others.length - 1])).classList.add('is-drop-after');
  }

  function dropAt(clientY) {
    if (!dragKey) return;
    const target = targetIndexAt(clientY);
    const key = dragKey;
    clearIndicator();
    moveTo(key, target, { focus: nodes.get(key)?._parts.handle });
  }

  function endDrag() {
    const li = dragKey && nodes.get(dragKey);
    li?.classList.remove('is-dragging');
    dragKey = null;
    dropIndex = -1;
    clearIndicator();
  }

  if (editable) {
    list.addEventListener('dragover', (event) => {
      if (!dragKey) return; // only our own rows
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'move';
      updateDropIndicator(event.clientY);
    });
    list.addEventListener('dragleave', (event) => {
      if (!list.contains(event.relatedTarget)) clearIndicator();
    });
    list.addEventListener('drop', (event) => {
      if (!dragKey) return;
      event.preventDefault();
      dropAt(event.clientY);
    });
  }

  render();

  return {
    element,
    status,
    get items() { return [...order]; },
    /** Removes a row (after the caller deleted it through the API); saved order follows. */
    remove(key) {
      const k = String(key);
      order = order.filter((item) => keyOf(item) !== k);
      saved = saved.filter((item) => keyOf(item) !== k);
      render({ animate: true });
    },
    /** Appends rows (already saved, e.g. just added through the API). */
    append(newItems) {
      order = [...order, ...newItems];
      saved = [...saved, ...newItems];
      render();
    },
    /** Saves any pending move now; resolves true when the order is stored. */
    flush() {
      if (!timer && !saving) return Promise.resolve(sameOrder(order, saved));
      const done = new Promise((resolve) => waiters.push(resolve));
      save();
      return done;
    },
    focusRow(key) {
      nodes.get(String(key))?.querySelector('a, button')?.focus();
    },
  };
}

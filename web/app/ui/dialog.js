/**
 * Modal dialogs on the native <dialog> element (focus trap, Escape, inert page for free).
 *
 *   const ok = await confirmDialog({ title: 'Delete video?', message: 'This cannot be undone.',
 *                                    confirmLabel: 'Delete', danger: true });
 *   const value = await openDialog({ title: 'Rename', content: someForm, actions: [
 *     { label: 'Cancel', value: null }, { label: 'Save', value: 'save', variant: 'primary' } ] });
 *
 * `openDialog` resolves with the chosen action's `value` (null when dismissed with Escape, the
 * close button or a click on the backdrop). Content may contain a form: give its submit button
 * `value` and `formmethod="dialog"` to close with that value, or close yourself with `dialog.close(v)`
 * (the element is passed to `onOpen(dialog)`). Focus returns to the opener afterwards.
 */
import { h, icon, uid } from './dom.js';

export function openDialog({ title, content = null, actions = [{ label: 'Close', value: null }], onOpen, dismissible = true, className } = {}) {
  const titleId = uid('dialog-title');
  const opener = document.activeElement;
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: ['dialog', className], 'aria-labelledby': titleId });
    const form = h('form', { class: 'dialog__form', method: 'dialog' },
      h('div', { class: 'dialog__header' },
        h('h2', { class: 'dialog__title', id: titleId }, title),
        dismissible && h('button', { class: 'icon-button dialog__close', type: 'submit', value: '', 'aria-label': 'Close', formnovalidate: true }, icon('close')),
      ),
      content && h('div', { class: 'dialog__body' }, content),
      actions.length > 0 && h('div', { class: 'dialog__actions' },
        actions.map((action, index) => h('button', {
          class: ['button', action.variant && `button--${action.variant}`],
          type: 'submit',
          value: String(index),
          formnovalidate: action.value === null || undefined,
          autofocus: action.autofocus || undefined,
        }, action.label)),
      ),
    );
    dialog.append(form);

    let result = null;
    form.addEventListener('submit', (event) => {
      const index = event.submitter?.value;
      if (index !== undefined && index !== '') result = actions[Number(index)]?.value ?? null;
    });
    dialog.addEventListener('cancel', (event) => { if (!dismissible) event.preventDefault(); });
    dialog.addEventListener('click', (event) => {
      if (dismissible && event.target === dialog) dialog.close();
    });
    dialog.addEventListener('close', () => {
      const value = dialog.returnValue && !/^\d+$/.test(dialog.returnValue) ? dialog.returnValue : result;
      dialog.remove();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      resolve(value ?? null);
    }, { once: true });

    document.body.append(dialog);
    dialog.showModal();
    onOpen?.(dialog);
  });
}

export async function confirmDialog({ title, message = '', confirmLabel = 'Confirm', cancelLabel = 'Cancel', danger = false } = {}) {
  const value = await openDialog({
    title,
    content: message ? h('p', {}, message) : null,
    actions: [
      { label: cancelLabel, value: null, variant: 'ghost', autofocus: true },
      { label: confirmLabel, value: 'confirm', variant: danger ? 'danger' : 'primary' },
    ],
  });
  return value === 'confirm';
}

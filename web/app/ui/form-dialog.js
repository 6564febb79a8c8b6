/**
 * A modal dialog holding a real form (native <dialog>: focus trap, Escape, inert page), for
 * "create / rename / edit" tasks whose API errors must appear next to the field that caused them.
 * ui/dialog.js closes as soon as a button is pressed; this one stays open until `onSubmit`
 * succeeds, shows a 422 under the matching control (forms.js `handleSubmit`) and everything else in
 * the form's alert, and keeps Enter in a text field meaning "Save".
 *
 *   const playlist = await formDialog({
 *     title: 'New playlist',
 *     fields: [field({ label: 'Name', name: 'name', required: true })],
 *     submitLabel: 'Create',
 *     onSubmit: async (values) => api.post('/api/playlists/', values),   // its result closes the dialog
 *   });                                                                   // null when dismissed
 *
 * `onSubmit(values, { form, dialog })` may throw an ApiError (shown, dialog stays open) or return
 * `undefined` to stay open (e.g. after showing its own field error). `validate(values)` and `fieldMap`
 * are passed to handleSubmit. `onOpen(dialog, form)` runs after it is shown. Focus goes to the first
 * field (or `initialFocus`), and back to the opener afterwards.
 */
import { h, icon, uid } from './dom.js';
import { formAlert, handleSubmit } from './forms.js';

export function formDialog({
  title, description, fields = [], submitLabel = 'Save', submitVariant = 'primary', cancelLabel = 'Cancel',
  onSubmit, validate, fieldMap, onOpen, className, initialFocus, wide = false,
} = {}) {
  const titleId = uid('dialog-title');
  const descriptionId = description ? uid('dialog-description') : null;
  const opener = document.activeElement;

  return new Promise((resolve) => {
    let result = null;
    const dialog = h('dialog', {
      class: ['dialog', 'form-dialog', wide && 'form-dialog--wide', className],
      'aria-labelledby': titleId,
      'aria-describedby': descriptionId,
    });
    const close = () => dialog.close();
    const submit = h('button', { class: ['button', `button--${submitVariant}`], type: 'submit' }, submitLabel);
    const form = h('form', { class: 'form form-dialog__form', novalidate: true },
      formAlert(),
      fields,
      h('div', { class: 'dialog__actions' },
        h('button', { class: 'button button--ghost', type: 'button', onClick: close }, cancelLabel),
        submit),
    );
    dialog.append(h('div', { class: 'dialog__form' },
      h('div', { class: 'dialog__header' },
        h('h2', { class: 'dialog__title', id: titleId }, title),
        h('button', { class: 'icon-button dialog__close', type: 'button', 'aria-label': 'Close', onClick: close }, icon('close'))),
      description && h('p', { class: 'dialog__body', id: descriptionId }, description),
      form,
    ));

    handleSubmit(form, async (values) => {
      const answer = await onSubmit?.(values, { form, dialog });
      if (answer !== undefined) {
        result = answer;
        close();
      }
    }, { validate, fieldMap });

    // Not while a request is under way: its answer would land nowhere.
    dialog.addEventListener('cancel', (event) => {
      if (form.getAttribute('aria-busy') === 'true') event.preventDefault();
    });
    dialog.addEventListener('click', (event) => {
      if (event.target === dialog && form.getAttribute('aria-busy') !== 'true') close();
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      resolve(result);
    }, { once: true });

    document.body.append(dialog);
    dialog.showModal();
    const first = initialFocus
      ? form.querySelector(initialFocus)
      : form.querySelector('input:not([type=hidden]):not([readonly]), select, textarea');
    first?.focus();
    onOpen?.(dialog, form);
  });
}

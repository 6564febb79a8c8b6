/**
 * Copying links: a read-only text field with a "Copy" button next to it, and a plain copy button.
 *
 *   copyField({ label: 'Invitation link', value: url, hint: '…' })   // labelled field + button
 *   copyButton(() => url, { label: 'Copy link', accessibleLabel: 'Copy the link for ana@example.com' })
 *   await copyText(text)   // true when it reached the clipboard
 *
 * The Clipboard API needs a secure context (https or localhost); elsewhere the text is selected and
 * copied with the legacy command, and the field stays there to copy by hand. The button says
 * "Copied" for a moment, and a polite live region announces it.
 */
import { h, uid } from './dom.js';
import { mIcon } from './inline-icons.js';
import { toast } from './toast.js';

export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the legacy way (permission refused, no focus, …)
  }
  const scratch = h('textarea', { class: 'visually-hidden', readonly: true, 'aria-hidden': 'true', tabindex: '-1' }, text);
  document.body.append(scratch);
  scratch.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch { ok = false; }
  scratch.remove();
  return ok;
}

export function copyButton(getText, { label = 'Copy', accessibleLabel, variant = 'ghost', small = false, className } = {}) {
  const text = h('span', {}, label);
  const button = h('button', {
    class: ['button', `button--${variant}`, small && 'button--sm', 'copy-button', className],
    type: 'button',
    'aria-label': accessibleLabel,
  }, mIcon('copy'), text);
  let timer = 0;
  button.addEventListener('click', async () => {
    const value = typeof getText === 'function' ? getText() : getText;
    const ok = await copyText(value);
    clearTimeout(timer);
    if (ok) {
      text.textContent = 'Copied';
      button.dataset.copied = '';
      toast('Copied to the clipboard.', { tone: 'success', timeout: 2500 });
      timer = setTimeout(() => {
        text.textContent = label;
        delete button.dataset.copied;
      }, 2000);
    } else {
      toast("Couldn't copy automatically. Select the text and copy it by hand.", { tone: 'error' });
    }
  });
  return button;
}

export function copyField({ label, value, hint, name = 'copy' }) {
  const id = uid(`copy-${name}`);
  const hintId = hint ? `${id}-hint` : null;
  const input = h('input', {
    class: 'input copy-field__input',
    id,
    name,
    type: 'text',
    readonly: true,
    value,
    spellcheck: 'false',
    'aria-describedby': hintId,
  });
  input.addEventListener('focus', () => input.select());
  return h('div', { class: 'field copy-field' },
    h('label', { class: 'field__label', for: id }, label),
    h('div', { class: 'copy-field__row' },
      input,
      copyButton(() => input.value, { label: 'Copy', accessibleLabel: `Copy ${label.toLowerCase()}`, variant: 'primary' })),
    hint && h('p', { class: 'field__hint', id: hintId }, hint),
  );
}

/**
 * A labelled on/off switch: a real checkbox with role="switch" (Space toggles it, screen readers say
 * "on"/"off"), its label, an optional hint and an error line tied with aria-describedby.
 *
 *   const sw = switchField({ label: 'Comments on my videos', name: 'new_comment', checked: true,
 *                            hint: 'Someone commented on a video of yours.', onChange: (on, sw) => {} });
 *   sw.element; sw.input; sw.setError('Could not save.'); sw.setStatus('Saved');
 */
import { h, uid } from './dom.js';

export function switchField({ label, name, checked = false, hint, disabled = false, onChange, testid } = {}) {
  const id = uid(`switch-${name}`);
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const statusId = `${id}-status`;
  const input = h('input', {
    class: 'switch',
    type: 'checkbox',
    role: 'switch',
    id,
    name,
    checked,
    disabled,
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' '),
    dataset: { testid },
  });
  const error = h('p', { class: 'field__error', id: errorId, role: 'alert' });
  const status = h('span', { class: 'switch-field__status', id: statusId, 'aria-hidden': 'true' });
  const element = h('div', { class: 'switch-field' },
    h('div', { class: 'switch-field__text' },
      h('div', { class: 'switch-field__label-row' },
        h('label', { class: 'switch-field__label', for: id }, label),
        status),
      hint && h('p', { class: 'field__hint', id: hintId }, hint),
      error),
    input,
  );
  const api = {
    element,
    input,
    get checked() { return input.checked; },
    set checked(value) { input.checked = Boolean(value); },
    setError(message) {
      error.textContent = message ?? '';
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    },
    /** A short visible note next to the label ("Saving…", "Saved"); not announced (pages announce once). */
    setStatus(text, tone = '') {
      status.textContent = text ?? '';
      status.dataset.tone = tone;
    },
  };
  input.addEventListener('change', () => onChange?.(input.checked, api));
  return api;
}

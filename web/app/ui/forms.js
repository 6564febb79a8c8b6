/**
 * Forms: labelled fields, client-side checks, and API errors shown next to the field that caused them.
 *
 *   const form = h('form', { class: 'form' },
 *     formAlert(),                                    // form-level errors (role=alert), hidden when empty
 *     field({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'email' }),
 *     passwordField({ label: 'Password', name: 'password', autocomplete: 'new-password', minlength: 8 }),
 *     submitButton('Create account'));
 *
 *   handleSubmit(form, async (values) => {
 *     await api.post('/api/auth/register', values);     // a 422 lands under the matching field by `name`
 *   }, {
 *     validate: (values) => values.password !== values.confirm ? { confirm: 'The passwords do not match.' } : null,
 *     fieldMap: { invitation_token: null },             // API field → control name (null: show at form level)
 *   });
 *
 * Every control gets a <label>, its hint and error are tied with aria-describedby, an invalid
 * control gets aria-invalid, and the first problem receives focus.
 */
import { ApiError, isAbortError } from '../api.js';
import { h, icon, uid } from './dom.js';

/**
 * A labelled control. Options: label, name, type ('text'), value, hint, required, autocomplete,
 * placeholder, minlength, maxlength, pattern, patternMessage, readonly, disabled, inputmode,
 * autofocus, autocapitalize, spellcheck, control ('input' | 'select' | 'textarea'),
 * options ([{ value, label }] for select), labelExtra (a node shown right of the label), id, testid.
 */
export function field(options) {
  const {
    label, name, type = 'text', value, hint, control = 'input', options: choices = [], labelExtra,
    patternMessage, testid, ...attrs
  } = options;
  const id = attrs.id ?? uid(`field-${name}`);
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  const common = {
    id,
    name,
    'aria-describedby': describedBy,
    dataset: { testid, patternMessage },
    ...attrs,
  };

  let input;
  if (control === 'select') {
    input = h('select', { class: 'select', ...common },
      choices.map((choice) => h('option', { value: choice.value, selected: String(choice.value) === String(value ?? '') }, choice.label)));
  } else if (control === 'textarea') {
    input = h('textarea', { class: 'textarea', ...common }, value ?? '');
  } else {
    input = h('input', { class: 'input', type, value, ...common });
  }

  return h('div', { class: 'field' },
    labelExtra
      ? h('div', { class: 'field__label-row' }, h('label', { class: 'field__label', for: id }, label), labelExtra)
      : h('label', { class: 'field__label', for: id }, label),
    input,
    hint && h('p', { class: 'field__hint', id: hintId }, hint),
    h('p', { class: 'field__error', id: errorId }),
  );
}

/** A password field with a Show/Hide toggle (a real button with aria-pressed). */
export function passwordField(options) {
  const wrapper = field({ type: 'password', autocapitalize: 'off', spellcheck: 'false', ...options });
  const input = wrapper.querySelector('input');
  const toggle = h('button', {
    class: 'password-toggle__button',
    type: 'button',
    'aria-pressed': 'false',
    'aria-controls': input.id,
    'aria-label': `Show ${options.label.toLowerCase()}`,
    onClick: () => {
      const show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      toggle.setAttribute('aria-pressed', String(show));
      toggle.textContent = show ? 'Hide' : 'Show';
    },
  }, 'Show');
  const box = h('div', { class: 'password-toggle' });
  input.replaceWith(box);
  box.append(input, toggle);
  return wrapper;
}

/** The form-level message area: empty (and hidden) until an error is shown. */
export function formAlert() {
  return h('div', { class: 'alert alert--error form-alert', role: 'alert', tabindex: '-1', hidden: true });
}

export function submitButton(label, { variant = 'primary', block = true } = {}) {
  return h('button', { class: ['button', `button--${variant}`, block && 'button--block'], type: 'submit' }, label);
}

/** The values of a form as a plain object (strings; the last value wins for repeated names). */
export function formValues(form) {
  return Object.fromEntries(new FormData(form).entries());
}

/** Shows `message` at form level (or hides the area when empty). */
export function setFormError(form, message) {
  const alert = form.querySelector('.form-alert');
  if (!alert) return;
  alert.replaceChildren();
  if (!message) {
    alert.hidden = true;
    return;
  }
  alert.append(icon('alert'), h('div', { class: 'alert__body' }, h('p', {}, message)));
  alert.hidden = false;
}

/** Marks control `name` invalid with `message` (or clears it when message is empty). Returns false if there is no such control. */
export function setFieldError(form, name, message) {
  const control = form.elements.namedItem(name);
  if (!control || !(control instanceof HTMLElement)) return false;
  const errorEl = document.getElementById(`${control.id}-error`);
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
  if (errorEl) errorEl.textContent = message ?? '';
  return true;
}

export function clearErrors(form) {
  setFormError(form, '');
  for (const control of form.querySelectorAll('[aria-invalid]')) setFieldError(form, control.name, '');
}

/**
 * Puts an ApiError's 422 field messages under their fields; the rest goes to the form-level alert.
 * `fieldMap` renames API fields to control names (null sends it to the form level).
 */
export function showApiError(form, error, { fieldMap = {} } = {}) {
  const leftovers = [];
  if (error instanceof ApiError && error.isValidation && Object.keys(error.fields).length) {
    for (const [apiField, message] of Object.entries(error.fields)) {
      const name = apiField in fieldMap ? fieldMap[apiField] : apiField;
      if (!name || !setFieldError(form, name, message)) leftovers.push(message);
    }
  } else {
    leftovers.push(error?.message || 'Something went wrong. Please try again.');
  }
  setFormError(form, leftovers.join(' '));
  focusFirstProblem(form);
}

function focusFirstProblem(form) {
  const invalid = form.querySelector('[aria-invalid="true"]');
  if (invalid) invalid.focus();
  else {
    const alert = form.querySelector('.form-alert:not([hidden])');
    if (alert) alert.focus();
  }
}

function messageForValidity(control) {
  const v = control.validity;
  if (v.valueMissing) return control.type === 'checkbox' ? 'Please tick this box.' : 'This field is required.';
  if (v.typeMismatch && control.type === 'email') return 'Enter a valid email address.';
  if (v.tooShort) return `Must be at least ${control.minLength} characters.`;
  if (v.tooLong) return `Must be at most ${control.maxLength} characters.`;
  if (v.patternMismatch) return control.dataset.patternMessage || 'Please match the requested format.';
  return control.validationMessage;
}

/** Checks the form's constraints (required, type, minlength, pattern, …) and `validate(values)`. */
export function validateForm(form, validate) {
  let ok = true;
  for (const control of form.elements) {
    if (!control.willValidate || control.checkValidity()) continue;
    setFieldError(form, control.name, messageForValidity(control));
    ok = false;
  }
  const custom = validate?.(formValues(form)) ?? null;
  for (const [name, message] of Object.entries(custom ?? {})) {
    if (!message) continue;
    if (!setFieldError(form, name, message)) setFormError(form, message);
    ok = false;
  }
  if (!ok) focusFirstProblem(form);
  return ok;
}

/**
 * Wires a form: client-side checks, a busy submit button, API errors next to their fields.
 * `onSubmit(values, { form, submitter })` may throw an ApiError; anything it returns is passed on.
 * Returns a function that removes the listener.
 */
export function handleSubmit(form, onSubmit, { validate, fieldMap } = {}) {
  form.noValidate = true;
  let busy = false;
  const listener = async (event) => {
    event.preventDefault();
    if (busy) return;
    clearErrors(form);
    if (!validateForm(form, validate)) return;
    const submitter = event.submitter ?? form.querySelector('[type="submit"]');
    busy = true;
    form.setAttribute('aria-busy', 'true');
    submitter?.setAttribute('aria-busy', 'true');
    if (submitter) submitter.disabled = true;
    try {
      await onSubmit(formValues(form), { form, submitter });
    } catch (error) {
      if (!isAbortError(error)) showApiError(form, error, { fieldMap });
    } finally {
      busy = false;
      form.removeAttribute('aria-busy');
      submitter?.removeAttribute('aria-busy');
      if (submitter) submitter.disabled = false;
    }
  };
  form.addEventListener('submit', listener);
  // Clear a field's error as soon as the user edits it.
  form.addEventListener('input', (event) => {
    const control = event.target;
    if (control?.name && control.getAttribute('aria-invalid') === 'true') setFieldError(form, control.name, '');
  });
  return () => form.removeEventListener('submit', listener);
}

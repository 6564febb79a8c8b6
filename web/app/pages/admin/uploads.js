/**
 * /admin/uploads: the upload limits and the storage folder (GET/PATCH /api/config/:
 * max_file_size_bytes 1 MB–10 GB, weekly_upload_limit_bytes 1 MB–100 GB, video_storage_path), and
 * resetting every user's weekly upload counter now (POST /api/videos/admin/quota/reset-all, confirmed).
 */
import { api, isAbortError } from '../../api.js';
import { confirmDialog } from '../../ui/dialog.js';
import { h, uid } from '../../ui/dom.js';
import { field, formAlert, handleSubmit, setFieldError } from '../../ui/forms.js';
import { formatBytes, formatDateTime, plural } from '../../ui/format.js';
import { mIcon } from '../../ui/inline-icons.js';
import { errorState } from '../../ui/page.js';
import { toast } from '../../ui/toast.js';
import { busy, panel } from './common.js';

const MB = 1024 ** 2;
const GB = 1024 ** 3;
const LIMITS = {
  max_file_size_bytes: { min: MB, max: 10 * GB, label: 'Largest file' },
  weekly_upload_limit_bytes: { min: MB, max: 100 * GB, label: 'Weekly allowance per person' },
};

/** A size control: a number and a unit (MB / GB); the API field name is on the number. */
function sizeField({ label, name, bytes, hint }) {
  const unit = bytes % GB === 0 ? GB : MB;
  const id = uid(`field-${name}`);
  const unitId = `${id}-unit`;
  const hintId = `${id}-hint`;
  const number = h('input', {
    class: 'input', id, name, type: 'number', min: '0.01', step: 'any', required: true, inputmode: 'decimal',
    value: String(Math.round((bytes / unit) * 100) / 100), 'aria-describedby': `${hintId} ${id}-error`,
  });
  const select = h('select', { class: 'select size-field__unit', id: unitId, name: `${name}_unit` },
    h('option', { value: String(MB), selected: unit === MB }, 'MB'),
    h('option', { value: String(GB), selected: unit === GB }, 'GB'));
  // Switching the unit keeps the size: 2 GB becomes 2048 MB.
  let lastUnit = unit;
  select.addEventListener('change', () => {
    const next = Number(select.value);
    if (number.value !== '') number.value = String(Math.round((Number(number.value) * lastUnit / next) * 100) / 100);
    lastUnit = next;
  });
  return h('div', { class: 'field size-field' },
    h('label', { class: 'field__label', for: id }, label),
    h('div', { class: 'size-field__row' }, number,
      h('label', { class: 'visually-hidden', for: unitId }, `${label} unit`), select),
    h('p', { class: 'field__hint', id: hintId }, hint),
    h('p', { class: 'field__error', id: `${id}-error` }));
}

function bytesOf(form, name) {
  const value = Number(form.elements.namedItem(name).value);
  const unit = Number(form.elements.namedItem(`${name}_unit`).value);
  return Math.round(value * unit);
}

export default async function render({ signal }) {
  let config;
  try {
    config = await api.get('/api/config/', { signal });
  } catch (error) {
    if (isAbortError(error)) throw error;
    return errorState(error, { title: "Couldn't load the settings", onRetry: () => location.reload() });
  }

  // --- limits and storage ---
  const saved = h('p', { class: 'admin-note', role: 'status' });
  const form = h('form', { class: 'form settings-form', 'aria-label': 'Upload limits' },
    formAlert(),
    h('div', { class: 'form-grid' },
      sizeField({ label: LIMITS.max_file_size_bytes.label, name: 'max_file_size_bytes', bytes: config.max_file_size_bytes, hint: 'Bigger files are refused at upload. Between 1 MB and 10 GB.' }),
      sizeField({ label: LIMITS.weekly_upload_limit_bytes.label, name: 'weekly_upload_limit_bytes', bytes: config.weekly_upload_limit_bytes, hint: 'How much each person may upload per week. Between 1 MB and 100 GB.' })),
    field({
      label: 'Storage folder', name: 'video_storage_path', value: config.video_storage_path, required: true, maxlength: 500,
      spellcheck: 'false', autocomplete: 'off', hint: 'Where new videos are written on the server. It must exist (or be creatable) and be writable.',
    }),
    h('div', { class: 'form__actions' }, h('button', { class: 'button button--primary', type: 'submit' }, 'Save limits'), saved),
  );
  handleSubmit(form, async () => {
    const body = {};
    const problems = {};
    for (const [name, limit] of Object.entries(LIMITS)) {
      const bytes = bytesOf(form, name);
      if (!(bytes >= limit.min && bytes <= limit.max)) problems[name] = `Must be between ${formatBytes(limit.min)} and ${formatBytes(limit.max)}.`;
      else if (bytes !== config[name]) body[name] = bytes;
    }
    for (const [name, message] of Object.entries(problems)) setFieldError(form, name, message);
    if (Object.keys(problems).length) {
      form.querySelector('[aria-invalid="true"]')?.focus();
      return;
    }
    const path = form.elements.video_storage_path.value.trim();
    if (path !== config.video_storage_path) body.video_storage_path = path;
    if (!Object.keys(body).length) {
      toast('There is nothing to save.');
      return;
    }
    try {
      config = await api.patch('/api/config/', body);
    } catch (error) {
      // "Invalid or unwritable storage path: …" belongs to that field.
      if (error.status === 400 && /storage path/i.test(error.message)) {
        setFieldError(form, 'video_storage_path', error.message);
        form.elements.video_storage_path.focus();
        return;
      }
      throw error;
    }
    saved.textContent = `Saved ${formatDateTime(config.updated_at)}.`;
    toast('Upload limits saved.', { tone: 'success' });
  });

  // --- quota reset ---
  const result = h('div', { class: 'quota-result', role: 'status' });
  const reset = h('button', { class: 'button button--danger', type: 'button' }, mIcon('refresh'), 'Reset all quotas');
  reset.addEventListener('click', async () => {
    result.replaceChildren();
    const ok = await confirmDialog({
      title: 'Reset every weekly quota now?',
      message: `Everyone's upload counter goes back to zero, so each person can upload ${formatBytes(config.weekly_upload_limit_bytes)} again this week. This cannot be undone.`,
      confirmLabel: 'Reset all quotas',
      danger: true,
    });
    if (!ok) return;
    try {
      const answer = await busy(reset, () => api.post('/api/videos/admin/quota/reset-all'));
      result.replaceChildren(h('div', { class: 'alert alert--success' }, mIcon('check'),
        h('div', { class: 'alert__body' }, h('p', {}, `Done: the weekly quota of ${plural(answer?.reset_count ?? 0, 'person', 'people')} starts again from zero.`))));
      toast(answer?.message ?? 'Quotas reset.', { tone: 'success' });
    } catch (error) {
      result.replaceChildren(h('div', { class: 'alert alert--error', role: 'alert' }, mIcon('alert'),
        h('div', { class: 'alert__body' }, h('p', {}, `Couldn't reset the quotas: ${error.message}`))));
    }
  });

  return h('div', { class: 'admin-stack' },
    panel({ title: 'Limits and storage', id: 'limits', description: 'Changes apply to the next upload.' }, form),
    panel({
      title: 'Weekly quotas', id: 'quotas',
      description: `Every person may upload ${formatBytes(config.weekly_upload_limit_bytes)} a week; the counters reset by themselves once a week. Deleting videos does not give space back.`,
    },
    h('div', { class: 'quota-reset' },
      h('p', {}, 'Reset every counter now, for example after raising the allowance or after a big event.'),
      reset),
    result),
  );
}


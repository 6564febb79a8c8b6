/**
 * /admin/transcoding: how uploads are converted (GET /api/config/, PATCH /api/config/ with only the
 * changed fields) and what this machine's ffmpeg offers (GET /api/config/encoders).
 *
 * A preset (quality / balanced / performance) fills its bundle of values in the form as soon as it is
 * picked (the API applies the same bundle when the mode is saved); changing one of those values by
 * hand switches the preset to "Custom". 422s land under the field of the same name.
 */
import { api, isAbortError } from '../../api.js';
import { session } from '../../session.js';
import { h, uid } from '../../ui/dom.js';
import { field, formAlert, handleSubmit, setFormError } from '../../ui/forms.js';
import { formatDateTime, formatRelative } from '../../ui/format.js';
import { mIcon } from '../../ui/inline-icons.js';
import { errorState } from '../../ui/page.js';
import { switchField } from '../../ui/switch.js';
import { toast } from '../../ui/toast.js';
import { badge, panel } from './common.js';

export const PRESETS = {
  quality: {
    label: 'Quality', text: 'Best picture, slowest processing, biggest files.',
    values: { nvenc_preset: 'p6', nvenc_cq: 16, nvenc_max_bitrate: '15M', nvenc_buffer_size: '30M', cpu_preset: 'slow', cpu_crf: 16, max_resolution: '4k', audio_bitrate: '256k' },
  },
  balanced: {
    label: 'Balanced', text: 'Great picture at a sensible speed. Recommended.',
    values: { nvenc_preset: 'p4', nvenc_cq: 18, nvenc_max_bitrate: '8M', nvenc_buffer_size: '16M', cpu_preset: 'medium', cpu_crf: 18, max_resolution: '1080p', audio_bitrate: '192k' },
  },
  performance: {
    label: 'Performance', text: 'Fastest processing and smaller files, a little softer.',
    values: { nvenc_preset: 'p2', nvenc_cq: 23, nvenc_max_bitrate: '5M', nvenc_buffer_size: '10M', cpu_preset: 'fast', cpu_crf: 23, max_resolution: '1080p', audio_bitrate: '128k' },
  },
  custom: { label: 'Custom', text: 'Set every value yourself below.', values: null },
};
const BUNDLE_KEYS = Object.keys(PRESETS.balanced.values);
const INTEGER_KEYS = ['gpu_device_id', 'nvenc_cq', 'cpu_crf'];
const ENCODERS = [
  { name: 'libx264', label: 'H.264 (x264)', kind: 'CPU' },
  { name: 'libx265', label: 'HEVC (x265)', kind: 'CPU' },
  { name: 'h264_nvenc', label: 'H.264 NVENC', kind: 'GPU' },
  { name: 'hevc_nvenc', label: 'HEVC NVENC', kind: 'GPU' },
  { name: 'av1_nvenc', label: 'AV1 NVENC', kind: 'GPU' },
];
const CPU_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'];
const RESOLUTIONS = [
  { value: '720p', label: '720p (HD)' }, { value: '1080p', label: '1080p (Full HD)' },
  { value: '1440p', label: '1440p (QHD)' }, { value: '4k', label: '2160p (4K)' },
];

function summary(values) {
  return `CRF ${values.cpu_crf} · ${values.cpu_preset} · up to ${values.max_resolution === '4k' ? '4K' : values.max_resolution} · ${values.audio_bitrate} audio`;
}

function presetCards(current) {
  const name = 'transcode_preset_mode';
  return h('fieldset', { class: 'choice-cards' },
    h('legend', { class: 'visually-hidden' }, 'Preset'),
    Object.entries(PRESETS).map(([value, preset]) => {
      const id = uid(`preset-${value}`);
      return h('div', { class: 'choice-card' },
        h('input', { class: 'choice-card__input', type: 'radio', name, id, value, checked: value === current }),
        h('label', { class: 'choice-card__label', for: id },
          h('span', { class: 'choice-card__title' }, preset.label),
          h('span', { class: 'choice-card__text' }, preset.text),
          preset.values && h('span', { class: 'choice-card__meta' }, summary(preset.values))));
    }));
}

function outputCards(current) {
  const name = 'video_output_format';
  const choices = [
    { value: 'hls', label: 'HLS (adaptive)', text: 'A ladder of qualities that adapts to each viewer\'s connection. Recommended.' },
    { value: 'progressive', label: 'Progressive MP4', text: 'One file per video. Simpler, but no quality switching.' },
  ];
  return h('fieldset', { class: 'choice-cards choice-cards--two' },
    h('legend', { class: 'field__label' }, 'Streaming format'),
    choices.map((choice) => {
      const id = uid(`format-${choice.value}`);
      return h('div', { class: 'choice-card' },
        h('input', { class: 'choice-card__input', type: 'radio', name, id, value: choice.value, checked: choice.value === current }),
        h('label', { class: 'choice-card__label', for: id },
          h('span', { class: 'choice-card__title' }, choice.label),
          h('span', { class: 'choice-card__text' }, choice.text)));
    }));
}

function encoderList(report) {
  const available = new Set(report?.encoders ?? []);
  return h('ul', { class: 'encoder-list', role: 'list', 'aria-label': 'Encoders in ffmpeg' },
    ENCODERS.map((encoder) => {
      const ok = available.has(encoder.name);
      return h('li', { class: ['encoder', ok ? 'is-available' : 'is-missing'] },
        ok ? mIcon('check') : mIcon('minus'),
        h('span', { class: 'encoder__name' }, encoder.label),
        h('span', { class: 'encoder__meta' }, `${encoder.kind} · ${ok ? 'available' : 'not available'}`),
        h('code', { class: 'encoder__id' }, encoder.name));
    }));
}

export default async function render({ signal }) {
  const holder = h('div', {});
  let config;
  let report = null;
  try {
    [config, report] = await Promise.all([
      api.get('/api/config/', { signal }),
      api.get('/api/config/encoders', { signal }).catch((error) => {
        if (isAbortError(error)) throw error;
        return { error };
      }),
    ]);
  } catch (error) {
    if (isAbortError(error)) throw error;
    return errorState(error, { onRetry: () => location.reload(), title: "Couldn't load the settings" });
  }

  const gpuUsable = !report?.error && report?.gpu_available;
  const lastChanged = h('p', { class: 'admin-note' });
  async function describeLastChange() {
    if (!config.updated_by) {
      lastChanged.textContent = `Defaults, never changed. Checked ${formatRelative(config.updated_at)}.`;
      return;
    }
    let who = config.updated_by === session.user?.id ? 'you' : 'another admin';
    if (config.updated_by !== session.user?.id) {
      try {
        const user = await api.get(`/api/users/${encodeURIComponent(config.updated_by)}`, { signal });
        who = user?.username ?? who;
      } catch { /* the name is a nicety */ }
    }
    lastChanged.textContent = `Last changed ${formatRelative(config.updated_at)} by ${who} (${formatDateTime(config.updated_at)}).`;
  }

  // --- the form ---
  const gpuSwitch = switchField({
    label: 'Transcode on the GPU (NVENC)',
    name: 'use_gpu_transcoding',
    checked: config.use_gpu_transcoding,
    disabled: !gpuUsable && !config.use_gpu_transcoding,
    hint: gpuUsable
      ? (report.gpu_name ? `Uses ${report.gpu_name}. Much faster; the CPU stays free.` : "ffmpeg has NVENC encoders, but no NVIDIA GPU answered (nvidia-smi). Turn this on only if a GPU is really there, or processing will fail.")
      : 'This machine\'s ffmpeg has no NVENC encoder, so videos are transcoded on the CPU.',
  });
  const num = (label, name, min, max, hint) => field({ label, name, type: 'number', value: config[name], min, max, step: 1, required: true, inputmode: 'numeric', hint });
  const text = (label, name, pattern, patternMessage, hint) => field({ label, name, value: config[name], required: true, pattern, patternMessage, hint, autocomplete: 'off', spellcheck: 'false' });
  const select = (label, name, options, hint) => field({ label, name, control: 'select', value: config[name], options, hint });

  const form = h('form', { class: 'form settings-form', 'aria-label': 'Transcoding settings' },
    formAlert(),
    panel({ title: 'Preset', id: 'preset', description: 'A starting point for picture quality against processing time. The values it sets are shown below.' },
      presetCards(config.transcode_preset_mode)),
    panel({ title: 'Encoder', id: 'encoder', description: 'What this machine\'s ffmpeg can encode with.' },
      report?.error
        ? h('p', { class: 'field__error', role: 'alert' }, `Couldn't detect the encoders: ${report.error.message}`)
        : h('div', { class: 'encoder-summary' },
          h('p', {}, report.gpu_available
            ? (report.gpu_name ? badge(`GPU: ${report.gpu_name}`, 'success') : badge('NVENC compiled in, no GPU detected', 'warning'))
            : badge('CPU only', 'neutral')),
          encoderList(report)),
      h('div', { class: 'form-grid' },
        gpuSwitch.element,
        num('GPU device', 'gpu_device_id', 0, 15, 'Which NVIDIA GPU to use when there are several (0 is the first).'))),
    panel({ title: 'Output', id: 'output', description: 'What every new upload is turned into.' },
      outputCards(config.video_output_format),
      h('div', { class: 'form-grid' },
        select('Highest resolution', 'max_resolution', RESOLUTIONS, 'Bigger sources are scaled down; smaller ones are never scaled up.'),
        text('Audio bitrate', 'audio_bitrate', '[0-9]+[kK]', 'Digits followed by k, like 192k.', 'AAC, e.g. 128k, 192k or 256k.'))),
    panel({ title: 'CPU encoder (x264)', id: 'cpu', description: 'Used whenever GPU transcoding is off.' },
      h('div', { class: 'form-grid' },
        select('Speed preset', 'cpu_preset', CPU_PRESETS.map((value) => ({ value, label: value })), 'Slower presets make smaller files at the same quality.'),
        num('Quality (CRF)', 'cpu_crf', 0, 51, '0–51; lower is better. 18 looks identical to the source for most people.'))),
    panel({ title: 'GPU encoder (NVENC)', id: 'nvenc', description: 'Used only when GPU transcoding is on.' },
      h('div', { class: 'form-grid' },
        select('Preset', 'nvenc_preset', ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'].map((value) => ({ value, label: `${value}${value === 'p1' ? ' (fastest)' : value === 'p7' ? ' (best quality)' : ''}` }))),
        num('Quality (CQ)', 'nvenc_cq', 0, 51, '0–51; lower is better.'),
        select('Rate control', 'nvenc_rate_control', [{ value: 'vbr', label: 'Variable bitrate (VBR)' }, { value: 'cbr', label: 'Constant bitrate (CBR)' }, { value: 'constqp', label: 'Constant QP' }]),
        text('Maximum bitrate', 'nvenc_max_bitrate', '[0-9]+[kKmMgG]?', 'Digits with an optional k, M or G, like 8M.', 'e.g. 8M'),
        text('Buffer size', 'nvenc_buffer_size', '[0-9]+[kKmMgG]?', 'Digits with an optional k, M or G, like 16M.', 'Usually twice the maximum bitrate.'))),
  );
  const dirtyNote = h('p', { class: 'save-bar__note', role: 'status' });
  const discard = h('button', { class: 'button button--ghost', type: 'button' }, 'Discard changes');
  const save = h('button', { class: 'button button--primary', type: 'submit' }, 'Save changes');
  // Buttons first (left): toasts appear at the bottom right and would cover them.
  const bar = h('div', { class: 'save-bar' }, h('div', { class: 'toolbar__group' }, save, discard), h('div', { class: 'save-bar__text' }, dirtyNote, lastChanged));
  form.append(bar);

  const control = (name) => form.elements.namedItem(name);

  function readValues() {
    const values = {};
    for (const key of Object.keys(config)) {
      if (['updated_at', 'updated_by', 'max_file_size_bytes', 'weekly_upload_limit_bytes', 'video_storage_path'].includes(key)) continue;
      const el = control(key);
      if (!el) continue;
      if (key === 'use_gpu_transcoding') values[key] = gpuSwitch.checked;
      else if (INTEGER_KEYS.includes(key)) values[key] = el.value === '' ? null : Number(el.value);
      else values[key] = el.value;
    }
    return values;
  }

  function changes() {
    const values = readValues();
    const diff = {};
    for (const [key, value] of Object.entries(values)) {
      const before = config[key];
      const same = typeof before === 'string' && typeof value === 'string' ? before.toLowerCase() === value.toLowerCase() : before === value;
      if (!same) diff[key] = value;
    }
    return diff;
  }

  function writeValues(values) {
    for (const [key, value] of Object.entries(values)) {
      if (key === 'use_gpu_transcoding') { gpuSwitch.checked = value; continue; }
      const el = control(key);
      if (!el) continue;
      if (el instanceof RadioNodeList) el.value = value;
      else el.value = String(value);
    }
  }

  function refreshDirty() {
    const count = Object.keys(changes()).length;
    dirtyNote.textContent = count ? `${count === 1 ? 'One unsaved change' : `${count} unsaved changes`}.` : 'All changes saved.';
    bar.classList.toggle('is-dirty', count > 0);
    discard.disabled = count === 0;
  }

  form.addEventListener('change', (event) => {
    const target = event.target;
    if (target.name === 'transcode_preset_mode') {
      const preset = PRESETS[target.value];
      if (preset?.values) writeValues(preset.values);
    } else if (BUNDLE_KEYS.includes(target.name)) {
      // A value of the bundle changed by hand: that is a custom setup now.
      const mode = control('transcode_preset_mode');
      const preset = PRESETS[mode.value];
      if (preset?.values && String(preset.values[target.name]).toLowerCase() !== String(target.value).toLowerCase()) mode.value = 'custom';
    }
    refreshDirty();
  });
  form.addEventListener('input', refreshDirty);
  discard.addEventListener('click', () => {
    writeValues(config);
    form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
    form.querySelectorAll('.field__error').forEach((el) => { el.textContent = ''; });
    setFormError(form, '');
    refreshDirty();
  });

  handleSubmit(form, async () => {
    const diff = changes();
    if (!Object.keys(diff).length) {
      toast('There is nothing to save.');
      return;
    }
    config = await api.patch('/api/config/', diff);
    writeValues(config);
    refreshDirty();
    describeLastChange();
    toast('Transcoding settings saved. New uploads use them.', { tone: 'success' });
  });

  refreshDirty();
  describeLastChange();
  holder.replaceChildren(form);
  return holder;
}

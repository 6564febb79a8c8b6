/**
 * /upload: send a video over tus (ui/tus-upload.js), resumable across reloads.
 *
 * - A file by drag and drop (on the drop zone or anywhere on the page) or the file picker; checked
 *   here first (a video by type or extension, not empty, within the per-file limit and the quota
 *   left), then by the server (errors under the file field).
 * - Title (from the file name unless typed), description, category → `Upload-Metadata`.
 * - Progress: a <progress> bar, bytes sent, speed and time left; Pause / Resume; Cancel (tus
 *   termination). A dropped connection is retried by itself; a reload or a closed tab is resumed
 *   by choosing the same file again: the page finds the stored upload, asks the server how far it
 *   got (HEAD) and continues from that offset.
 * - Quota (GET /api/videos/quota/me) before, and again after the upload.
 * - Afterwards the video's processing, live over /api/events (ui/live-events.js), with a link to watch.
 *
 * The upload belongs to the tab, not to the page: moving to another page keeps it going (My videos
 * shows it), and coming back here shows it again.
 */
import { api, ApiError, isAbortError } from '../api.js';
import { getCategories } from '../data.js';
import { session } from '../session.js';
import { h, icon, uid } from '../ui/dom.js';
import { formatBytes } from '../ui/format.js';
import { clearErrors, field, formAlert, handleSubmit, setFieldError, setFormError } from '../ui/forms.js';
import { followVideos } from '../ui/live-events.js';
import { mediaIcon } from '../ui/inline-icons.js';
import { page, pageHeader } from '../ui/page.js';
import { toast } from '../ui/toast.js';
import { clearCurrentUpload, currentUpload, probeUpload, rememberedUpload, TusUpload } from '../ui/tus-upload.js';
import { applyLiveEvent, processingMeter, statusBadge, TERMINAL } from '../ui/video-status.js';

const VIDEO_EXTENSIONS = ['mp4', 'm4v', 'mov', 'mkv', 'webm', 'avi', 'flv', 'ts', 'mts', 'm2ts', 'mpg', 'mpeg', 'vob', 'ogv', 'ogg', 'wmv', 'asf', '3gp', 'hevc', 'h265'];
const ACCEPT = ['video/*', ...VIDEO_EXTENSIONS.map((ext) => `.${ext}`)].join(',');

export function formatEta(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s left`;
  if (s < 3600) return `${Math.round(s / 60)} min left`;
  const hours = Math.floor(s / 3600);
  const minutes = Math.round((s % 3600) / 60);
  return `${hours} h ${minutes} min left`;
}

function extensionOf(name) {
  const match = /\.([^.]+)$/.exec(name ?? '');
  return match ? match[1].toLowerCase() : '';
}

function titleFromFilename(name) {
  return String(name ?? '').replace(/\.[^.]+$/, '').replace(/[_]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** Why this file cannot be uploaded (a sentence), or '' when it may be sent. */
function fileProblem(file, quota) {
  const ext = extensionOf(file.name);
  const looksLikeVideo = file.type.startsWith('video/') || VIDEO_EXTENSIONS.includes(ext);
  if (!looksLikeVideo) return `“${file.name}” doesn't look like a video. Choose an MP4, MOV, MKV, WebM or AVI file.`;
  if (file.size === 0) return 'This file is empty.';
  if (quota) {
    if (file.size > quota.max_file_size_bytes) {
      return `This file is ${formatBytes(file.size)}; videos can be at most ${formatBytes(quota.max_file_size_bytes)}.`;
    }
    if (file.size > quota.remaining_bytes) {
      return `This file is ${formatBytes(file.size)}, but only ${formatBytes(quota.remaining_bytes)} of this week's upload quota is left.`;
    }
  }
  return '';
}

// ---------------------------------------------------------------------------------------------
// Quota card
// ---------------------------------------------------------------------------------------------

function quotaCard() {
  const titleId = uid('quota-title');
  const used = h('strong', { class: 'quota__used' });
  const of = h('span', { class: 'quota__of muted' });
  const fill = h('div', { class: 'media-meter__fill' });
  const bar = h('div', { class: 'media-meter quota__bar', role: 'meter', 'aria-labelledby': titleId, 'aria-valuemin': '0', 'aria-valuemax': '100' }, fill);
  const facts = h('ul', { class: 'quota__facts' });
  const note = h('p', { class: 'quota__note', role: 'status' });
  const warning = h('div', { class: 'alert alert--warning', hidden: true },
    icon('alert'), h('div', { class: 'alert__body' }, h('p', {}, "You've used this week's upload quota. It resets by itself every week.")));
  const element = h('section', { class: 'panel quota', 'aria-labelledby': titleId, dataset: { testid: 'quota' } },
    h('h2', { class: 'quota__title', id: titleId }, "This week's upload quota"),
    h('p', { class: 'quota__numbers' }, used, ' ', of),
    bar,
    facts,
    warning,
    note,
  );

  function update(quota, { after } = {}) {
    if (!quota) {
      used.textContent = '—';
      of.textContent = "Couldn't load your quota.";
      return;
    }
    const percent = Math.max(0, Math.min(100, Number(quota.percentage_used) || 0));
    used.textContent = formatBytes(quota.used_bytes);
    of.textContent = `of ${formatBytes(quota.limit_bytes)} used`;
    fill.style.setProperty('width', `${percent}%`);
    fill.style.setProperty('min-width', quota.used_bytes > 0 ? '4px' : '0');
    bar.setAttribute('aria-valuenow', String(Math.round(percent)));
    bar.setAttribute('aria-valuetext', `${formatBytes(quota.used_bytes)} of ${formatBytes(quota.limit_bytes)} used`);
    bar.classList.toggle('media-meter--warning', percent >= 80);
    facts.replaceChildren(
      h('li', {}, h('strong', {}, formatBytes(quota.remaining_bytes)), ' left this week'),
      h('li', {}, 'Up to ', h('strong', {}, formatBytes(quota.max_file_size_bytes)), ' per video'),
      h('li', {}, 'Starts again from zero every week'),
    );
    warning.hidden = quota.can_upload;
    if (after) note.textContent = `This upload used ${formatBytes(after)}.`;
  }
  return { element, update };
}

async function readQuota(signal) {
  try {
    return await api.get('/api/videos/quota/me', { signal });
  } catch (error) {
    if (isAbortError(error)) throw error;
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------------

export default async function render({ signal, navigate }) {
  const userId = session.user?.id;
  const [initialQuota, categories] = await Promise.all([
    readQuota(signal),
    getCategories().catch(() => []),
  ]);
  let quota = initialQuota;
  const quotaView = quotaCard();
  quotaView.update(quota);

  // --- the form -------------------------------------------------------------------------------
  const fileId = uid('field-file');
  const fileInput = h('input', {
    class: 'dropzone__input', type: 'file', id: fileId, name: 'file', accept: ACCEPT,
    'aria-describedby': `${fileId}-hint ${fileId}-error`,
  });
  const dropzone = h('label', { class: 'dropzone', for: fileId, dataset: { testid: 'dropzone' } },
    h('span', { class: 'dropzone__icon', 'aria-hidden': 'true' }, mediaIcon('cloud-upload')),
    h('span', { class: 'dropzone__title' }, 'Drag and drop a video here'),
    h('span', { class: 'dropzone__or' }, 'or'),
    h('span', { class: 'button button--primary dropzone__button' }, 'Choose a file'),
  );
  const fileName = h('p', { class: 'file-card__name' });
  const fileMeta = h('p', { class: 'file-card__meta' });
  const resumeNote = h('p', { class: 'file-card__resume', hidden: true, dataset: { testid: 'resume-note' } });
  const fileCard = h('div', { class: 'file-card', hidden: true },
    h('span', { class: 'file-card__icon', 'aria-hidden': 'true' }, mediaIcon('file-video')),
    h('div', { class: 'file-card__text' }, fileName, fileMeta, resumeNote),
    h('label', { class: 'button button--ghost button--sm file-card__change', for: fileId }, 'Change file'),
  );
  const fileField = h('div', { class: 'field field--file' },
    h('label', { class: 'field__label', for: fileId }, 'Video file'),
    fileInput,
    dropzone,
    fileCard,
    h('p', { class: 'field__hint', id: `${fileId}-hint` },
      `MP4, MOV, MKV, WebM, AVI and more${quota ? `, up to ${formatBytes(quota.max_file_size_bytes)}` : ''}.`),
    h('p', { class: 'field__error', id: `${fileId}-error`, role: 'alert' }),
  );

  const titleField = field({ label: 'Title', name: 'title', required: true, maxlength: 200, autocomplete: 'off' });
  const titleInput = titleField.querySelector('input');
  const descriptionField = field({
    label: 'Description', name: 'description', control: 'textarea', maxlength: 2000, hint: 'Optional. Up to 2,000 characters.',
  });
  const categoryField = field({
    label: 'Category', name: 'category_id', control: 'select',
    options: [{ value: '', label: 'No category' }, ...categories.map((c) => ({ value: c.id, label: c.name }))],
  });
  const submit = h('button', { class: 'button button--primary upload-form__submit', type: 'submit' }, mediaIcon('cloud-upload'), h('span', {}, 'Upload'));
  const details = h('fieldset', { class: 'upload-form__details' },
    h('legend', { class: 'visually-hidden' }, 'Details'),
    titleField, descriptionField, categoryField);
  const form = h('form', { class: 'form upload-form panel', 'aria-label': 'Upload a video', novalidate: true },
    formAlert(),
    fileField,
    details,
    h('div', { class: 'form__actions' }, submit,
      h('p', { class: 'upload-form__aside muted' }, 'Uploads continue where they stopped if the connection drops.')),
  );

  const progressHost = h('div', { class: 'upload-progress-host' });
  const main = h('div', { class: 'upload-main' }, progressHost, form);
  const aside = h('aside', { class: 'upload-aside', 'aria-label': 'About uploading' },
    quotaView.element,
    h('section', { class: 'panel upload-tips', 'aria-labelledby': 'upload-tips-title' },
      h('h2', { class: 'upload-tips__title', id: 'upload-tips-title' }, 'Good to know'),
      h('ul', { class: 'upload-tips__list' },
        h('li', {}, mediaIcon('refresh'), h('span', {}, 'Closed the tab or lost the connection? Choose the same file again and the upload continues where it stopped.')),
        h('li', {}, mediaIcon('hourglass'), h('span', {}, 'After the upload, Clipset prepares the video for every screen size. You can follow it live in My videos.')),
        h('li', {}, mediaIcon('lock'), h('span', {}, 'Only people invited to this Clipset can see your videos.')),
      )),
  );

  const root = page({ className: 'upload-page' },
    pageHeader({
      title: 'Upload a video',
      lead: 'Share a clip with everyone on this Clipset.',
      actions: [h('a', { class: 'button button--ghost', href: '/my/videos' }, icon('film'), 'My videos')],
    }),
    h('div', { class: 'upload-layout' }, main, aside),
  );

  // --- choosing a file ------------------------------------------------------------------------
  let selected = null; // File
  let autoTitle = '';
  let probeGeneration = 0;

  function showFileError(message) {
    setFieldError(form, 'file', message);
    if (message) fileInput.focus();
  }

  async function chooseFile(file) {
    if (!file || form.hidden) return;
    if (currentUpload()?.active) {
      toast('Wait until the current upload finishes, or cancel it.', { tone: 'error' });
      return;
    }
    setFieldError(form, 'file', '');
    setFormError(form, '');
    const problem = fileProblem(file, quota);
    if (problem) {
      showFileError(problem);
      return;
    }
    selected = file;
    dropzone.hidden = true;
    fileCard.hidden = false;
    fileName.textContent = file.name;
    fileMeta.textContent = [formatBytes(file.size), file.type || extensionOf(file.name).toUpperCase()].filter(Boolean).join(' · ');
    resumeNote.hidden = true;
    submit.lastElementChild.textContent = 'Upload';
    if (!titleInput.value.trim() || titleInput.value === autoTitle) {
      autoTitle = titleFromFilename(file.name);
      titleInput.value = autoTitle;
      setFieldError(form, 'title', '');
    }

    // An earlier upload of this very file? Ask the server how far it got.
    const stored = rememberedUpload(file, userId);
    const mine = ++probeGeneration;
    if (!stored) return;
    resumeNote.hidden = false;
    resumeNote.textContent = 'Checking an earlier upload of this file…';
    let found = null;
    try {
      found = await probeUpload(stored.url, { signal });
    } catch (error) {
      if (isAbortError(error)) return;
      found = undefined;
    }
    if (mine !== probeGeneration || selected !== file) return;
    if (!found || found.length !== file.size) {
      resumeNote.hidden = true;
      return;
    }
    const percent = Math.floor((found.offset / file.size) * 100);
    resumeNote.replaceChildren(mediaIcon('refresh'),
      h('span', {}, `You uploaded ${percent}% of this file before (${formatBytes(found.offset)} of ${formatBytes(file.size)}). It continues from there.`));
    submit.lastElementChild.textContent = 'Resume upload';
    // The server keeps the details the upload started with: show them (changes are applied after).
    const meta = found.metadata ?? {};
    if (meta.title) titleInput.value = meta.title;
    if (meta.description) form.elements.namedItem('description').value = meta.description;
    if (meta.category_id && categories.some((c) => c.id === meta.category_id)) form.elements.namedItem('category_id').value = meta.category_id;
  }

  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) chooseFile(file);
  });

  // Drag and drop: on the zone (highlighted), and anywhere on the page (never opening the file).
  let dragDepth = 0;
  const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
  document.addEventListener('dragenter', (event) => {
    if (!hasFiles(event)) return;
    dragDepth += 1;
    root.classList.add('is-dragging');
  }, { signal });
  document.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) root.classList.remove('is-dragging');
  }, { signal });
  document.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = currentUpload()?.active ? 'none' : 'copy';
  }, { signal });
  document.addEventListener('drop', (event) => {
    dragDepth = 0;
    root.classList.remove('is-dragging');
    if (!hasFiles(event)) return;
    event.preventDefault();
    const file = event.dataTransfer.files?.[0];
    if (file) chooseFile(file);
  }, { signal });
  for (const target of [dropzone, fileCard]) {
    target.addEventListener('dragover', () => target.classList.add('is-over'));
    target.addEventListener('dragleave', () => target.classList.remove('is-over'));
    target.addEventListener('drop', () => target.classList.remove('is-over'));
  }

  // --- submitting -------------------------------------------------------------------------------
  handleSubmit(form, async (values) => {
    const metadata = {
      title: values.title.trim(),
      description: values.description.trim(),
      category_id: values.category_id,
    };
    const upload = new TusUpload({ file: selected, userId, metadata });
    upload.wanted = metadata; // what the user asked for (a resumed upload may carry older details)
    upload.startQuota = quota;
    showUpload(upload);
    progressHost.querySelector('h2')?.focus();
    upload.start();
  }, {
    validate: () => (selected ? null : { file: 'Choose a video file to upload.' }),
  });

  // --- an upload in progress, and after ------------------------------------------------------------
  function setFormLocked(locked) {
    details.disabled = locked;
    fileInput.disabled = locked;
    submit.disabled = locked;
    form.classList.toggle('is-locked', locked);
  }

  function showUpload(upload) {
    const view = uploadView(upload, {
      signal,
      onRestart: () => {
        // The server lost the upload (expired): start a new one from the same file.
        const again = new TusUpload({ file: upload.file, userId, metadata: upload.wanted ?? upload.metadata });
        again.wanted = upload.wanted;
        again.startQuota = quota;
        showUpload(again);
        again.start();
      },
      onAnother: () => {
        clearCurrentUpload();
        navigate('/upload', { replace: true });
      },
      onDone: async (result) => {
        const before = upload.startQuota ?? quota;
        quota = await readQuota(signal).catch(() => null) ?? quota;
        quotaView.update(quota, { after: before && quota ? Math.max(0, quota.used_bytes - before.used_bytes) : 0 });
        // A resumed upload was created with its first details: apply what the form says now.
        const used = upload.usedMetadata ?? {};
        const wanted = upload.wanted;
        if (wanted && result?.shortId) {
          const changes = {};
          if (wanted.title && wanted.title !== (used.title ?? '')) changes.title = wanted.title;
          if ((wanted.description ?? '') !== (used.description ?? '')) changes.description = wanted.description || null;
          if ((wanted.category_id ?? '') !== (used.category_id ?? '')) changes.category_id = wanted.category_id || null;
          if (Object.keys(changes).length) {
            try {
              await api.patch(`/api/videos/${encodeURIComponent(result.shortId)}`, changes);
            } catch (error) {
              if (!isAbortError(error)) toast(`Uploaded, but the details could not be updated: ${error.message}`, { tone: 'error' });
            }
          }
        }
      },
      onFileError: (error) => {
        progressHost.replaceChildren();
        setFormLocked(false);
        form.hidden = false;
        clearErrors(form);
        showFileError(error.message);
      },
      onCancelled: () => {
        progressHost.replaceChildren();
        setFormLocked(false);
        form.hidden = false;
        toast('Upload cancelled.');
        submit.focus();
      },
    });
    progressHost.replaceChildren(view.element);
    setFormLocked(true);
    // While there is an upload, its panel is the page; the form comes back after a cancel or a refused file.
    form.hidden = true;
  }

  // Back on this page with the tab's upload still around: show it.
  const existing = currentUpload();
  if (existing && existing.state !== 'cancelled') {
    selected = existing.file;
    dropzone.hidden = true;
    fileCard.hidden = false;
    fileName.textContent = existing.file.name;
    fileMeta.textContent = formatBytes(existing.file.size);
    const wanted = existing.wanted ?? existing.metadata;
    titleInput.value = wanted.title ?? '';
    form.elements.namedItem('description').value = wanted.description ?? '';
    form.elements.namedItem('category_id').value = wanted.category_id ?? '';
    showUpload(existing);
    if (existing.state === 'error' && existing.errorKind === 'file') {
      progressHost.replaceChildren();
      setFormLocked(false);
      showFileError(existing.error?.message ?? 'This file was refused.');
    }
  }

  signal.addEventListener('abort', () => {
    const upload = currentUpload();
    if (upload?.active) toast('Your upload continues in the background. Follow it in My videos.', { tone: 'info' });
  }, { once: true });

  return root;
}

/**
 * The panel of one upload: progress, speed, time left, Pause/Resume/Cancel, errors with Retry;
 * once sent, the video's processing (live) and links onwards.
 */
function uploadView(upload, { signal, onRestart, onAnother, onDone, onFileError, onCancelled }) {
  const titleId = uid('upload-title');
  const progressId = uid('upload-progress');
  const heading = h('h2', { class: 'upload-progress__title', id: titleId, tabindex: '-1' });
  const subtitle = h('p', { class: 'upload-progress__file muted' }, `${upload.file.name} · ${formatBytes(upload.total)}`);
  const bar = h('progress', { class: 'upload-bar', id: progressId, max: '100', value: '0' });
  const percent = h('strong', { class: 'upload-progress__percent' });
  const bytes = h('span', {});
  const speed = h('span', {});
  const eta = h('span', {});
  const stats = h('p', { class: 'upload-progress__stats dot-separated' }, bytes, speed, eta);
  const note = h('p', { class: 'upload-progress__note' });
  const announcer = h('p', { class: 'visually-hidden', role: 'status' });
  const pauseButton = h('button', { class: 'button button--ghost', type: 'button' });
  const cancelButton = h('button', { class: 'button button--ghost upload-progress__cancel', type: 'button' }, icon('close'), 'Cancel');
  const actions = h('div', { class: 'upload-progress__actions' }, pauseButton, cancelButton);
  const errorBox = h('div', { class: 'alert alert--error', role: 'alert', hidden: true });
  const sending = h('div', { class: 'upload-progress__sending' },
    h('div', { class: 'upload-progress__meter' },
      h('label', { class: 'visually-hidden', for: progressId }, 'Upload progress'),
      bar,
      h('div', { class: 'upload-progress__row' }, percent, stats)),
    note, errorBox, actions);

  const done = h('div', { class: 'upload-done', hidden: true });
  const element = h('section', { class: 'panel upload-progress', 'aria-labelledby': titleId, dataset: { testid: 'upload-progress' } },
    h('div', { class: 'upload-progress__head' },
      h('span', { class: 'upload-progress__icon', 'aria-hidden': 'true' }, mediaIcon('file-video')),
      h('div', { class: 'upload-progress__heading' }, heading, subtitle)),
    sending, done, announcer);

  let lastMilestone = -1;
  let doneShown = false;
  let fileErrorShown = false;

  pauseButton.addEventListener('click', () => {
    if (upload.active) upload.pause();
    else upload.resume();
  });
  cancelButton.addEventListener('click', async () => {
    cancelButton.disabled = true;
    await upload.cancel();
    onCancelled?.();
  });

  function render() {
    const title = upload.wanted?.title || upload.metadata.title || upload.file.name;
    const pct = Math.floor(upload.fraction * 100);
    bar.value = upload.state === 'done' ? 100 : pct;
    bar.setAttribute('aria-valuetext', `${pct}%, ${formatBytes(upload.offset)} of ${formatBytes(upload.total)}`);
    percent.textContent = `${upload.state === 'done' ? 100 : pct}%`;
    bytes.textContent = `${formatBytes(upload.offset)} of ${formatBytes(upload.total)}`;
    speed.textContent = upload.state === 'uploading' && upload.speed > 0 ? `${formatBytes(upload.speed)}/s` : '';
    eta.textContent = upload.state === 'uploading' ? formatEta(upload.eta) : '';
    speed.hidden = !speed.textContent;
    eta.hidden = !eta.textContent;
    element.dataset.state = upload.state;

    const milestone = Math.floor(pct / 25);
    if (upload.state === 'uploading' && milestone !== lastMilestone && pct > 0) {
      lastMilestone = milestone;
      announcer.textContent = `Uploaded ${pct}%`;
    }

    errorBox.hidden = true;
    pauseButton.hidden = false;
    cancelButton.hidden = false;
    pauseButton.disabled = false;
    switch (upload.state) {
      case 'starting':
        heading.textContent = `Preparing “${title}”`;
        note.textContent = upload.resumedFrom ? '' : 'Contacting the server…';
        pauseButton.replaceChildren(mediaIcon('pause'), 'Pause');
        pauseButton.disabled = true;
        break;
      case 'uploading':
        heading.textContent = `Uploading “${title}”`;
        note.textContent = upload.resumedFrom > 0
          ? `Resumed at ${Math.floor((upload.resumedFrom / upload.total) * 100)}%: ${formatBytes(upload.resumedFrom)} were already on the server.`
          : '';
        pauseButton.replaceChildren(mediaIcon('pause'), 'Pause');
        break;
      case 'retrying':
        heading.textContent = `Uploading “${title}”`;
        note.textContent = `${upload.error?.message ?? 'The connection dropped.'} Trying again in ${upload.retryIn} s…`;
        pauseButton.replaceChildren(mediaIcon('pause'), 'Pause');
        break;
      case 'paused':
        heading.textContent = `Paused “${title}”`;
        note.textContent = `Paused at ${pct}%. Resume whenever you like, even after closing this tab: choose the same file again.`;
        pauseButton.replaceChildren(mediaIcon('resume'), 'Resume');
        break;
      case 'error': {
        heading.textContent = `Upload of “${title}” stopped`;
        note.textContent = '';
        if (upload.errorKind === 'file') {
          if (!fileErrorShown) {
            fileErrorShown = true;
            queueMicrotask(() => onFileError?.(upload.error));
          }
          return;
        }
        errorBox.hidden = false;
        const retry = upload.errorKind === 'expired'
          ? h('button', { class: 'button button--primary button--sm', type: 'button', onClick: () => onRestart?.() }, 'Start again')
          : h('button', { class: 'button button--primary button--sm', type: 'button', onClick: () => upload.resume() }, icon('refresh'), 'Try again');
        errorBox.replaceChildren(icon('alert'), h('div', { class: 'alert__body' }, h('p', {}, upload.error?.message ?? 'The upload stopped.'), h('div', {}, retry)));
        pauseButton.hidden = true;
        break;
      }
      case 'done':
        if (!doneShown) {
          doneShown = true;
          showDone();
        }
        break;
      case 'cancelled':
        heading.textContent = `Cancelled “${title}”`;
        pauseButton.hidden = true;
        cancelButton.hidden = true;
        break;
      default:
        break;
    }
  }

  function showDone() {
    const title = upload.wanted?.title || upload.metadata.title || upload.file.name;
    heading.textContent = `“${title}” is uploaded`;
    announcer.textContent = 'Upload complete. Processing the video.';
    sending.hidden = true;
    const shortId = upload.result?.shortId;
    const href = shortId ? `/v/${encodeURIComponent(shortId)}` : '/my/videos';
    const meter = processingMeter({ label: 'Processing' });
    const badgeHost = h('span', {});
    const message = h('p', { class: 'upload-done__message' });
    const failure = h('div', { class: 'alert alert--error', role: 'alert', hidden: true });
    const watch = h('a', { class: 'button button--primary', href }, mediaIcon('play-solid'), 'Watch');
    done.replaceChildren(
      h('div', { class: 'upload-done__status' },
        h('span', { class: 'upload-done__check', 'aria-hidden': 'true' }, icon('check')),
        h('div', {},
          h('p', { class: 'upload-done__line' }, h('strong', {}, 'Upload complete.'), ' ', badgeHost),
          message)),
      meter.element,
      failure,
      h('div', { class: 'upload-done__actions' },
        watch,
        h('a', { class: 'button button--ghost', href: '/my/videos' }, icon('film'), 'My videos'),
        h('button', { class: 'button button--ghost', type: 'button', onClick: () => onAnother?.() }, mediaIcon('plus'), 'Upload another')),
    );
    done.hidden = false;

    let video = { id: upload.result?.videoId, short_id: shortId, processing_status: 'pending', processing_progress: 0, error_message: null };
    const show = () => {
      meter.update(video);
      meter.element.hidden = TERMINAL.has(video.processing_status);
      badgeHost.replaceChildren(statusBadge(video.processing_status));
      const status = video.processing_status;
      message.textContent = status === 'completed'
        ? 'Your video is ready.'
        : status === 'failed'
          ? ''
          : 'Clipset is preparing it for every screen. You can leave this page: it keeps going.';
      failure.hidden = status !== 'failed';
      if (status === 'failed') {
        failure.replaceChildren(icon('alert'), h('div', { class: 'alert__body' },
          h('p', { class: 'alert__title' }, 'Processing failed'),
          h('p', {}, video.error_message || 'The video could not be processed.')));
      }
      watch.replaceChildren(mediaIcon('play-solid'), status === 'completed' ? 'Watch now' : 'Open video page');
      element.dataset.videoStatus = status;
    };
    show();

    if (shortId) {
      const refresh = async () => {
        const fresh = await api.get(`/api/videos/${encodeURIComponent(shortId)}`, { signal });
        if (fresh) {
          video = { ...video, ...fresh };
          show();
        }
      };
      const follow = followVideos({
        signal,
        refresh: () => (TERMINAL.has(video.processing_status) ? null : refresh()),
        onEvent: (event) => {
          const next = applyLiveEvent(video, event);
          if (!next || next.deleted) return;
          const wasDone = TERMINAL.has(video.processing_status);
          video = next;
          show();
          if (!wasDone && video.processing_status === 'completed') {
            announcer.textContent = `“${video.title ?? title}” is ready to watch.`;
            refresh().catch(() => {});
          }
          if (!wasDone && video.processing_status === 'failed') announcer.textContent = 'Processing failed.';
        },
      });
      signal.addEventListener('abort', follow.stop, { once: true });
    }
    Promise.resolve(onDone?.(upload.result)).catch((error) => {
      if (!isAbortError(error) && !(error instanceof ApiError)) throw error;
    });
  }

  upload.addEventListener('change', render, { signal });
  render();
  return { element };
}

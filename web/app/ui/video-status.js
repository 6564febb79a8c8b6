/**
 * A video's processing status for its owner: a badge, and a live progress meter.
 *
 *   statusBadge('processing')            // <span class="media-status media-status--processing">Processing</span>
 *   const meter = processingMeter();     // { element, update(video) }: bar + "Processing · 42%"
 *   meter.update({ processing_status: 'processing', processing_progress: 42 })
 *   applyLiveEvent(video, event)         // the Video object after a /api/events event (or null if
 *                                        // the event is not about it); see live-events.js
 */
import { h } from './dom.js';

export const STATUS_LABEL = { pending: 'Queued', processing: 'Processing', completed: 'Ready', failed: 'Failed' };
export const TERMINAL = new Set(['completed', 'failed']);

export function statusBadge(status) {
  return h('span', { class: ['media-status', `media-status--${status}`] }, STATUS_LABEL[status] ?? status);
}

function clampProgress(value) {
  const number = Math.round(Number(value) || 0);
  return Math.max(0, Math.min(100, number));
}

/** A progress bar (role=progressbar) with a text line; indeterminate while the video waits in the queue. */
export function processingMeter({ label = 'Processing' } = {}) {
  const fill = h('div', { class: 'media-meter__fill' });
  const bar = h('div', {
    class: 'media-meter media-meter--processing',
    role: 'progressbar',
    'aria-label': label,
    'aria-valuemin': '0',
    'aria-valuemax': '100',
  }, fill);
  const text = h('span', { class: 'processing-meter__text' });
  const element = h('div', { class: 'processing-meter' }, bar, text);

  function update(video) {
    const status = video?.processing_status ?? 'pending';
    const progress = clampProgress(video?.processing_progress);
    element.dataset.status = status;
    if (status === 'pending') {
      bar.removeAttribute('aria-valuenow');
      bar.setAttribute('aria-valuetext', 'Waiting to start');
      bar.classList.add('media-meter--indeterminate');
      fill.style.setProperty('width', '100%');
      text.textContent = 'Queued · waiting for a worker';
    } else if (status === 'processing') {
      bar.classList.remove('media-meter--indeterminate');
      bar.setAttribute('aria-valuenow', String(progress));
      bar.setAttribute('aria-valuetext', `${progress}%`);
      fill.style.setProperty('width', `${progress}%`);
      text.textContent = `Processing · ${progress}%`;
    } else if (status === 'completed') {
      bar.classList.remove('media-meter--indeterminate');
      bar.setAttribute('aria-valuenow', '100');
      bar.setAttribute('aria-valuetext', 'Ready');
      fill.style.setProperty('width', '100%');
      text.textContent = 'Ready to watch';
    } else {
      bar.classList.remove('media-meter--indeterminate');
      bar.removeAttribute('aria-valuenow');
      bar.setAttribute('aria-valuetext', 'Failed');
      fill.style.setProperty('width', '100%');
      text.textContent = 'Processing failed';
    }
  }
  update({ processing_status: 'pending' });
  return { element, update };
}

/**
 * Applies a live event ({ type, data }) to `video` (the API's Video shape). Returns the updated
 * copy, `{ deleted: true }` for video.deleted, or null when the event is about another video or
 * changes nothing (e.g. late progress after the video finished).
 */
export function applyLiveEvent(video, event) {
  const data = event?.data;
  if (!video || !data || data.video_id !== video.id) return null;
  if (event.type === 'video.deleted') return { ...video, deleted: true };
  if (event.type === 'video.progress') {
    // Progress may arrive just after the status event that ended the job: ignore it then.
    if (TERMINAL.has(video.processing_status)) return null;
    if (data.kind && data.kind !== 'transcode') return null;
    const progress = clampProgress(data.progress);
    if (video.processing_status === 'processing' && progress < (video.processing_progress ?? 0)) return null;
    return { ...video, processing_status: 'processing', processing_progress: progress };
  }
  if (event.type === 'video.status') {
    const next = { ...video };
    if (data.title) next.title = data.title;
    if (data.processing_status) next.processing_status = data.processing_status;
    if ('error_message' in data) next.error_message = data.error_message;
    if (data.duration_seconds !== undefined && data.duration_seconds !== null) next.duration_seconds = data.duration_seconds;
    if (next.processing_status === 'completed') next.processing_progress = 100;
    if (next.processing_status === 'pending') next.processing_progress = 0;
    return next;
  }
  return null;
}

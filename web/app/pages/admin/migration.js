/**
 * /admin/migration: the latest HLS migration (GET /api/config/hls-migration-status: is_running,
 * total, completed, current_video, errors), polled every 2 s while it runs, and a button to start one
 * (POST /api/config/hls-migration → 202 with the new status; confirmed). The streaming format new
 * uploads get is shown from GET /api/config/.
 */
import { api, isAbortError } from '../../api.js';
import { confirmDialog } from '../../ui/dialog.js';
import { h, uid } from '../../ui/dom.js';
import { formatPercent, plural } from '../../ui/format.js';
import { mIcon } from '../../ui/inline-icons.js';
import { errorState } from '../../ui/page.js';
import { toast } from '../../ui/toast.js';
import { badge, busy, panel } from './common.js';

const POLL_MS = 2000;

export function migrationState(status) {
  if (!status) return { label: 'Unknown', tone: 'neutral' };
  if (status.is_running) return { label: 'Running', tone: 'accent' };
  if (!status.total) return { label: 'Never run', tone: 'neutral' };
  if (status.errors?.length) return { label: 'Finished with errors', tone: 'warning' };
  return { label: 'Finished', tone: 'success' };
}

export default async function render({ signal }) {
  let status;
  let config = null;
  try {
    [status, config] = await Promise.all([
      api.get('/api/config/hls-migration-status', { signal }),
      api.get('/api/config/', { signal }).catch(() => null),
    ]);
  } catch (error) {
    if (isAbortError(error)) throw error;
    return errorState(error, { title: "Couldn't load the migration status", onRetry: () => location.reload() });
  }

  const progressLabelId = uid('migration-progress');
  const stateBadge = h('span', {});
  const progress = h('progress', { class: 'progress', max: '1', value: '0', 'aria-labelledby': progressLabelId });
  const progressText = h('p', { class: 'migration__numbers', id: progressLabelId });
  const current = h('p', { class: 'migration__current' });
  const errors = h('div', { class: 'migration__errors' });
  const updated = h('p', { class: 'admin-note', 'aria-live': 'off' });
  const announcer = h('p', { class: 'visually-hidden', role: 'status' });
  const refresh = h('button', { class: 'button button--ghost button--sm', type: 'button' }, mIcon('refresh'), 'Refresh');
  const start = h('button', { class: 'button button--primary', type: 'button' }, mIcon('layers'), 'Convert progressive videos to HLS');
  let lastState = null;

  function show() {
    const state = migrationState(status);
    stateBadge.replaceChildren(badge(state.label, state.tone));
    const total = status.total ?? 0;
    const done = status.completed ?? 0;
    progress.max = Math.max(1, total);
    progress.value = Math.min(done, total);
    progressText.textContent = total
      ? `${done.toLocaleString()} of ${plural(total, 'video')} converted (${formatPercent((done / total) * 100)})`
      : 'No migration has run yet.';
    progress.hidden = !total;
    current.replaceChildren();
    if (status.is_running && status.current_video) current.append(mIcon('hourglass'), h('span', {}, 'Converting ', h('strong', {}, status.current_video)));
    errors.replaceChildren();
    if (status.errors?.length) {
      errors.append(h('details', { class: 'migration__details', open: status.errors.length <= 5 },
        h('summary', {}, `${plural(status.errors.length, 'video')} could not be converted`),
        h('ul', { class: 'migration__error-list', role: 'list' }, status.errors.map((line) => h('li', {}, line)))));
    }
    start.disabled = status.is_running;
    updated.textContent = `Checked ${new Date().toLocaleTimeString()}${status.is_running ? ' · updates every 2 seconds' : ''}.`;
    // Announce state changes only (not every poll).
    if (lastState && lastState !== state.label) announcer.textContent = `HLS migration: ${state.label.toLowerCase()}. ${progressText.textContent}`;
    lastState = state.label;
  }

  let timer = 0;
  async function poll() {
    clearTimeout(timer);
    try {
      status = await api.get('/api/config/hls-migration-status', { signal });
      show();
    } catch (error) {
      if (isAbortError(error)) return;
      updated.textContent = `Couldn't refresh: ${error.message}`;
    }
    schedule();
  }
  function schedule() {
    clearTimeout(timer);
    if (status?.is_running && !signal.aborted) timer = setTimeout(poll, POLL_MS);
  }
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });

  refresh.addEventListener('click', () => busy(refresh, poll));
  start.addEventListener('click', async () => {
    const ok = await confirmDialog({
      title: 'Convert progressive videos to HLS?',
      message: 'Every finished video stored as a single MP4 is converted to adaptive HLS in the background. '
        + 'They keep playing meanwhile. This uses the media workers, so new uploads may wait a little longer.',
      confirmLabel: 'Start converting',
    });
    if (!ok) return;
    try {
      status = await busy(start, () => api.post('/api/config/hls-migration'));
      show();
      schedule();
      toast(status.is_running ? `Converting ${plural(status.total, 'video')} to HLS.` : 'Nothing to convert: every video is already HLS.', { tone: 'success' });
    } catch (error) {
      toast(`Couldn't start the migration: ${error.message}`, { tone: 'error' });
    }
  });

  show();
  schedule();

  const format = config?.video_output_format;
  return h('div', { class: 'admin-stack' },
    panel({ title: 'Latest migration', id: 'migration', actions: [refresh] },
      h('div', { class: 'migration' },
        h('div', { class: 'migration__state' }, stateBadge, updated),
        progressText, progress, current, errors, announcer)),
    panel({
      title: 'Start a migration', id: 'start',
      description: 'A migration starts by itself when the streaming format changes from progressive to HLS. Start one by hand to convert videos that are still progressive.',
    },
    format && h('p', { class: 'muted' }, 'New uploads are stored as ', h('strong', {}, format === 'hls' ? 'HLS (adaptive)' : 'progressive MP4'),
      '. ', h('a', { href: '/admin/transcoding' }, 'Change it in Transcoding'), '.'),
    h('div', { class: 'form__actions' }, start)),
  );
}

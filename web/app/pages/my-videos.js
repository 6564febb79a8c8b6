/**
 * /my/videos: the signed-in user's own videos in every state, kept current live.
 *
 * GET /api/videos/?uploaded_by=<me> (paged, sortable) lists them; GET /api/events
 * (ui/live-events.js) moves each row along: queued → processing (a progress bar with the percent)
 * → ready (thumbnail, duration, Watch) or failed (the error message). Videos uploaded elsewhere
 * appear at the top, deleted ones disappear. If the live stream is unavailable the page polls.
 * Each row: Watch, Edit details (PATCH /api/videos/{short_id}: title, description, category) and
 * Delete (DELETE, after a confirmation). An upload still running in this tab is shown on top.
 */
import { api, isAbortError } from '../api.js';
import { getCategories, sortValue, videoQuery } from '../data.js';
import { session } from '../session.js';
import { confirmDialog, openDialog } from '../ui/dialog.js';
import { h, icon, uid } from '../ui/dom.js';
import { describeDuration, formatBytes, formatDuration, formatViews, plural, timeElement } from '../ui/format.js';
import { field, formAlert, setFormError, showApiError, validateForm, clearErrors } from '../ui/forms.js';
import { followVideos } from '../ui/live-events.js';
import { mediaIcon } from '../ui/inline-icons.js';
import { emptyState, errorState, page, pageHeader } from '../ui/page.js';
import { thumbnailImage } from '../ui/thumbs.js';
import { toast } from '../ui/toast.js';
import { currentUpload } from '../ui/tus-upload.js';
import { applyLiveEvent, processingMeter, statusBadge, TERMINAL } from '../ui/video-status.js';
import { sortControl } from '../ui/video-list.js';

const PAGE_SIZE = 20;

function watchHref(video) {
  return `/v/${encodeURIComponent(video.short_id)}`;
}

/** One row: thumbnail, title, facts, status (live), actions. `update(video)` redraws it. */
function videoRow(initial, { onDelete, onEdit }) {
  let video = initial;
  const titleId = uid('my-video-title');
  const thumb = h('a', { class: 'my-video__thumb', href: watchHref(video), tabindex: '-1', 'aria-hidden': 'true' });
  const title = h('a', { class: 'my-video__link', href: watchHref(video), id: titleId });
  const facts = h('p', { class: 'my-video__facts' });
  const status = h('div', { class: 'my-video__status' });
  const problem = h('p', { class: 'my-video__problem', role: 'alert' });
  const watch = h('a', { class: 'button button--sm button--ghost', href: watchHref(video) });
  const edit = h('button', { class: 'button button--sm button--ghost', type: 'button', onClick: () => onEdit(current(), row) },
    mediaIcon('edit'), 'Edit');
  const remove = h('button', { class: 'button button--sm button--ghost my-video__delete', type: 'button', onClick: () => onDelete(current(), row) },
    mediaIcon('trash'), 'Delete');
  const element = h('li', { class: 'my-video', dataset: { shortId: video.short_id } },
    h('article', { class: 'my-video__card', 'aria-labelledby': titleId },
      thumb,
      h('div', { class: 'my-video__body' },
        h('h2', { class: 'my-video__title' }, title),
        facts,
        status,
        problem),
      h('div', { class: 'my-video__actions' }, watch, edit, remove)),
  );
  const meter = processingMeter({ label: `Processing ${video.title}` });
  let thumbKey = '';

  function current() { return video; }

  function update(next) {
    video = next;
    const st = video.processing_status;
    element.dataset.status = st;
    edit.setAttribute('aria-label', `Edit ${video.title}`);
    remove.setAttribute('aria-label', `Delete ${video.title}`);
    watch.replaceChildren(mediaIcon('play-solid'), st === 'completed' ? 'Watch' : 'Open');
    watch.setAttribute('aria-label', `${st === 'completed' ? 'Watch' : 'Open'} ${video.title}`);

    const key = `${st}:${video.thumbnail_filename ?? ''}`;
    if (key !== thumbKey) {
      thumbKey = key;
      thumb.replaceChildren(
        h('span', { class: 'my-video__placeholder' }, mediaIcon(st === 'failed' ? 'alert' : st === 'completed' ? 'play-solid' : 'hourglass')),
        thumbnailImage(video),
      );
    }
    thumb.querySelector('.my-video__duration')?.remove();
    if (st === 'completed' && Number.isFinite(video.duration_seconds)) {
      thumb.append(h('span', { class: 'my-video__duration' }, formatDuration(video.duration_seconds)));
    }

    title.replaceChildren(video.title,
      ...(st === 'completed' && Number.isFinite(video.duration_seconds)
        ? [h('span', { class: 'visually-hidden' }, `, ${describeDuration(video.duration_seconds)}`)] : []));
    facts.replaceChildren(
      statusBadge(st),
      h('span', { class: 'dot-separated my-video__fact-list' },
        st === 'completed' && h('span', {}, formatViews(video.view_count)),
        h('span', {}, 'Uploaded ', timeElement(video.created_at)),
        video.file_size_bytes > 0 && h('span', {}, formatBytes(video.file_size_bytes)),
        video.category_name && h('span', {}, video.category_name)),
    );

    if (st === 'pending' || st === 'processing') {
      meter.update(video);
      status.replaceChildren(meter.element);
    } else if (st === 'failed') {
      status.replaceChildren(h('div', { class: 'alert alert--error my-video__error' },
        icon('alert'),
        h('div', { class: 'alert__body' },
          h('p', { class: 'alert__title' }, 'Processing failed'),
          h('p', {}, video.error_message || 'The video could not be processed.'))));
    } else {
      status.replaceChildren();
    }
  }

  const row = {
    element,
    get video() { return video; },
    update,
    showProblem(message) { problem.textContent = message ?? ''; },
    focusTitle() { title.focus(); },
  };
  update(video);
  return row;
}

/** The tab's running upload, if any, as a small panel linking to /upload. */
function uploadBanner(signal) {
  const upload = currentUpload();
  if (!upload || upload.state === 'done' || upload.state === 'cancelled') return null;
  const label = h('p', { class: 'upload-banner__title' });
  const bar = h('progress', { class: 'upload-bar', max: '100', value: '0', 'aria-label': 'Upload progress' });
  const detail = h('p', { class: 'upload-banner__detail muted' });
  const element = h('section', { class: 'panel upload-banner', 'aria-label': 'Upload in progress' },
    h('span', { class: 'upload-progress__icon', 'aria-hidden': 'true' }, mediaIcon('cloud-upload')),
    h('div', { class: 'upload-banner__body' }, label, bar, detail),
    h('a', { class: 'button button--ghost button--sm', href: '/upload' }, 'Open'));
  const render = () => {
    const pct = Math.floor(upload.fraction * 100);
    const name = upload.wanted?.title || upload.metadata.title || upload.file.name;
    label.textContent = upload.state === 'paused' ? `Paused: “${name}”` : upload.state === 'error' ? `Stopped: “${name}”` : `Uploading “${name}”`;
    bar.value = pct;
    detail.textContent = upload.state === 'error'
      ? upload.error?.message ?? 'The upload stopped.'
      : `${pct}% · ${formatBytes(upload.offset)} of ${formatBytes(upload.total)}`;
    if (upload.state === 'done') element.remove();
  };
  upload.addEventListener('change', render, { signal });
  render();
  return element;
}

export default async function render({ signal, query }) {
  const me = session.user;
  let sort = sortValue(query.get('sort'));
  const rows = new Map(); // video id → row
  let loaded = 0;
  let total = 0;
  let done = false;
  let loading = false;
  let generation = 0;

  const list = h('ul', { class: 'my-videos__list', 'aria-label': 'Your videos' });
  const count = h('span', { class: 'my-videos__count' });
  const live = h('span', { class: 'live-indicator', role: 'status' });
  const more = h('button', { class: 'button button--ghost', type: 'button', hidden: true }, 'Load more');
  const footerStatus = h('p', { class: 'list-footer__status' });
  const body = h('div', { class: 'my-videos__body' }, list, h('div', { class: 'list-footer' }, footerStatus, more));
  const quotaLine = h('p', { class: 'my-videos__quota' });

  const header = pageHeader({
    title: 'My videos',
    lead: h('span', { class: 'my-videos__lead' }, count, live),
    actions: [h('a', { class: 'button button--primary', href: '/upload' }, icon('upload'), 'Upload')],
  });
  const toolbar = h('div', { class: 'toolbar my-videos__toolbar' },
    quotaLine,
    sortControl({
      value: sort,
      onChange: (value) => {
        sort = sortValue(value);
        const url = new URL(location.href);
        if (sort === 'newest') url.searchParams.delete('sort'); else url.searchParams.set('sort', sort);
        history.replaceState(history.state, '', url.pathname + url.search);
        reload();
      },
    }));
  const root = page({ className: 'my-videos' }, header, uploadBanner(signal), toolbar, body);

  function setCount() {
    count.textContent = plural(total, 'video');
  }

  function addRow(video, { atTop = false } = {}) {
    if (rows.has(video.id)) {
      rows.get(video.id).update({ ...rows.get(video.id).video, ...video });
      return rows.get(video.id);
    }
    const row = videoRow(video, { onDelete: deleteVideo, onEdit: editVideo });
    rows.set(video.id, row);
    if (atTop) list.prepend(row.element);
    else list.append(row.element);
    return row;
  }

  function showEmpty() {
    body.replaceChildren(emptyState({
      icon: 'film',
      title: "You haven't uploaded any videos yet",
      text: 'Upload a clip and follow its processing here, live.',
      actions: [h('a', { class: 'button button--primary', href: '/upload' }, icon('upload'), 'Upload a video')],
    }));
  }

  async function loadNext() {
    if (loading || done) return;
    loading = true;
    const mine = generation;
    more.disabled = true;
    more.setAttribute('aria-busy', 'true');
    try {
      const answer = await api.get('/api/videos/', {
        query: { uploaded_by: me.id, skip: loaded, limit: PAGE_SIZE, ...videoQuery({ sort }) },
        signal,
      });
      if (mine !== generation) return;
      total = answer.total;
      for (const video of answer.videos) addRow(video);
      loaded += answer.videos.length;
      done = answer.videos.length < PAGE_SIZE || loaded >= total;
      setCount();
      if (rows.size === 0) showEmpty();
      else if (!list.isConnected) body.replaceChildren(list, more.parentElement);
      footerStatus.textContent = done && loaded > PAGE_SIZE ? `All ${plural(loaded, 'video')} shown` : '';
      more.hidden = done;
    } catch (error) {
      if (isAbortError(error) || mine !== generation) return;
      if (rows.size === 0) body.replaceChildren(errorState(error, { onRetry: reload }));
      else footerStatus.textContent = error.message;
    } finally {
      if (mine === generation) {
        loading = false;
        more.disabled = false;
        more.removeAttribute('aria-busy');
      }
    }
  }

  function reload() {
    generation += 1;
    loading = false;
    done = false;
    loaded = 0;
    rows.clear();
    list.replaceChildren();
    body.replaceChildren(list, more.parentElement);
    return loadNext();
  }

  more.addEventListener('click', () => loadNext());

  // --- delete, edit ---------------------------------------------------------------------------
  async function deleteVideo(video, row) {
    row.showProblem('');
    const ok = await confirmDialog({
      title: `Delete “${video.title}”?`,
      message: 'The video, its comments and its place in playlists are removed for everyone. This cannot be undone.',
      confirmLabel: 'Delete video',
      danger: true,
    });
    if (!ok) return;
    try {
      await api.delete(`/api/videos/${encodeURIComponent(video.short_id)}`);
    } catch (error) {
      if (error.status !== 404) {
        row.showProblem(`Couldn't delete it: ${error.message}`);
        return;
      }
    }
    removeRow(video.id, { focusNext: true });
    toast(`Deleted “${video.title}”.`, { tone: 'success' });
  }

  function removeRow(id, { focusNext = false } = {}) {
    const row = rows.get(id);
    if (!row) return;
    const next = row.element.nextElementSibling ?? row.element.previousElementSibling;
    rows.delete(id);
    row.element.remove();
    total = Math.max(0, total - 1);
    loaded = Math.max(0, loaded - 1);
    setCount();
    if (rows.size === 0 && done) showEmpty();
    if (focusNext) {
      const link = next?.querySelector('.my-video__link');
      if (link) link.focus();
      else root.querySelector('h1')?.focus();
    }
  }

  async function editVideo(video, row) {
    let categories = [];
    try { categories = await getCategories(); } catch { categories = []; }
    const content = h('div', { class: 'form edit-video' },
      formAlert(),
      field({ label: 'Title', name: 'title', value: video.title, required: true, maxlength: 200 }),
      field({ label: 'Description', name: 'description', control: 'textarea', value: video.description ?? '', maxlength: 2000 }),
      field({
        label: 'Category', name: 'category_id', control: 'select', value: video.category_id ?? '',
        options: [{ value: '', label: 'No category' }, ...categories.map((c) => ({ value: c.id, label: c.name }))],
      }),
    );
    const saved = await openDialog({
      title: 'Edit details',
      content,
      className: 'dialog--wide',
      actions: [
        { label: 'Cancel', value: null, variant: 'ghost' },
        { label: 'Save', value: 'save', variant: 'primary' },
      ],
      onOpen: (dialog) => {
        const form = dialog.querySelector('form');
        form.noValidate = true;
        form.addEventListener('submit', async (event) => {
          if (event.submitter?.value !== '1') return; // Cancel and the close button just close
          event.preventDefault();
          clearErrors(form);
          if (!validateForm(form)) return;
          const save = event.submitter;
          save.disabled = true;
          save.setAttribute('aria-busy', 'true');
          try {
            const values = Object.fromEntries(new FormData(form).entries());
            const updated = await api.patch(`/api/videos/${encodeURIComponent(video.short_id)}`, {
              title: values.title.trim(),
              description: values.description.trim() || null,
              category_id: values.category_id || null,
            });
            row.update({ ...row.video, ...updated });
            dialog.close('saved');
          } catch (error) {
            showApiError(form, error);
          } finally {
            save.disabled = false;
            save.removeAttribute('aria-busy');
          }
        });
        form.addEventListener('input', () => setFormError(form, ''));
      },
    });
    if (saved === 'saved') toast('Details saved.', { tone: 'success' });
  }

  // --- live -------------------------------------------------------------------------------------
  const LIVE_TEXT = {
    open: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…', unavailable: 'Updates every few seconds', closed: '',
  };
  async function refreshPending() {
    const pending = [...rows.values()].filter((row) => !TERMINAL.has(row.video.processing_status));
    // New videos (uploaded in another tab while we were away) and the ones still processing.
    const answer = await api.get('/api/videos/', { query: { uploaded_by: me.id, skip: 0, limit: PAGE_SIZE, ...videoQuery({ sort: 'newest' }) }, signal });
    const newest = [...rows.values()].reduce((max, row) => (row.video.created_at > max ? row.video.created_at : max), '');
    for (const video of answer.videos.slice().reverse()) {
      if (rows.has(video.id)) rows.get(video.id).update(video);
      else if (sort === 'newest' && video.created_at > newest && loaded > 0) {
        addRow(video, { atTop: true });
        total += 1;
        loaded += 1;
      }
    }
    const seen = new Set(answer.videos.map((v) => v.id));
    for (const row of pending) {
      if (seen.has(row.video.id)) continue;
      try {
        row.update(await api.get(`/api/videos/${encodeURIComponent(row.video.short_id)}`, { signal }));
      } catch (error) {
        if (error?.status === 404) removeRow(row.video.id);
      }
    }
    if (rows.size > 0 && !list.isConnected) body.replaceChildren(list, more.parentElement);
    setCount();
  }

  async function onEvent(event) {
    const data = event.data ?? {};
    const row = rows.get(data.video_id);
    if (event.type === 'video.deleted') {
      if (row) removeRow(data.video_id);
      return;
    }
    if (!row) {
      if (event.type === 'video.status' && data.short_id && sort === 'newest') {
        try {
          const video = await api.get(`/api/videos/${encodeURIComponent(data.short_id)}`, { signal });
          if (!rows.has(video.id)) {
            if (rows.size === 0) body.replaceChildren(list, more.parentElement);
            addRow(video, { atTop: true });
            total += 1;
            loaded += 1;
            setCount();
          }
        } catch { /* gone again */ }
      }
      return;
    }
    const next = applyLiveEvent(row.video, event);
    if (!next) return;
    const finished = !TERMINAL.has(row.video.processing_status) && TERMINAL.has(next.processing_status);
    row.update(next);
    if (finished) {
      // Fetch the whole video: the thumbnail, duration and size are known now.
      try { row.update(await api.get(`/api/videos/${encodeURIComponent(next.short_id)}`, { signal })); } catch { /* keep what we have */ }
    }
  }

  // --- quota --------------------------------------------------------------------------------------
  api.get('/api/videos/quota/me', { signal }).then((quota) => {
    quotaLine.replaceChildren(
      h('span', { class: 'my-videos__quota-label' }, 'This week'),
      h('span', { class: 'media-meter my-videos__quota-meter', 'aria-hidden': 'true' },
        h('span', { class: 'media-meter__fill', style: { width: `${Math.min(100, quota.percentage_used)}%`, 'min-width': quota.used_bytes > 0 ? '4px' : '0' } })),
      h('span', {}, `${formatBytes(quota.used_bytes)} of ${formatBytes(quota.limit_bytes)} used`),
    );
  }).catch(() => {});

  await loadNext();
  followVideos({
    signal,
    onEvent,
    refresh: refreshPending,
    onState: (state) => {
      live.dataset.state = state;
      live.textContent = LIVE_TEXT[state] ?? '';
      live.hidden = !live.textContent;
    },
  });
  return root;
}

/**
 * /v/{short_id}: the watch page.
 *
 * - GET /api/videos/{short_id} (404 → the not-found page; 403 → "not available").
 * - A ready video: GET …/stream-info and the player (ui/player.js): HLS where the browser plays it
 *   natively, else the progressive file; storyboard previews and comment markers on the timeline.
 *   A view is counted once per page view, when playback first starts (POST …/view).
 * - The owner's video that is not ready: its status, live (ui/live-events.js), and the player as
 *   soon as it is ready; a failed one shows the error message.
 * - Title, uploader, views, date, category, description (timestamps in it seek), Save to playlist
 *   (ui/playlist-menu.js), copy link; comments (ui/comments.js); more videos from the uploader.
 * - Keyboard: the player's shortcuts work anywhere on the page outside form fields.
 * - Played from a playlist (`?list={playlist short_id}&i={position}`, ui/playlist-queue.js): a queue
 *   bar under the player (the playlist, "3 of 12", Previous / Next); when the video ends the next
 *   one opens and starts playing. Without `?list=` nothing of this shows.
 */
import { api, ApiError, isAbortError } from '../api.js';
import { session } from '../session.js';
import { avatar } from '../ui/avatar.js';
import { commentsSection, richText } from '../ui/comments.js';
import { h, icon } from '../ui/dom.js';
import { formatDate, formatDuration, formatViews, formatRelative } from '../ui/format.js';
import { followVideos } from '../ui/live-events.js';
import { mediaIcon } from '../ui/inline-icons.js';
import { page } from '../ui/page.js';
import { createPlayer } from '../ui/player.js';
import { saveToPlaylist } from '../ui/playlist-menu.js';
import { loadPlaylistQueue, readPlaylistParams } from '../ui/playlist-queue.js';
import { thumbnailImage } from '../ui/thumbs.js';
import { toast } from '../ui/toast.js';
import { applyLiveEvent, processingMeter, STATUS_LABEL, TERMINAL } from '../ui/video-status.js';

const DESCRIPTION_CLAMP = 280;

// The short_id of the video that the previous watch page opened when its video ended (play-through):
// that one starts playing by itself.
let autoplayShortId = null;

/** The bar above a playlist's video: where it belongs, how far along, Previous / Next. */
function queueBar(queue) {
  const { playlist } = queue;
  const step = (entry, href, label, iconName) => href
    ? h('a', {
      class: `button button--ghost button--sm watch-queue__step watch-queue__step--${label.toLowerCase()}`,
      href,
      'aria-label': `${label}: ${entry.video.title}`,
      title: entry.video.title,
    }, iconName === 'skip-back' && mediaIcon('chevron-left'), h('span', {}, label), iconName === 'skip-forward' && mediaIcon('chevron-right'))
    : null;
  const position = queue.number
    ? `${queue.number} of ${queue.count}`
    : `${queue.count} ${queue.count === 1 ? 'video' : 'videos'}`;
  return h('nav', { class: 'watch-queue', 'aria-label': 'Playlist', dataset: { testid: 'playlist-queue' } },
    h('div', { class: 'watch-queue__text' },
      h('a', { class: 'watch-queue__name', href: `/p/${encodeURIComponent(playlist.short_id)}` }, icon('playlist'), h('span', {}, playlist.name)),
      h('span', { class: 'watch-queue__position' }, position)),
    h('div', { class: 'watch-queue__steps' },
      step(queue.previous, queue.previousHref, 'Previous', 'skip-back'),
      step(queue.next, queue.nextHref, 'Next', 'skip-forward')));
}

function unavailable(message) {
  return page({ width: 'medium', className: 'page--center' },
    h('div', { class: 'state', dataset: { testid: 'video-unavailable' } },
      h('div', { class: 'state__icon' }, icon('lock')),
      h('h1', { class: 'state__title' }, "This video isn't available"),
      h('p', { class: 'state__text' }, message || 'It may still be processing, or it was made unavailable.'),
      h('div', { class: 'state__actions' }, h('a', { class: 'button button--primary', href: '/' }, icon('home'), 'Back to videos'))));
}

/** A compact card of another video for the side list. */
function sideCard(video) {
  const href = `/v/${encodeURIComponent(video.short_id)}`;
  return h('li', { class: 'side-video', dataset: { shortId: video.short_id } },
    h('div', { class: 'side-video__thumb' },
      h('span', { class: 'side-video__placeholder', 'aria-hidden': 'true' }, mediaIcon('play-solid')),
      thumbnailImage(video),
      Number.isFinite(video.duration_seconds) && h('span', { class: 'side-video__duration', 'aria-hidden': 'true' }, formatDuration(video.duration_seconds))),
    h('div', { class: 'side-video__text' },
      h('h3', { class: 'side-video__title' }, h('a', { class: 'side-video__link', href }, video.title)),
      h('p', { class: 'side-video__meta' }, video.uploader_username),
      h('p', { class: 'side-video__meta' }, `${formatViews(video.view_count)} · ${formatRelative(video.created_at)}`)));
}

function moreVideos(video, signal) {
  const list = h('ul', { class: 'side-videos__list' });
  const heading = h('h2', { class: 'side-videos__title' }, `More from ${video.uploader_username}`);
  const element = h('aside', { class: 'watch__side side-videos', 'aria-labelledby': 'side-videos-title' }, heading, list);
  heading.id = 'side-videos-title';
  list.append(...Array.from({ length: 4 }, () => h('li', { class: 'side-video', 'aria-hidden': 'true' },
    h('div', { class: 'skeleton side-video__thumb' }), h('div', { class: 'side-video__text' },
      h('div', { class: 'skeleton skeleton--title' }), h('div', { class: 'skeleton skeleton--line skeleton--short' })))));
  (async () => {
    try {
      const own = await api.get('/api/videos/', { query: { uploaded_by: video.uploaded_by, limit: 9 }, signal });
      let items = own.videos.filter((v) => v.id !== video.id && v.processing_status === 'completed');
      if (items.length === 0) {
        heading.textContent = 'More videos';
        const recent = await api.get('/api/videos/', { query: { limit: 9 }, signal });
        items = recent.videos.filter((v) => v.id !== video.id && v.processing_status === 'completed');
      }
      if (items.length === 0) {
        element.hidden = true;
        return;
      }
      list.replaceChildren(...items.slice(0, 8).map(sideCard));
    } catch (error) {
      if (!isAbortError(error)) element.hidden = true;
    }
  })();
  return element;
}

export default async function render({ params, query, signal, setTitle, navigate }) {
  const shortId = params.shortId;
  const path = `/api/videos/${encodeURIComponent(shortId)}`;
  const autoplay = autoplayShortId === shortId;
  autoplayShortId = null;
  // Played from a playlist: the queue loads beside the video; a failure only leaves the bar out.
  const listParams = readPlaylistParams(query);
  const queueHost = h('div', { class: 'watch__queue', hidden: true });
  const queueLoad = listParams
    ? loadPlaylistQueue({ ...listParams, shortId, signal }).catch(() => null)
    : Promise.resolve(null);
  queueLoad.then((queue) => {
    if (!queue || signal?.aborted) return;
    queueHost.replaceChildren(queueBar(queue));
    queueHost.hidden = false;
  });
  let video;
  try {
    video = await api.get(path, { signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return unavailable(error.message);
    throw error;
  }
  setTitle(video.title);
  const isOwner = video.uploaded_by === session.user?.id;

  let player = null;
  let viewCounted = false;
  let markers = [];

  // --- details -----------------------------------------------------------------------------------
  const title = h('h1', { class: 'watch__title' }, video.title);
  const views = h('span', { class: 'watch__views' }, formatViews(video.view_count));
  const uploaderHref = `/u/${encodeURIComponent(video.uploader_username)}`;
  const actions = h('div', { class: 'watch__actions' });
  if (video.processing_status === 'completed') actions.append(saveToPlaylist({ video, signal }));
  if (navigator.clipboard?.writeText) {
    actions.append(h('button', {
      class: 'button button--ghost watch-action', type: 'button',
      onClick: async () => {
        try {
          await navigator.clipboard.writeText(new URL(`/v/${encodeURIComponent(video.short_id)}`, location.origin).href);
          toast('Link copied.', { tone: 'success' });
        } catch {
          toast("Couldn't copy the link. Copy it from the address bar.", { tone: 'error' });
        }
      },
    }, mediaIcon('link'), h('span', {}, 'Copy link')));
  }
  if (isOwner) {
    actions.append(h('a', { class: 'button button--ghost watch-action', href: '/my/videos' }, mediaIcon('edit'), h('span', {}, 'Manage')));
  }

  const seekTo = (seconds) => {
    if (!player) return;
    player.seek(seconds, { play: true });
    player.element.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  };
  const description = (video.description ?? '').trim();
  const descriptionText = h('div', { class: 'watch__description' },
    description ? richText(description, seekTo, () => player?.duration ?? video.duration_seconds ?? 0) : h('span', { class: 'muted' }, 'No description.'));
  const long = description.length > DESCRIPTION_CLAMP || description.split('\n').length > 4;
  const moreToggle = long && h('button', { class: 'link-button watch__more', type: 'button', 'aria-expanded': 'false' }, 'Show more');
  if (long) {
    descriptionText.classList.add('is-clamped');
    moreToggle.addEventListener('click', () => {
      const expanded = moreToggle.getAttribute('aria-expanded') !== 'true';
      moreToggle.setAttribute('aria-expanded', String(expanded));
      moreToggle.textContent = expanded ? 'Show less' : 'Show more';
      descriptionText.classList.toggle('is-clamped', !expanded);
    });
  }

  const details = h('div', { class: 'watch__details' },
    title,
    h('div', { class: 'watch__bar' },
      h('div', { class: 'watch__uploader' },
        avatar({ username: video.uploader_username }, 'md'),
        h('div', { class: 'watch__uploader-text' },
          h('a', { class: 'watch__uploader-name', href: uploaderHref }, video.uploader_username),
          h('p', { class: 'watch__uploader-note muted' }, isOwner ? 'Your video' : 'Uploader'))),
      actions),
    h('div', { class: 'watch__info' },
      h('p', { class: 'watch__stats' },
        views,
        h('span', { 'aria-hidden': 'true' }, ' · '),
        h('time', { datetime: video.created_at, title: new Date(video.created_at).toLocaleString() }, formatDate(video.created_at)),
        video.category_slug && [h('span', { 'aria-hidden': 'true' }, ' · '),
          h('a', { class: 'chip chip--small watch__category', href: `/c/${encodeURIComponent(video.category_slug)}` }, mediaIcon('tag'), video.category_name)]),
      descriptionText,
      moreToggle),
  );

  // --- the stage: player, or the status of a video that is not ready ---------------------------------
  const stage = h('div', { class: 'watch__stage' });
  // Comments belong to a playable video: shown once it is ready.
  const commentsHost = h('div', { class: 'watch__comments' });
  let comments = null;
  function mountComments() {
    if (comments) return;
    comments = commentsSection({
      video,
      getPlayer: () => player,
      signal,
      onMarkers: (next) => {
        markers = next;
        player?.setMarkers(markers);
      },
    });
    commentsHost.replaceChildren(comments.element);
  }

  async function countView() {
    if (viewCounted) return;
    viewCounted = true;
    try {
      const answer = await api.post(`${path}/view`, undefined, { signal });
      if (Number.isFinite(answer?.view_count)) views.textContent = formatViews(answer.view_count);
    } catch { /* a view that was not counted is not worth an error */ }
  }

  async function mountPlayer() {
    const info = await api.get(`${path}/stream-info`, { signal });
    if (!info.ready) return false;
    player = createPlayer({
      info,
      title: video.title,
      signal,
      durationHint: video.duration_seconds,
      refreshInfo: () => api.get(`${path}/stream-info`, { signal }),
      onFirstPlay: countView,
    });
    player.setMarkers(markers);
    player.media.addEventListener('ended', async () => {
      const queue = await queueLoad;
      if (!queue?.nextHref || signal?.aborted) return;
      autoplayShortId = queue.next.video.short_id;
      navigate(queue.nextHref);
    }, { signal });
    if (autoplay) player.media.play().catch(() => {}); // a browser may refuse: then the Play button
    stage.replaceChildren(player.element);
    mountComments();
    comments.attachPlayer();
    return true;
  }

  function pendingView() {
    const meter = processingMeter({ label: 'Processing' });
    const heading = h('h2', { class: 'watch__pending-title' });
    const text = h('p', { class: 'watch__pending-text' });
    const failure = h('p', { class: 'watch__pending-error', role: 'alert' });
    const box = h('div', { class: 'watch__pending', dataset: { testid: 'video-status' } },
      h('span', { class: 'watch__pending-icon', 'aria-hidden': 'true' }, mediaIcon('hourglass')),
      heading, text, meter.element, failure);
    const update = () => {
      const status = video.processing_status;
      box.dataset.status = status;
      heading.textContent = status === 'failed' ? 'Processing failed' : `${STATUS_LABEL[status] ?? status}…`;
      text.textContent = status === 'failed'
        ? 'This video could not be prepared for playback.'
        : isOwner
          ? 'Clipset is preparing your video for every screen. It plays here as soon as it is ready.'
          : 'This video is being prepared. Check back in a moment.';
      failure.textContent = status === 'failed' ? (video.error_message || 'The file could not be processed.') : '';
      failure.hidden = status !== 'failed';
      meter.element.hidden = status === 'failed';
      box.querySelector('.watch__pending-icon').replaceChildren(mediaIcon(status === 'failed' ? 'alert' : 'hourglass'));
      meter.update(video);
    };
    update();
    return { element: box, update };
  }

  if (video.processing_status === 'completed') {
    stage.append(h('div', { class: 'watch__pending watch__pending--loading', 'aria-hidden': 'true' }, h('div', { class: 'spinner' })));
    try {
      if (!(await mountPlayer())) stage.replaceChildren(pendingView().element);
    } catch (error) {
      if (isAbortError(error)) throw error;
      stage.replaceChildren(h('div', { class: 'watch__pending', role: 'alert' },
        h('span', { class: 'watch__pending-icon', 'aria-hidden': 'true' }, icon('alert')),
        h('h2', { class: 'watch__pending-title' }, "Couldn't load the video"),
        h('p', { class: 'watch__pending-text' }, error.message),
        h('button', { class: 'button button--primary', type: 'button', onClick: () => location.reload() }, icon('refresh'), 'Try again')));
    }
  } else {
    const pending = pendingView();
    stage.append(pending.element);
    if (isOwner && !TERMINAL.has(video.processing_status)) {
      let mounting = false;
      const becameReady = async () => {
        if (mounting || player) return;
        mounting = true;
        try {
          video = { ...video, ...(await api.get(path, { signal })) };
          if (await mountPlayer()) {
            toast('Your video is ready.', { tone: 'success' });
            if (!actions.querySelector('.playlist-picker')) actions.prepend(saveToPlaylist({ video, signal }));
          }
        } finally {
          mounting = false;
        }
      };
      followVideos({
        signal,
        refresh: async () => {
          if (TERMINAL.has(video.processing_status)) return;
          video = { ...video, ...(await api.get(path, { signal })) };
          pending.update();
          if (video.processing_status === 'completed') await becameReady();
        },
        onEvent: (event) => {
          const next = applyLiveEvent(video, event);
          if (!next || next.deleted) return;
          const wasTerminal = TERMINAL.has(video.processing_status);
          video = next;
          if (player) return;
          pending.update();
          if (!wasTerminal && video.processing_status === 'completed') becameReady().catch(() => {});
        },
      });
    }
  }

  // Shortcuts anywhere on the page, except while typing or in a dialog.
  document.addEventListener('keydown', (event) => {
    if (!player || event.defaultPrevented) return;
    const target = event.target;
    if (target instanceof Element) {
      if (player.element.contains(target)) return; // the player handles its own keys
      if (target.closest('input, textarea, select, [contenteditable], dialog, .playlist-picker')) return;
      if (event.key === ' ' && target.closest('button, a')) return;
      if ((event.key.startsWith('Arrow') || event.key === 'Home' || event.key === 'End') && target !== document.body && !target.matches('main, .page, h1')) return;
    }
    player.handleKey(event);
  }, { signal });

  return page({ className: 'watch' },
    h('div', { class: 'watch__layout' },
      h('div', { class: 'watch__main' }, stage, queueHost, details, commentsHost),
      moreVideos(video, signal)));
}

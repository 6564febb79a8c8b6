/**
 * The video player of the watch page: a <video> element with Clipset's own controls.
 *
 *   const player = createPlayer({ info, title, signal, refreshInfo, onFirstPlay });
 *   page.append(player.element);
 *   player.seek(83, { play: true });        // e.g. from a "1:23" in a comment
 *   player.setMarkers([{ seconds, count }]); // comment markers on the timeline
 *   player.onTime((seconds) => …);          // about 4 times a second while playing (and on seeks)
 *   player.handleKey(event)                  // the watch page forwards keys pressed outside fields
 *
 * `info` is GET /api/videos/{short_id}/stream-info of a ready video. Source: the HLS ladder
 * (`signed_manifest_url`) where the browser plays HLS itself
 * (`canPlayType('application/vnd.apple.mpegurl')`, e.g. Safari and Chromium), else the
 * progressive MP4 (`progressive_url`, the signed form of /stream). Signed URLs need no token and
 * expire: on a media error the player asks `refreshInfo()` for new ones and continues where it
 * was; if HLS fails again it falls back to the progressive file, and only then shows an error.
 *
 * Controls: play/pause, a timeline (role=slider: arrows ±5 s, PageUp/PageDown ±10 %, Home/End;
 * dragging scrubs) with buffered range, comment markers and storyboard previews on hover
 * (`storyboard_url`), mute and volume (a labelled range, remembered), time, a playback-speed menu
 * (role=menu, arrow keys, Escape), picture-in-picture and full screen. Shortcuts while the player
 * (or the page) has focus: Space/K play-pause, J/L and ←/→ seek, ↑/↓ volume, M mute, F full
 * screen, 0–9 jump to 0–90 %. Controls hide while playing when the pointer rests.
 */
import { h, uid } from './dom.js';
import { formatDuration } from './format.js';
import { mediaIcon } from './inline-icons.js';
import { loadStoryboard } from './storyboard.js';

const HLS_TYPE = 'application/vnd.apple.mpegurl';
const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
const VOLUME_KEY = 'clipset.player.volume';
const MUTED_KEY = 'clipset.player.muted';
const IDLE_MS = 2600;

function speedLabel(rate) {
  return rate === 1 ? 'Normal' : `${rate}×`;
}

function readNumber(key, fallback) {
  try {
    const value = Number(localStorage.getItem(key));
    return localStorage.getItem(key) !== null && Number.isFinite(value) ? value : fallback;
  } catch {
    return fallback;
  }
}

function store(key, value) {
  try { localStorage.setItem(key, String(value)); } catch { /* private mode */ }
}

function describeTime(seconds, duration) {
  const spoken = (value) => {
    const s = Math.max(0, Math.floor(value || 0));
    const m = Math.floor(s / 60);
    const rest = s % 60;
    return m ? `${m} minute${m === 1 ? '' : 's'} ${rest} second${rest === 1 ? '' : 's'}` : `${rest} second${rest === 1 ? '' : 's'}`;
  };
  return Number.isFinite(duration) && duration > 0 ? `${spoken(seconds)} of ${spoken(duration)}` : spoken(seconds);
}

export function createPlayer({ info, title = 'Video', signal, refreshInfo, onFirstPlay, durationHint = null }) {
  let streamInfo = info;
  let sourceKind = null;
  let forceProgressive = false;
  let recoveries = 0;
  let started = false;
  let countedPlay = false;
  let markers = [];
  let storyboard = null;
  let scrubbing = false;
  let idleTimer = 0;
  let previewTimer = 0;
  const timeListeners = new Set();

  // --- elements ---------------------------------------------------------------------------------
  const media = h('video', {
    class: 'player__video',
    playsinline: true,
    preload: 'metadata',
    'aria-label': title,
  });
  if (info.thumbnail_url) media.poster = info.thumbnail_url;

  const bigPlay = h('button', { class: 'player__big-play', type: 'button', 'aria-label': 'Play' }, mediaIcon('play-solid'));
  const spinner = h('div', { class: 'player__spinner', 'aria-hidden': 'true', hidden: true });
  const errorText = h('p', { class: 'player__error-text' });
  const errorRetry = h('button', { class: 'button button--primary button--sm', type: 'button' }, 'Try again');
  const errorBox = h('div', { class: 'player__error', role: 'alert', hidden: true }, errorText, errorRetry);

  // Timeline
  const buffered = h('div', { class: 'timeline__buffered' });
  const played = h('div', { class: 'timeline__played' });
  const handle = h('div', { class: 'timeline__handle' });
  const markerLayer = h('div', { class: 'timeline__markers', 'aria-hidden': 'true' });
  const previewImage = h('div', { class: 'timeline__preview-image', hidden: true });
  const previewTime = h('span', { class: 'timeline__preview-time' });
  const previewNote = h('span', { class: 'timeline__preview-note', hidden: true });
  const preview = h('div', { class: 'timeline__preview', 'aria-hidden': 'true', hidden: true }, previewImage, previewTime, previewNote);
  const timeline = h('div', {
    class: 'timeline',
    role: 'slider',
    tabindex: '0',
    'aria-label': 'Seek',
    'aria-valuemin': '0',
    'aria-valuemax': '0',
    'aria-valuenow': '0',
    'aria-valuetext': describeTime(0, durationHint),
    dataset: { testid: 'timeline' },
  }, h('div', { class: 'timeline__track' }, buffered, played, markerLayer, handle), preview);

  // Buttons
  const playButton = h('button', { class: 'player__button', type: 'button', 'aria-label': 'Play' }, mediaIcon('play-solid'));
  const back = h('button', { class: 'player__button player__button--skip', type: 'button', 'aria-label': 'Back 10 seconds' }, mediaIcon('skip-back'));
  const forward = h('button', { class: 'player__button player__button--skip', type: 'button', 'aria-label': 'Forward 10 seconds' }, mediaIcon('skip-forward'));
  const muteButton = h('button', { class: 'player__button', type: 'button', 'aria-label': 'Mute' }, mediaIcon('volume'));
  const volumeId = uid('volume');
  const volume = h('input', { class: 'player__volume-range', type: 'range', id: volumeId, min: '0', max: '1', step: '0.05', value: '1' });
  const volumeGroup = h('div', { class: 'player__volume' },
    muteButton,
    h('label', { class: 'visually-hidden', for: volumeId }, 'Volume'),
    volume);
  const time = h('span', { class: 'player__time', 'aria-hidden': 'true' }, '0:00 / 0:00');

  const menuId = uid('speed-menu');
  const speedButton = h('button', {
    class: 'player__button player__button--text', type: 'button',
    'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-controls': menuId, 'aria-label': 'Playback speed: Normal',
  }, mediaIcon('gear'), h('span', { class: 'player__speed-value' }, '1×'));
  const speedItems = SPEEDS.map((rate) => h('li', { role: 'none' },
    h('button', { class: 'player__menu-item', type: 'button', role: 'menuitemradio', tabindex: '-1', 'aria-checked': String(rate === 1), dataset: { rate: String(rate) } },
      speedLabel(rate))));
  const speedMenu = h('ul', { class: 'player__menu', id: menuId, role: 'menu', 'aria-label': 'Playback speed', hidden: true }, speedItems);
  const speedGroup = h('div', { class: 'player__menu-group' }, speedButton, speedMenu);

  const pipButton = h('button', { class: 'player__button', type: 'button', 'aria-label': 'Picture in picture' }, mediaIcon('pip'));
  pipButton.hidden = !(document.pictureInPictureEnabled && typeof media.requestPictureInPicture === 'function');
  const fullButton = h('button', { class: 'player__button', type: 'button', 'aria-label': 'Full screen' }, mediaIcon('maximize'));
  fullButton.hidden = !document.fullscreenEnabled;

  const controls = h('div', { class: 'player__controls' },
    timeline,
    h('div', { class: 'player__bar' },
      h('div', { class: 'player__group' }, playButton, back, forward, volumeGroup, time),
      h('div', { class: 'player__group' }, speedGroup, pipButton, fullButton)));

  const element = h('div', {
    class: 'player is-paused is-fresh',
    role: 'region',
    'aria-label': `Video player: ${title}`,
    tabindex: '-1',
    dataset: { testid: 'player' },
  }, media, h('div', { class: 'player__surface', 'aria-hidden': 'true' }), bigPlay, spinner, errorBox, controls);

  // --- source -----------------------------------------------------------------------------------
  const canPlayHls = () => media.canPlayType(HLS_TYPE) !== '';

  function chooseSource(forceProgressive = false) {
    if (!forceProgressive && streamInfo.format === 'hls' && streamInfo.signed_manifest_url && canPlayHls()) {
      return { kind: 'hls', url: streamInfo.signed_manifest_url };
    }
    return { kind: 'progressive', url: streamInfo.progressive_url };
  }

  function load({ at = 0, resume = false } = {}) {
    const source = chooseSource(forceProgressive);
    sourceKind = source.kind;
    element.dataset.source = source.kind;
    errorBox.hidden = true;
    media.src = source.url;
    if (at > 0) {
      media.addEventListener('loadedmetadata', () => { media.currentTime = Math.min(at, media.duration || at); }, { once: true });
    }
    if (resume) media.play().catch(() => {});
  }

  async function recover() {
    if (signal?.aborted) return;
    const at = media.currentTime || 0;
    const resume = started;
    recoveries += 1;
    if (recoveries === 1 && refreshInfo) {
      // Most often the signed URLs expired: new ones, same kind of source, same place.
      try {
        const fresh = await refreshInfo();
        if (signal?.aborted) return;
        if (fresh?.ready) streamInfo = fresh;
        load({ at, resume });
        return;
      } catch { /* fall through */ }
    }
    if (recoveries <= 2 && sourceKind === 'hls') {
      forceProgressive = true;
      load({ at, resume });
      return;
    }
    spinner.hidden = true;
    errorText.textContent = 'This video could not be played. Check your connection and try again.';
    errorBox.hidden = false;
  }
  errorRetry.addEventListener('click', async () => {
    recoveries = 0;
    errorBox.hidden = true;
    try {
      const fresh = refreshInfo ? await refreshInfo() : null;
      if (fresh?.ready) streamInfo = fresh;
    } catch { /* try with what we have */ }
    load({ at: media.currentTime || 0, resume: true });
  });

  // --- state → UI ---------------------------------------------------------------------------------
  const duration = () => (Number.isFinite(media.duration) && media.duration > 0 ? media.duration : (durationHint ?? 0));

  function renderTime() {
    const d = duration();
    const t = media.currentTime || 0;
    const fraction = d > 0 ? Math.min(1, t / d) : 0;
    played.style.setProperty('width', `${fraction * 100}%`);
    handle.style.setProperty('left', `${fraction * 100}%`);
    time.textContent = `${formatDuration(t)} / ${formatDuration(d)}`;
    timeline.setAttribute('aria-valuemax', String(Math.round(d)));
    timeline.setAttribute('aria-valuenow', String(Math.round(t)));
    timeline.setAttribute('aria-valuetext', describeTime(t, d));
    let end = 0;
    for (let i = 0; i < media.buffered.length; i++) {
      if (media.buffered.start(i) <= t + 0.5) end = Math.max(end, media.buffered.end(i));
    }
    buffered.style.setProperty('width', `${d > 0 ? Math.min(1, end / d) * 100 : 0}%`);
    for (const listener of timeListeners) listener(t);
  }

  function renderPlay() {
    const paused = media.paused || media.ended;
    element.classList.toggle('is-paused', paused);
    element.classList.toggle('is-ended', media.ended);
    playButton.replaceChildren(mediaIcon(media.ended ? 'replay' : paused ? 'play-solid' : 'pause-solid'));
    playButton.setAttribute('aria-label', media.ended ? 'Replay' : paused ? 'Play' : 'Pause');
    bigPlay.setAttribute('aria-label', media.ended ? 'Replay' : 'Play');
    bigPlay.replaceChildren(mediaIcon(media.ended ? 'replay' : 'play-solid'));
    if (paused) showControls();
    else scheduleIdle();
  }

  function renderVolume() {
    const level = media.muted ? 0 : media.volume;
    volume.value = String(level);
    volume.style.setProperty('--level', `${level * 100}%`);
    volume.setAttribute('aria-valuetext', media.muted ? 'Muted' : `${Math.round(media.volume * 100)}%`);
    muteButton.setAttribute('aria-label', media.muted || media.volume === 0 ? 'Unmute' : 'Mute');
    muteButton.replaceChildren(mediaIcon(media.muted || media.volume === 0 ? 'volume-off' : media.volume < 0.5 ? 'volume-low' : 'volume'));
  }

  function renderMarkers() {
    const d = duration();
    markerLayer.replaceChildren();
    if (!(d > 0)) return;
    for (const marker of markers) {
      if (marker.seconds > d + 1) continue;
      const left = Math.min(100, (marker.seconds / d) * 100);
      markerLayer.append(h('span', {
        class: ['timeline__marker', marker.count > 1 && 'timeline__marker--many'],
        style: { left: `${left}%` },
        dataset: { seconds: String(marker.seconds), count: String(marker.count) },
      }));
    }
  }

  // --- playback ---------------------------------------------------------------------------------
  function togglePlay() {
    if (media.paused || media.ended) {
      const attempt = media.play();
      attempt?.catch(() => renderPlay());
    } else {
      media.pause();
    }
  }

  function seek(seconds, { play = false } = {}) {
    const d = duration();
    const target = Math.max(0, d > 0 ? Math.min(seconds, d - 0.05) : seconds);
    if (media.readyState === 0) {
      // Not loaded yet: seek once the metadata is there.
      media.addEventListener('loadedmetadata', () => { media.currentTime = target; }, { once: true });
      if (!media.src) load();
    } else {
      media.currentTime = target;
    }
    renderTime();
    if (play) media.play().catch(() => {});
    return true;
  }

  function setVolume(level) {
    media.volume = Math.max(0, Math.min(1, level));
    media.muted = media.volume === 0;
    store(VOLUME_KEY, media.volume);
    store(MUTED_KEY, media.muted ? 1 : 0);
  }

  function toggleMute() {
    if (media.muted || media.volume === 0) {
      media.muted = false;
      if (media.volume === 0) media.volume = 0.6;
    } else {
      media.muted = true;
    }
    store(MUTED_KEY, media.muted ? 1 : 0);
    store(VOLUME_KEY, media.volume);
  }

  async function toggleFullscreen() {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await element.requestFullscreen();
    } catch { /* not allowed here */ }
  }

  async function togglePip() {
    try {
      if (document.pictureInPictureElement) await document.exitPictureInPicture();
      else await media.requestPictureInPicture();
    } catch { /* not available */ }
  }

  // --- controls visibility --------------------------------------------------------------------------
  function showControls() {
    element.classList.remove('is-idle');
    clearTimeout(idleTimer);
  }
  function scheduleIdle() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      if (!media.paused && !scrubbing && !controls.contains(document.activeElement) && speedMenu.hidden) {
        element.classList.add('is-idle');
      }
    }, IDLE_MS);
  }
  function activity() {
    showControls();
    if (!media.paused) scheduleIdle();
  }

  // --- timeline interaction -----------------------------------------------------------------------
  function timeAt(clientX) {
    const box = timeline.getBoundingClientRect();
    const fraction = Math.max(0, Math.min(1, (clientX - box.left) / Math.max(1, box.width)));
    let seconds = fraction * duration();
    // Snap to a comment marker under the pointer (within 6 px).
    const d = duration();
    if (d > 0) {
      const perPixel = d / Math.max(1, box.width);
      const near = markers.find((marker) => Math.abs(marker.seconds - seconds) <= perPixel * 6);
      if (near) seconds = near.seconds;
    }
    return { seconds, fraction: d > 0 ? seconds / d : fraction };
  }

  function showPreview(seconds) {
    const d = duration();
    if (!(d > 0)) return;
    const box = timeline.getBoundingClientRect();
    const cue = storyboard?.at(seconds);
    let width = 0;
    if (cue && cue.w > 0) {
      previewImage.hidden = false;
      previewImage.style.setProperty('width', `${cue.w}px`);
      previewImage.style.setProperty('height', `${cue.h}px`);
      previewImage.style.setProperty('background-image', `url("${cue.url}")`);
      previewImage.style.setProperty('background-position', `-${cue.x}px -${cue.y}px`);
      width = cue.w;
    } else {
      previewImage.hidden = true;
    }
    previewTime.textContent = formatDuration(seconds);
    const perPixel = d / Math.max(1, box.width);
    const near = markers.filter((marker) => Math.abs(marker.seconds - seconds) <= Math.max(1, perPixel * 6));
    const comments = near.reduce((sum, marker) => sum + marker.count, 0);
    previewNote.hidden = comments === 0;
    previewNote.textContent = comments === 1 ? '1 comment' : `${comments} comments`;
    preview.hidden = false;
    const half = Math.max(width, 64) / 2;
    const x = Math.max(half, Math.min(box.width - half, (seconds / d) * box.width));
    preview.style.setProperty('left', `${x}px`);
  }

  function hidePreview() {
    if (!scrubbing) preview.hidden = true;
  }

  timeline.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    timeline.focus({ preventScroll: true });
    scrubbing = true;
    element.classList.add('is-scrubbing');
    timeline.setPointerCapture(event.pointerId);
    const { seconds } = timeAt(event.clientX);
    seek(seconds);
    showPreview(seconds);
  });
  timeline.addEventListener('pointermove', (event) => {
    const { seconds } = timeAt(event.clientX);
    if (scrubbing) seek(seconds);
    showPreview(seconds);
  });
  const endScrub = (event) => {
    if (!scrubbing) return;
    scrubbing = false;
    element.classList.remove('is-scrubbing');
    if (timeline.hasPointerCapture?.(event.pointerId)) timeline.releasePointerCapture(event.pointerId);
    if (event.type === 'pointercancel' || event.pointerType !== 'mouse') hidePreview();
  };
  timeline.addEventListener('pointerup', endScrub);
  timeline.addEventListener('pointercancel', endScrub);
  timeline.addEventListener('pointerleave', hidePreview);

  timeline.addEventListener('keydown', (event) => {
    const d = duration();
    let target = null;
    switch (event.key) {
      case 'ArrowLeft': case 'ArrowDown': target = media.currentTime - 5; break;
      case 'ArrowRight': case 'ArrowUp': target = media.currentTime + 5; break;
      case 'PageDown': target = media.currentTime - d * 0.1; break;
      case 'PageUp': target = media.currentTime + d * 0.1; break;
      case 'Home': target = 0; break;
      case 'End': target = d; break;
      default: return;
    }
    event.preventDefault();
    event.stopPropagation();
    seek(target);
    showPreview(Math.max(0, Math.min(d, target)));
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => { if (!timeline.matches(':hover')) preview.hidden = true; }, 1200);
  });
  timeline.addEventListener('blur', () => { if (!timeline.matches(':hover')) preview.hidden = true; });

  // --- speed menu ---------------------------------------------------------------------------------
  const menuButtons = () => speedItems.map((item) => item.firstElementChild);
  function openMenu() {
    speedMenu.hidden = false;
    speedButton.setAttribute('aria-expanded', 'true');
    showControls();
    const checked = menuButtons().find((b) => b.getAttribute('aria-checked') === 'true') ?? menuButtons()[0];
    checked.focus();
  }
  function closeMenu({ focusButton = true } = {}) {
    if (speedMenu.hidden) return;
    speedMenu.hidden = true;
    speedButton.setAttribute('aria-expanded', 'false');
    if (focusButton) speedButton.focus();
  }
  function setSpeed(rate) {
    media.playbackRate = rate;
    setSpeedUi(rate); // at once: the ratechange event (which also covers other changes) comes a task later
  }
  speedButton.addEventListener('click', () => (speedMenu.hidden ? openMenu() : closeMenu()));
  speedButton.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      openMenu();
    }
  });
  speedMenu.addEventListener('click', (event) => {
    const item = event.target.closest('[role=menuitemradio]');
    if (!item) return;
    setSpeed(Number(item.dataset.rate));
    closeMenu();
  });
  speedMenu.addEventListener('keydown', (event) => {
    const items = menuButtons();
    const index = items.indexOf(document.activeElement);
    let next = null;
    switch (event.key) {
      case 'ArrowDown': next = items[(index + 1) % items.length]; break;
      case 'ArrowUp': next = items[(index - 1 + items.length) % items.length]; break;
      case 'Home': next = items[0]; break;
      case 'End': next = items[items.length - 1]; break;
      case 'Escape': event.preventDefault(); event.stopPropagation(); closeMenu(); return;
      case 'Tab': closeMenu({ focusButton: false }); return;
      default: event.stopPropagation(); return;
    }
    event.preventDefault();
    event.stopPropagation();
    next?.focus();
  });
  document.addEventListener('pointerdown', (event) => {
    if (!speedGroup.contains(event.target)) closeMenu({ focusButton: false });
  }, { signal });

  // --- wiring ---------------------------------------------------------------------------------------
  bigPlay.addEventListener('click', () => {
    togglePlay();
    playButton.focus({ preventScroll: true });
  });
  playButton.addEventListener('click', togglePlay);
  back.addEventListener('click', () => seek(media.currentTime - 10));
  forward.addEventListener('click', () => seek(media.currentTime + 10));
  muteButton.addEventListener('click', toggleMute);
  volume.addEventListener('input', () => setVolume(Number(volume.value)));
  fullButton.addEventListener('click', toggleFullscreen);
  pipButton.addEventListener('click', togglePip);
  const surface = element.querySelector('.player__surface');
  surface.addEventListener('click', () => { togglePlay(); activity(); });
  surface.addEventListener('dblclick', toggleFullscreen);
  element.addEventListener('pointermove', activity);
  element.addEventListener('pointerdown', activity);
  element.addEventListener('focusin', activity);
  element.addEventListener('mouseleave', () => { if (!media.paused) element.classList.add('is-idle'); });

  media.addEventListener('play', () => {
    started = true;
    element.classList.remove('is-fresh');
    renderPlay();
  });
  media.addEventListener('playing', () => {
    spinner.hidden = true;
    recoveries = 0;
    if (!countedPlay) {
      countedPlay = true;
      onFirstPlay?.();
    }
  });
  media.addEventListener('pause', renderPlay);
  media.addEventListener('ended', renderPlay);
  media.addEventListener('waiting', () => { spinner.hidden = false; });
  media.addEventListener('canplay', () => { spinner.hidden = true; });
  media.addEventListener('seeked', () => { spinner.hidden = true; renderTime(); });
  media.addEventListener('timeupdate', renderTime);
  media.addEventListener('progress', renderTime);
  media.addEventListener('durationchange', () => { renderTime(); renderMarkers(); });
  media.addEventListener('loadedmetadata', () => { renderTime(); renderMarkers(); });
  media.addEventListener('volumechange', renderVolume);
  media.addEventListener('ratechange', () => setSpeedUi(media.playbackRate));
  media.addEventListener('error', () => { if (media.error && media.getAttribute('src')) recover(); });
  document.addEventListener('fullscreenchange', () => {
    const full = document.fullscreenElement === element;
    element.classList.toggle('is-fullscreen', full);
    fullButton.setAttribute('aria-label', full ? 'Exit full screen' : 'Full screen');
    fullButton.replaceChildren(mediaIcon(full ? 'minimize' : 'maximize'));
  }, { signal });
  media.addEventListener('enterpictureinpicture', () => pipButton.setAttribute('aria-label', 'Exit picture in picture'));
  media.addEventListener('leavepictureinpicture', () => pipButton.setAttribute('aria-label', 'Picture in picture'));

  function setSpeedUi(rate) {
    for (const item of menuButtons()) item.setAttribute('aria-checked', String(Number(item.dataset.rate) === rate));
    speedButton.querySelector('.player__speed-value').textContent = `${rate}×`;
    speedButton.setAttribute('aria-label', `Playback speed: ${speedLabel(rate)}`);
  }

  // Keys (on the player, and forwarded by the page for keys pressed outside any field).
  function handleKey(event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return false;
    const target = event.target;
    const onButton = target instanceof HTMLElement && (target.closest('button, a, [role=menu]') !== null);
    const onRange = target === volume;
    const d = duration();
    switch (event.key) {
      case ' ':
      case 'Spacebar':
        if (onButton) return false;
        togglePlay();
        break;
      case 'k': case 'K': togglePlay(); break;
      case 'j': case 'J': seek(media.currentTime - 10); break;
      case 'l': case 'L': seek(media.currentTime + 10); break;
      case 'ArrowLeft': if (onRange) return false; seek(media.currentTime - 5); break;
      case 'ArrowRight': if (onRange) return false; seek(media.currentTime + 5); break;
      case 'ArrowUp': if (onRange) return false; setVolume((media.muted ? 0 : media.volume) + 0.05); break;
      case 'ArrowDown': if (onRange) return false; setVolume((media.muted ? 0 : media.volume) - 0.05); break;
      case 'm': case 'M': toggleMute(); break;
      case 'f': case 'F': toggleFullscreen(); break;
      case 'Home': if (onRange) return false; seek(0); break;
      case 'End': if (onRange) return false; seek(d); break;
      default:
        if (/^[0-9]$/.test(event.key) && d > 0) {
          seek((Number(event.key) / 10) * d);
          break;
        }
        return false;
    }
    event.preventDefault();
    activity();
    return true;
  }
  element.addEventListener('keydown', handleKey);

  // --- start --------------------------------------------------------------------------------------
  media.volume = Math.max(0, Math.min(1, readNumber(VOLUME_KEY, 1)));
  media.muted = readNumber(MUTED_KEY, 0) === 1;
  renderVolume();
  renderPlay();
  renderTime();
  load();
  if (info.storyboard_url) {
    loadStoryboard(info.storyboard_url, { signal }).then((board) => { storyboard = board; }).catch(() => { storyboard = null; });
  }
  signal?.addEventListener('abort', () => {
    clearTimeout(idleTimer);
    clearTimeout(previewTimer);
    media.pause();
    media.removeAttribute('src');
    media.load();
  }, { once: true });

  return {
    element,
    media,
    seek,
    handleKey,
    togglePlay,
    get currentTime() { return media.currentTime || 0; },
    get duration() { return duration(); },
    get source() { return sourceKind; },
    setMarkers(next) {
      markers = [...(next ?? [])].sort((a, b) => a.seconds - b.seconds);
      renderMarkers();
    },
    onTime(listener) {
      timeListeners.add(listener);
      return () => timeListeners.delete(listener);
    },
    focus() { element.focus({ preventScroll: true }); },
  };
}

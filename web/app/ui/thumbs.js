/**
 * Video thumbnails for cards.
 *
 *   thumbnailImage(video)   // an <img alt=""> that loads when it scrolls near the viewport
 *
 * The list routes (GET /api/videos/, playlists) give no signed thumbnail URL, and
 * GET /api/videos/{short_id}/thumbnail needs the access token, which an <img src> cannot send (and
 * which must not end up in URLs). So the image is fetched with the token and shown from a blob: URL
 * (the CSP allows img-src blob:). If a video object ever carries a signed `thumbnail_url`
 * (stream-info has one), that URL is used directly instead. Object URLs are cached per video and
 * thumbnail, so going back to a page shows them at once; the oldest are revoked past 300.
 * Only completed videos with a thumbnail are fetched: a failed request would be a console error.
 */
import { api } from '../api.js';
import { h } from './dom.js';

const MAX_CACHED = 300;
const MAX_PARALLEL = 6;
const cache = new Map(); // key → Promise<string | null>
const queue = [];
let active = 0;

function pump() {
  while (active < MAX_PARALLEL && queue.length) {
    const job = queue.shift();
    active += 1;
    job().finally(() => {
      active -= 1;
      pump();
    });
  }
}

function schedule(task) {
  return new Promise((resolve) => {
    queue.push(() => task().then(resolve, () => resolve(null)));
    pump();
  });
}

/** Whether the API can give a thumbnail for this video now. */
export function hasThumbnail(video) {
  return Boolean(video?.thumbnail_url || (video?.thumbnail_filename && video.processing_status === 'completed'));
}

/** A URL the page may put in <img src>, or null. Cached. */
export function thumbnailUrl(video) {
  if (video?.thumbnail_url) return Promise.resolve(video.thumbnail_url);
  if (!hasThumbnail(video)) return Promise.resolve(null);
  const key = `${video.short_id}:${video.thumbnail_filename}`;
  if (cache.has(key)) {
    const hit = cache.get(key);
    cache.delete(key);
    cache.set(key, hit); // most recently used last
    return hit;
  }
  const promise = schedule(async () => {
    const blob = await api.blob(`/api/videos/${encodeURIComponent(video.short_id)}/thumbnail`);
    return URL.createObjectURL(blob);
  }).then((url) => {
    if (!url) cache.delete(key);
    return url;
  });
  cache.set(key, promise);
  while (cache.size > MAX_CACHED) {
    const [oldKey, oldPromise] = cache.entries().next().value;
    cache.delete(oldKey);
    oldPromise.then((url) => url?.startsWith('blob:') && URL.revokeObjectURL(url));
  }
  return promise;
}

let observer = null;
function lazyObserver() {
  if (observer || !('IntersectionObserver' in globalThis)) return observer;
  observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      observer.unobserve(entry.target);
      entry.target.dispatchEvent(new Event('clipset:visible'));
    }
  }, { rootMargin: '400px 0px' });
  return observer;
}

export function thumbnailImage(video) {
  const img = h('img', { alt: '', decoding: 'async', width: '640', height: '360' });
  if (!hasThumbnail(video)) return img;
  const load = async () => {
    const url = await thumbnailUrl(video);
    if (!url) return;
    img.addEventListener('load', () => { img.dataset.loaded = ''; }, { once: true });
    img.src = url;
  };
  const io = lazyObserver();
  if (io) {
    img.addEventListener('clipset:visible', load, { once: true });
    // Observe once it is in the document (an unattached element never intersects).
    queueMicrotask(() => requestAnimationFrame(() => io.observe(img)));
  } else {
    load();
  }
  return img;
}

/**
 * Resumable uploads over tus 1.0 (media: /api/uploads/, API.md Part A "Uploads").
 *
 *   const upload = new TusUpload({ file, userId, metadata: { title, description, category_id } });
 *   upload.addEventListener('change', () => render(upload));   // state, offset, speed, eta, error
 *   await upload.start();        // resumes a stored upload of the same file, else creates one
 *   upload.pause(); upload.resume(); await upload.cancel();
 *   upload.result                // { videoId, shortId } once the last chunk is in
 *
 *   rememberedUpload(file, userId)  // { url, offset, length, … } of an earlier, unfinished upload
 *   await probeUpload(url)          // HEAD: { offset, length, metadata, shortId } or null (gone)
 *   currentUpload()                 // the upload of this tab (it outlives the upload page)
 *
 * Protocol: POST /api/uploads/ with `Upload-Length` and `Upload-Metadata` (filename, title,
 * description, category_id, base64 UTF-8) → 201 `Location`; then PATCHes of CHUNK_SIZE bytes
 * (`Content-Type: application/offset+octet-stream`, `Upload-Offset`, `Tus-Resumable: 1.0.0`) by
 * XHR, whose upload progress drives the bar; the PATCH that completes the upload answers
 * `X-Video-Id` / `X-Video-Short-Id`. Cancelling DELETEs the upload (termination).
 *
 * Resuming: the upload URL is stored in localStorage under the file's fingerprint (user, name,
 * size, lastModified), with the offset after every chunk. Choosing the same file again (after a
 * reload, a crash, another day within the server's 24 h) finds it; `start()` asks the server with
 * HEAD where it stands (`Upload-Offset`: the bytes of an interrupted PATCH are kept) and continues
 * from there. 409 (offset mismatch) → HEAD and continue; 423 (the server is still finishing the
 * interrupted request) → wait and retry; network errors, 429 and 5xx → retried with back-off
 * (1, 2, 4 … 30 s, eight times) before the upload stops with an error and a Retry.
 *
 * Tokens: every request gets a fresh access token from api.js; a 401 on a PATCH makes one HEAD
 * through api.js's request() (which replaces a refused token), then the PATCH is sent again.
 */
import { ApiError, getAccessToken, isAbortError, request } from '../api.js';

export const CHUNK_SIZE = 5 * 1024 * 1024;
const ENDPOINT = '/api/uploads/';
const STORE_KEY = 'clipset.tusUploads';
const KEEP_MS = 24 * 3600 * 1000; // the server's expiry
const TUS_VERSION = '1.0.0';
const MAX_RETRIES = 8;
const SPEED_WINDOW_MS = 5_000;

// ---------------------------------------------------------------------------------------------
// Remembered uploads (localStorage)
// ---------------------------------------------------------------------------------------------

function fingerprint(file, userId) {
  return [userId ?? '', file.name, file.size, file.lastModified].join('|');
}

function readStore() {
  let map = {};
  try { map = JSON.parse(localStorage.getItem(STORE_KEY) ?? '{}') ?? {}; } catch { map = {}; }
  const now = Date.now();
  for (const [key, entry] of Object.entries(map)) {
    if (!entry?.url || now - (entry.updatedAt ?? 0) > KEEP_MS) delete map[key];
  }
  return map;
}

function writeStore(map) {
  try {
    if (Object.keys(map).length) localStorage.setItem(STORE_KEY, JSON.stringify(map));
    else localStorage.removeItem(STORE_KEY);
  } catch { /* storage full or blocked: resuming after a reload will not work, uploading still does */ }
}

/** The stored, unfinished upload of this file by this user, or null. */
export function rememberedUpload(file, userId) {
  return readStore()[fingerprint(file, userId)] ?? null;
}

function remember(file, userId, entry) {
  const map = readStore();
  const key = fingerprint(file, userId);
  map[key] = { ...(map[key] ?? {}), ...entry, updatedAt: Date.now() };
  writeStore(map);
}

export function forgetUpload(file, userId) {
  const map = readStore();
  delete map[fingerprint(file, userId)];
  writeStore(map);
}

// ---------------------------------------------------------------------------------------------
// Protocol helpers
// ---------------------------------------------------------------------------------------------

function base64(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function unbase64(text) {
  try {
    return new TextDecoder().decode(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));
  } catch {
    return '';
  }
}

/** `Upload-Metadata`: "key base64,key base64" (empty values left out). */
export function encodeMetadata(metadata) {
  return Object.entries(metadata)
    .filter(([, value]) => value !== undefined && value !== null && String(value) !== '')
    .map(([key, value]) => `${key} ${base64(String(value))}`)
    .join(',');
}

export function decodeMetadata(header) {
  const result = {};
  for (const pair of String(header ?? '').split(',')) {
    const [key, value = ''] = pair.trim().split(' ');
    if (key) result[key] = unbase64(value);
  }
  return result;
}

function sentence(text) {
  const trimmed = String(text ?? '').trim();
  if (!trimmed) return '';
  const capital = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

function errorFrom(status, bodyText, retryAfter) {
  let detail = null;
  try { detail = bodyText ? JSON.parse(bodyText)?.detail ?? null : null; } catch { detail = null; }
  const text = typeof detail === 'string' ? sentence(detail) : '';
  let message = text;
  if (status === 0) message = "Can't reach Clipset. Check your connection.";
  else if (status >= 500 && status !== 503) message = 'Something went wrong on our side.';
  else if (status === 503) message = 'Clipset is busy right now.';
  else if (!message) message = status === 413 ? 'That file is too large.' : `The upload failed (${status}).`;
  const seconds = Number(retryAfter);
  return new ApiError(status, message, { detail, retryAfter: Number.isFinite(seconds) && retryAfter !== null ? seconds : null });
}

/**
 * Where an upload stands on the server (HEAD). Null when it is gone (404, expired 410).
 * `shortId`/`videoId` are set when the upload was completed and became a video.
 */
export async function probeUpload(url, { signal } = {}) {
  try {
    const response = await request('HEAD', url, { headers: { 'Tus-Resumable': TUS_VERSION }, responseType: 'response', signal });
    return {
      offset: Number(response.headers.get('Upload-Offset') ?? 0),
      length: Number(response.headers.get('Upload-Length') ?? NaN),
      metadata: decodeMetadata(response.headers.get('Upload-Metadata')),
      shortId: response.headers.get('X-Video-Short-Id'),
      videoId: response.headers.get('X-Video-Id'),
    };
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 410)) return null;
    throw error;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// One upload
// ---------------------------------------------------------------------------------------------

let current = null;
/** The upload this tab started last (it keeps going while the user browses elsewhere). */
export function currentUpload() {
  return current;
}
/** Forgets the tab's upload once it is finished (e.g. "Upload another"). */
export function clearCurrentUpload() {
  if (current && !current.active) current = null;
}

const ACTIVE = new Set(['starting', 'uploading', 'retrying']);

export class TusUpload extends EventTarget {
  /**
   * @param {{ file: File, userId: string, metadata?: {title?: string, description?: string, category_id?: string}, chunkSize?: number }} options
   */
  constructor({ file, userId, metadata = {}, chunkSize = CHUNK_SIZE }) {
    super();
    this.file = file;
    this.userId = userId;
    this.metadata = { filename: file.name, ...metadata };
    this.chunkSize = chunkSize;
    this.total = file.size;
    this.offset = 0;
    this.resumedFrom = 0; // the offset the server already had when this upload (re)started
    this.state = 'idle'; // idle, starting, uploading, paused, retrying, done, error, cancelled
    this.url = null;
    this.result = null; // { videoId, shortId }
    this.error = null; // ApiError
    this.errorKind = null; // 'file' (the server refused the file), 'expired', 'network', 'other'
    this.retryIn = 0; // seconds until the next automatic retry
    this.speed = 0; // bytes per second
    this.eta = null; // seconds left
    this.startedAt = 0;
    this.finishedAt = 0;
    this.usedMetadata = null; // the metadata the server has (a resumed upload keeps its first one)
    this.samples = [];
    this.xhr = null;
    this.run = 0;
    this.onBeforeUnload = (event) => {
      event.preventDefault();
      event.returnValue = '';
    };
    current = this;
  }

  get active() {
    return ACTIVE.has(this.state);
  }

  get fraction() {
    return this.total > 0 ? this.offset / this.total : 0;
  }

  set(changes) {
    Object.assign(this, changes);
    if (this.active) window.addEventListener('beforeunload', this.onBeforeUnload);
    else window.removeEventListener('beforeunload', this.onBeforeUnload);
    this.dispatchEvent(new Event('change'));
  }

  /** Starts (or resumes) the upload. Resolves when it is done, paused, cancelled or failed. */
  async start() {
    if (this.active) return;
    const run = ++this.run;
    this.set({ state: 'starting', error: null, errorKind: null, startedAt: performance.now() });
    try {
      await this.locate(run);
      if (run !== this.run) return;
      await this.loop(run);
    } catch (error) {
      if (run !== this.run) return;
      this.fail(error);
    }
  }

  /** Finds the server's upload (stored one, or a new one) and its offset. */
  async locate(run) {
    if (!this.url) {
      const stored = rememberedUpload(this.file, this.userId);
      if (stored?.url) {
        const found = await probeUpload(stored.url);
        if (found && found.length === this.total) {
          this.url = stored.url;
          this.usedMetadata = { ...found.metadata };
          this.adopt(found);
          return;
        }
        forgetUpload(this.file, this.userId);
      }
      await this.create();
      return;
    }
    const found = await probeUpload(this.url);
    if (run !== this.run) return;
    if (!found) {
      forgetUpload(this.file, this.userId);
      throw Object.assign(new ApiError(410, 'This upload expired on the server. Start it again to send the file anew.'), { kind: 'expired' });
    }
    this.adopt(found);
  }

  adopt(found) {
    this.offset = found.offset;
    this.resumedFrom = found.offset;
    if (found.shortId) this.result = { shortId: found.shortId, videoId: found.videoId };
    this.samples = [[performance.now(), this.offset]];
    this.set({});
  }

  async create() {
    const response = await request('POST', ENDPOINT, {
      headers: {
        'Tus-Resumable': TUS_VERSION,
        'Upload-Length': String(this.total),
        'Upload-Metadata': encodeMetadata(this.metadata),
      },
      responseType: 'response',
    });
    const location = response.headers.get('Location');
    if (!location) throw new ApiError(500, 'The server did not say where to upload.');
    this.url = new URL(location, window.location.href).pathname;
    this.usedMetadata = { ...this.metadata };
    this.offset = Number(response.headers.get('Upload-Offset') ?? 0);
    this.resumedFrom = 0;
    this.samples = [[performance.now(), this.offset]];
    remember(this.file, this.userId, {
      url: this.url, offset: this.offset, length: this.total, name: this.file.name, title: this.metadata.title ?? '',
    });
  }

  async loop(run) {
    let retries = 0;
    let finishing = 0;
    this.set({ state: 'uploading' });
    while (run === this.run && (this.offset < this.total || !this.result)) {
      if (this.offset >= this.total && !this.result) {
        // Everything is there but the answer that named the video was lost: HEAD tells it.
        const found = await probeUpload(this.url);
        if (found?.shortId) {
          this.result = { shortId: found.shortId, videoId: found.videoId };
          break;
        }
        if (!found) throw Object.assign(new ApiError(410, 'This upload expired on the server.'), { kind: 'expired' });
        // Completed but not converted yet (or refused): an empty PATCH at the end retries it.
        finishing += 1;
        if (finishing > 3) throw new ApiError(500, 'The upload is complete but the server did not turn it into a video.');
      }
      const end = Math.min(this.total, this.offset + this.chunkSize);
      try {
        const answer = await this.patch(this.file.slice(this.offset, end), this.offset);
        if (run !== this.run) return;
        retries = 0;
        this.offset = answer.offset;
        if (answer.shortId) this.result = { shortId: answer.shortId, videoId: answer.videoId };
        if (this.offset < this.total) {
          remember(this.file, this.userId, { url: this.url, offset: this.offset, length: this.total });
        }
        this.set({ state: 'uploading', retryIn: 0 });
      } catch (error) {
        if (run !== this.run || isAbortError(error)) return;
        const status = error instanceof ApiError ? error.status : 0;
        if (status === 409) { // the server has another offset: ask it and carry on from there
          const found = await probeUpload(this.url);
          if (!found) throw Object.assign(new ApiError(410, 'This upload expired on the server.'), { kind: 'expired' });
          this.adopt(found);
          continue;
        }
        if (status === 404 || status === 410) {
          forgetUpload(this.file, this.userId);
          throw Object.assign(new ApiError(410, 'This upload expired on the server. Start it again to send the file anew.'), { kind: 'expired' });
        }
        const transient = status === 0 || status === 423 || status === 429 || status === 460 || status >= 500;
        if (!transient || retries >= MAX_RETRIES) throw error;
        retries += 1;
        const wait = status === 423 ? 1 : Math.min(30, error.retryAfter ?? 2 ** (retries - 1));
        for (let left = Math.ceil(wait); left > 0; left--) {
          if (run !== this.run) return;
          this.set({ state: 'retrying', retryIn: left, error });
          await sleep(1000);
        }
        if (run !== this.run) return;
        if (status !== 423) { // after a failed request the server's offset may have moved
          const found = await probeUpload(this.url).catch(() => undefined);
          if (run !== this.run) return;
          if (found === null) throw Object.assign(new ApiError(410, 'This upload expired on the server.'), { kind: 'expired' });
          if (found) this.adopt(found);
        }
        this.set({ state: 'uploading', retryIn: 0, error: null });
      }
    }
    if (run !== this.run) return;
    forgetUpload(this.file, this.userId);
    this.set({ state: 'done', offset: this.total, speed: 0, eta: 0, finishedAt: performance.now() });
  }

  /** One PATCH by XHR (for its upload progress). Resolves { offset, shortId, videoId }. */
  async patch(blob, offset, retried = false) {
    const token = await getAccessToken();
    const result = await new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      this.xhr = xhr;
      xhr.open('PATCH', this.url);
      xhr.setRequestHeader('Tus-Resumable', TUS_VERSION);
      xhr.setRequestHeader('Upload-Offset', String(offset));
      xhr.setRequestHeader('Content-Type', 'application/offset+octet-stream');
      xhr.setRequestHeader('Accept', 'application/json');
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.upload.addEventListener('progress', (event) => this.progress(offset + event.loaded));
      xhr.addEventListener('load', () => resolve(xhr));
      xhr.addEventListener('error', () => reject(errorFrom(0, '')));
      xhr.addEventListener('timeout', () => reject(errorFrom(0, '')));
      xhr.addEventListener('abort', () => reject(new DOMException('The upload was paused.', 'AbortError')));
      xhr.send(blob);
    });
    this.xhr = null;
    if (result.status === 401 && !retried) {
      // Let api.js replace a refused token (a HEAD through request() does), then send again.
      await probeUpload(this.url);
      return this.patch(blob, offset, true);
    }
    if (result.status < 200 || result.status >= 300) {
      throw errorFrom(result.status, result.responseText, result.getResponseHeader('Retry-After'));
    }
    return {
      offset: Number(result.getResponseHeader('Upload-Offset') ?? offset + blob.size),
      shortId: result.getResponseHeader('X-Video-Short-Id'),
      videoId: result.getResponseHeader('X-Video-Id'),
    };
  }

  progress(sent) {
    const now = performance.now();
    this.offset = Math.min(this.total, sent);
    this.samples.push([now, this.offset]);
    while (this.samples.length > 2 && now - this.samples[0][0] > SPEED_WINDOW_MS) this.samples.shift();
    const [t0, b0] = this.samples[0];
    const elapsed = (now - t0) / 1000;
    if (elapsed > 0.25) {
      const speed = (this.offset - b0) / elapsed;
      this.speed = this.speed ? this.speed * 0.6 + speed * 0.4 : speed;
      this.eta = this.speed > 0 ? (this.total - this.offset) / this.speed : null;
    }
    this.dispatchEvent(new Event('change'));
  }

  fail(error) {
    const status = error instanceof ApiError ? error.status : 0;
    let kind = error?.kind ?? 'other';
    if (!error?.kind) {
      if (status === 0 || status >= 500 || status === 429) kind = 'network';
      else if ([400, 403, 413, 415].includes(status)) kind = 'file';
    }
    const apiError = error instanceof ApiError ? error : new ApiError(0, String(error?.message ?? error));
    if (kind === 'file' && this.url) {
      // The server refused the file itself (not a video, too large, over quota): drop the upload.
      const url = this.url;
      this.url = null;
      forgetUpload(this.file, this.userId);
      request('DELETE', url, { headers: { 'Tus-Resumable': TUS_VERSION } }).catch(() => {});
    }
    this.set({ state: 'error', error: apiError, errorKind: kind, speed: 0, eta: null, retryIn: 0 });
  }

  /** Stops sending; the bytes the server has are kept (resume() continues). */
  pause() {
    if (!this.active) return;
    this.run += 1;
    this.xhr?.abort();
    this.xhr = null;
    this.set({ state: 'paused', speed: 0, eta: null, retryIn: 0 });
  }

  resume() {
    if (this.active || this.state === 'done' || this.state === 'cancelled') return Promise.resolve();
    return this.start();
  }

  /** Stops and removes the upload from the server (tus termination). */
  async cancel() {
    this.run += 1;
    this.xhr?.abort();
    this.xhr = null;
    const url = this.url;
    this.url = null;
    forgetUpload(this.file, this.userId);
    this.set({ state: 'cancelled', speed: 0, eta: null, retryIn: 0 });
    if (url && !this.result) {
      try {
        await request('DELETE', url, { headers: { 'Tus-Resumable': TUS_VERSION } });
      } catch { /* gone already, or the server is unreachable: it expires by itself */ }
    }
  }
}

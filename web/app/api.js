/**
 * The Clipset API client: every request the UI makes goes through here.
 *
 *   import { api, ApiError } from '/app/api.js';
 *   const { videos, total } = await api.get('/api/videos/', { query: { limit: 24 }, signal });
 *   await api.post('/api/playlists/', { name: 'Road trip' });
 *   await api.patch(`/api/videos/${id}`, { title });
 *   await api.delete(`/api/comments/${id}`);
 *   await api.upload('/api/videos/upload', formData, { onProgress: (sent, total) => {} });
 *   const blob = await api.blob(`/api/videos/${sid}/thumbnail`);
 *
 * Tokens
 * - The access token (a short-lived JWT) lives only in memory (this module's, and the auth worker's).
 * - The refresh token is stored origin-scoped, so a reload or a new tab stays signed in: in IndexedDB
 *   (the authority) with a copy in localStorage under `clipset.refreshToken` (REFRESH_KEY below).
 * - The API rotates refresh tokens, and presenting an old one again revokes the whole sign-in. All token
 *   work is done by the token broker (auth-broker.js): inside the Web Lock
 *   `navigator.locks.request('clipset-refresh', …)`, reading the stored token inside the lock, so tabs
 *   never present the same refresh token twice (see auth-broker.js for why IndexedDB, not localStorage).
 * - The broker runs in a service worker (auth-worker.js) where possible: a refresh a page started is
 *   finished and stored even when that page is reloaded or closed before the answer arrives (otherwise
 *   the next load would present the rotated token and lose the sign-in), and a reload reuses the fresh
 *   access token instead of refreshing. Without service workers it runs in the page.
 * - The access token is refreshed a minute before it expires (login answers `expires_in`), again before a
 *   request if the timer was late (background tabs), and once after a 401, then the request is retried.
 * - Signing out (here or in another tab) or a refresh token the API refuses ends the session everywhere
 *   (tabs tell each other on the BroadcastChannel `clipset-auth`): listeners of `onAuthChange` hear
 *   `{ type: 'signedout', reason }` and the router sends the user to /login.
 *
 * Errors
 * Every failure is an `ApiError` with `status` (0 when the network failed), a readable `message`, the raw
 * `detail`, `fields` (422: field name → message, e.g. `{ password: 'Must be at least 8 characters.' }`),
 * and `retryAfter` (seconds, from 429/503). Aborted requests reject with the usual `AbortError`
 * (check with `isAbortError`).
 */
import { createBroker } from './auth-broker.js';

// The page's copy of the current refresh token in localStorage (origin-scoped), for other code and
// tools (the browser tests read and seed it). IndexedDB is the authority (see auth-broker.js); at each
// page start the broker reconciles the two: a copy never seen before is adopted (e.g. a test signed
// in through the API and put its token here), a missing copy means the page's storage was cleared,
// which signs out.
const REFRESH_KEY = 'clipset.refreshToken';
const CHANNEL_NAME = 'clipset-auth';
const WORKER_URL = '/app/auth-worker.js';
const WORKER_SCOPE = '/app/auth/';
const WORKER_TIMEOUT_MS = 15_000;
const REFRESH_MARGIN_MS = 60_000;
const EXPIRY_SLACK_MS = 10_000;
const MIN_TIMER_MS = 5_000;

/** An API answer other than 2xx, or a network failure (status 0). */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 for a network failure.
   * @param {string} message Readable text for people.
   * @param {{detail?: unknown, fields?: Record<string,string>, retryAfter?: number|null}} [extra]
   */
  constructor(status, message, { detail = null, fields = {}, retryAfter = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
    this.fields = fields;
    this.retryAfter = retryAfter;
  }

  get isValidation() { return this.status === 422; }
  get isNotFound() { return this.status === 404; }
  get isNetwork() { return this.status === 0; }
}

/** True for the rejection of a request cancelled through its AbortSignal. */
export function isAbortError(error) {
  return error?.name === 'AbortError';
}

const OFFLINE_MESSAGE = "Can't reach Clipset. Check your connection and try again.";

// ---------------------------------------------------------------------------
// The token broker: in the auth service worker, or in this page as a fallback
// ---------------------------------------------------------------------------

let localBroker = null;
function pageBroker() {
  localBroker ??= createBroker();
  return localBroker;
}

let workerPromise = null;
/** The active auth worker, or null where service workers are unavailable (then the page does the work). */
function authWorker() {
  if (!workerPromise) {
    workerPromise = (async () => {
      const container = globalThis.navigator?.serviceWorker;
      if (!container || !globalThis.isSecureContext) return null;
      try {
        const registration = await container.register(WORKER_URL, { scope: WORKER_SCOPE, type: 'module', updateViaCache: 'none' });
        return await activeWorker(registration);
      } catch {
        return null;
      }
    })();
  }
  return workerPromise;
}

function activeWorker(registration) {
  if (registration.active) return Promise.resolve(registration.active);
  return new Promise((resolve) => {
    const worker = registration.installing ?? registration.waiting;
    const timer = setTimeout(() => resolve(registration.active ?? null), 5000);
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'activated') {
        clearTimeout(timer);
        resolve(worker);
      } else if (worker.state === 'redundant') {
        clearTimeout(timer);
        resolve(registration.active ?? null);
      }
    });
  });
}

/** The copy as this page last read or wrote it (another tab may have written a newer one since). */
let lastCopy = null;

/** Writes (or with null, removes) the page's localStorage copy of the refresh token. */
function setCopy(token) {
  lastCopy = token ?? null;
  try {
    if (token) localStorage.setItem(REFRESH_KEY, token);
    else localStorage.removeItem(REFRESH_KEY);
  } catch { /* localStorage unavailable: there is no copy then */ }
}

/** Removes the copy only if it is still the one this page knew: a sign-in written meanwhile (by
 * another tab) stays. */
function clearOwnCopy() {
  try {
    if (localStorage.getItem(REFRESH_KEY) !== lastCopy) return;
  } catch { return; }
  setCopy(null);
}

let startup = null;
/** Once per page, before any token work: reconcile the localStorage copy with the stored sign-in. */
function startupOnce() {
  startup ??= (async () => {
    let copy;
    try {
      copy = localStorage.getItem(REFRESH_KEY);
      lastCopy = copy;
    } catch {
      return; // no localStorage: nothing to reconcile
    }
    const result = await callBroker('startup', { copy });
    if (result && 'copy' in result && result.copy !== copy) setCopy(result.copy);
  })().catch(() => {});
  return startup;
}

/** Runs broker operation `op` (after this page's start-up check). */
async function broker(op, args = {}) {
  await startupOnce();
  return callBroker(op, args);
}

/** Runs broker operation `op` in the worker (falling back to this page if it does not answer). */
async function callBroker(op, args = {}) {
  const worker = await authWorker();
  if (worker && worker.state === 'activated') {
    const answer = await new Promise((resolve) => {
      const { port1, port2 } = new MessageChannel();
      const timer = setTimeout(() => { port1.close(); resolve(null); }, WORKER_TIMEOUT_MS);
      port1.onmessage = (event) => {
        clearTimeout(timer);
        port1.close();
        resolve(event.data);
      };
      worker.postMessage({ op, args }, [port2]);
    });
    if (answer?.ok) return answer.result;
    if (answer) return { error: answer.error };
    workerPromise = null; // the worker went away (an update, say): find it again next time
  }
  // Safe even next to a worker still busy with the same job: both hold the same Web Lock.
  return pageBroker()[op](args);
}

// ---------------------------------------------------------------------------
// Session state of this tab
// ---------------------------------------------------------------------------

const state = {
  accessToken: null,
  expiresAt: 0,
  timer: 0,
  signedIn: false, // this tab holds a sign-in (it may need a refresh before the next request)
};
const listeners = new Set();
const channel = 'BroadcastChannel' in globalThis ? new BroadcastChannel(CHANNEL_NAME) : null;

/**
 * Subscribes to session changes: `{ type: 'signedin' }`, `{ type: 'refreshed' }`,
 * `{ type: 'signedout', reason: 'logout' | 'expired' | 'elsewhere' }`,
 * `{ type: 'signedin-elsewhere' }` (another tab signed in while this one was signed out).
 * @returns {() => void} unsubscribe
 */
export function onAuthChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function emit(event) {
  for (const listener of [...listeners]) {
    try { listener(event); } catch (error) { queueMicrotask(() => { throw error; }); }
  }
}

function useToken({ accessToken, expiresAt }) {
  const fresh = accessToken !== state.accessToken;
  state.accessToken = accessToken;
  state.expiresAt = expiresAt;
  state.signedIn = true;
  clearTimeout(state.timer);
  const lifetime = expiresAt - Date.now();
  const margin = Math.min(REFRESH_MARGIN_MS, lifetime / 4);
  state.timer = setTimeout(() => { refreshSession().catch(() => {}); }, Math.max(MIN_TIMER_MS, lifetime - margin));
  return fresh;
}

/** Forgets the session in this tab and tells listeners. */
function endSession(reason) {
  const hadSession = state.signedIn;
  state.accessToken = null;
  state.signedIn = false;
  state.expiresAt = 0;
  clearTimeout(state.timer);
  if (hadSession || reason === 'logout') emit({ type: 'signedout', reason });
}

/** Applies a broker result: true with a token, false when signed out; throws ApiError otherwise. */
function settle(result) {
  if (result?.accessToken) {
    if (result.refreshToken) setCopy(result.refreshToken);
    if (useToken(result)) emit({ type: 'refreshed' });
    return true;
  }
  if (result?.signedOut) {
    clearOwnCopy();
    if (state.signedIn) channel?.postMessage({ type: 'signedout', reason: 'expired' });
    endSession('expired');
    return false;
  }
  const error = result?.error ?? { status: 0, body: '', retryAfter: null };
  throw error.status === 0 ? new ApiError(0, OFFLINE_MESSAGE) : errorFromParts(error.status, error.body, error.retryAfter);
}

/** Whether this browser holds a sign-in (a stored refresh token), whether or not this tab used it yet. */
export async function hasStoredSession() {
  return Boolean((await broker('hasSession'))?.stored);
}

/** Whether this tab is signed in. */
export function isSignedIn() {
  return state.signedIn;
}

/**
 * Makes sure this tab has a usable access token (fresh from the broker, refreshed only when needed).
 * @returns {Promise<boolean>} true with a token; false when there is no sign-in (any more).
 * @throws {ApiError} when the API could not be asked (network, 429, 503): the sign-in is kept.
 */
export async function refreshSession() {
  return settle(await broker('getToken', { minValidityMs: REFRESH_MARGIN_MS }));
}

/** A new access token after the API refused `failedToken`. */
async function replaceToken(failedToken) {
  return settle(await broker('refresh', { failedToken }));
}

/** Makes sure a usable access token is in memory (refreshing if it is about to expire). */
async function ensureAccessToken() {
  if (!state.signedIn) return;
  if (state.accessToken && Date.now() < state.expiresAt - EXPIRY_SLACK_MS) return;
  await settle(await broker('getToken', { minValidityMs: EXPIRY_SLACK_MS * 3 }));
}

/** A valid access token for the few places that cannot send a header (e.g. `EventSource` with `?token=`). */
export async function getAccessToken() {
  await ensureAccessToken();
  return state.accessToken;
}

/** The claims of the current access token (`user_id`, `username`, `role`, `exp`, …), or null. */
export function tokenClaims() {
  if (!state.accessToken) return null;
  try {
    const payload = state.accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

// Other tabs of this origin: signed out (end here too) or signed in (offer to follow).
channel?.addEventListener('message', async (event) => {
  const type = event.data?.type;
  if (type === 'signedout' && state.signedIn && !(await hasStoredSession())) {
    endSession(event.data.reason === 'expired' ? 'expired' : 'elsewhere');
  } else if (type === 'signedin' && !state.signedIn) {
    emit({ type: 'signedin-elsewhere' });
  }
});

// ---------------------------------------------------------------------------
// Sign in / sign out
// ---------------------------------------------------------------------------

/** POST /api/auth/login; stores the tokens. Throws ApiError (401 wrong credentials, 403 inactive, 429). */
export async function login(username, password) {
  const grant = await request('POST', '/api/auth/login', { json: { username, password }, auth: false });
  // The copy first: a tab starting meanwhile must not take the new sign-in for a cleared one.
  setCopy(grant.refresh_token);
  settle(await broker('signIn', { grant }));
  emit({ type: 'signedin' });
  channel?.postMessage({ type: 'signedin' });
  return grant;
}

/** POST /api/auth/logout with the stored refresh token (revokes the sign-in), then forgets everything. */
export async function logout() {
  try {
    await broker('signOut');
  } finally {
    setCopy(null);
    endSession('logout');
    channel?.postMessage({ type: 'signedout', reason: 'logout' });
  }
}

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

/** Builds `path?query`, skipping undefined, null and empty values. */
export function buildUrl(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

/**
 * Sends one request. Options: `query` (object), `json` (body sent as JSON), `body` (FormData, Blob…),
 * `headers`, `signal`, `auth` (default true: send the token, refresh on 401 and retry once),
 * `responseType`: 'json' (default; null for an empty body), 'blob', 'text' or 'response'.
 */
export async function request(method, path, options = {}) {
  const { query, json, body, headers = {}, signal, auth = true, responseType = 'json' } = options;
  const url = buildUrl(path, query);
  for (let attempt = 0; ; attempt++) {
    if (auth) await ensureAccessToken();
    const sentToken = auth ? state.accessToken : null;
    const init = { method, headers: { Accept: 'application/json', ...headers }, signal };
    if (json !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(json);
    } else if (body !== undefined) {
      init.body = body;
    }
    if (sentToken) init.headers.Authorization = `Bearer ${sentToken}`;

    let response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new ApiError(0, OFFLINE_MESSAGE);
    }

    if (response.status === 401 && auth && attempt === 0 && state.signedIn) {
      // Someone else may already have refreshed while this request was in flight.
      if (state.accessToken && state.accessToken !== sentToken) continue;
      if (await replaceToken(sentToken)) continue;
    }
    if (!response.ok) throw await errorFromResponse(response);
    return readBody(response, responseType);
  }
}

async function readBody(response, responseType) {
  if (responseType === 'response') return response;
  if (responseType === 'blob') return response.blob();
  const text = await response.text();
  if (responseType === 'text') return text;
  if (!text) return null;
  try { return JSON.parse(text); } catch { return text; }
}

/**
 * Uploads a FormData with progress (fetch cannot report upload progress). Same token handling and errors
 * as `request`. `onProgress(sentBytes, totalBytes)`; resolves with the parsed JSON answer.
 */
export async function upload(path, formData, { method = 'POST', onProgress, signal, query } = {}) {
  const url = buildUrl(path, query);
  for (let attempt = 0; ; attempt++) {
    await ensureAccessToken();
    const sentToken = state.accessToken;
    const result = await new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader('Accept', 'application/json');
      if (sentToken) xhr.setRequestHeader('Authorization', `Bearer ${sentToken}`);
      if (onProgress) xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : 0));
      xhr.addEventListener('load', () => resolve(xhr));
      xhr.addEventListener('error', () => reject(new ApiError(0, OFFLINE_MESSAGE)));
      xhr.addEventListener('abort', () => reject(new DOMException('The upload was cancelled.', 'AbortError')));
      if (signal) {
        if (signal.aborted) { xhr.abort(); return; }
        signal.addEventListener('abort', () => xhr.abort(), { once: true });
      }
      xhr.send(formData);
    });
    if (result.status === 401 && attempt === 0 && state.signedIn) {
      if (state.accessToken && state.accessToken !== sentToken) continue;
      if (await replaceToken(sentToken)) continue;
    }
    const text = result.responseText;
    if (result.status >= 200 && result.status < 300) {
      if (!text) return null;
      try { return JSON.parse(text); } catch { return text; }
    }
    throw errorFromParts(result.status, text, result.getResponseHeader('Retry-After'));
  }
}

/** The shorthand everyone uses. */
export const api = {
  get: (path, options) => request('GET', path, options),
  post: (path, json, options) => request('POST', path, { ...options, json }),
  put: (path, json, options) => request('PUT', path, { ...options, json }),
  patch: (path, json, options) => request('PATCH', path, { ...options, json }),
  delete: (path, options) => request('DELETE', path, options),
  /** POST (or `options.method`) a FormData without progress. */
  form: (path, formData, options = {}) => request(options.method ?? 'POST', path, { ...options, body: formData }),
  upload,
  blob: (path, options) => request('GET', path, { ...options, responseType: 'blob' }),
};

// ---------------------------------------------------------------------------
// Errors: the API's `{"detail": ...}` into readable messages
// ---------------------------------------------------------------------------

async function errorFromResponse(response) {
  let text = '';
  try { text = await response.text(); } catch { /* body unreadable */ }
  return errorFromParts(response.status, text, response.headers.get('Retry-After'));
}

function errorFromParts(status, text, retryAfterHeader) {
  let detail = null;
  try { detail = text ? JSON.parse(text)?.detail ?? null : null; } catch { detail = null; }
  const retryAfter = parseRetryAfter(retryAfterHeader);

  if (status === 422 && Array.isArray(detail)) {
    const fields = {};
    const lines = [];
    for (const problem of detail) {
      const loc = Array.isArray(problem?.loc) ? problem.loc : [];
      const path = loc.filter((part) => !['body', 'query', 'path', 'header'].includes(part));
      const field = path.length ? path.join('.') : '_form';
      const message = friendlyProblem(problem);
      if (!fields[field]) fields[field] = message;
      lines.push(field === '_form' ? message : `${humanizeField(path[path.length - 1])}: ${message}`);
    }
    const message = lines.length === 1 ? lines[0] : `Please check these fields. ${lines.join(' ')}`;
    return new ApiError(status, message, { detail, fields, retryAfter });
  }
  return new ApiError(status, messageFor(status, detail, retryAfter), { detail, retryAfter });
}

function parseRetryAfter(value) {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - Date.now()) / 1000)) : null;
}

function waitText(seconds) {
  if (!seconds) return 'in a moment';
  if (seconds < 90) return `in ${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
}

function sentence(text) {
  const trimmed = String(text).trim();
  if (!trimmed) return trimmed;
  const capital = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

function messageFor(status, detail, retryAfter) {
  const text = typeof detail === 'string' && detail.trim() ? sentence(detail) : '';
  switch (true) {
    case status === 429:
      if (/try again/i.test(text)) return text.replace(/in (\d+) seconds/i, (_, n) => waitText(Number(n)));
      return `${text || 'Too many attempts.'} Please try again ${waitText(retryAfter)}.`;
    case status === 503:
      return `Clipset is busy right now. Please try again ${waitText(retryAfter)}.`;
    case status >= 500:
      return 'Something went wrong on our side. Please try again.';
    case Boolean(text):
      return text;
    case status === 401:
      return 'Please sign in to continue.';
    case status === 403:
      return "You don't have permission to do that.";
    case status === 404:
      return "That doesn't exist (any more).";
    case status === 413:
      return 'That is too large.';
    default:
      return `The request failed (${status}).`;
  }
}

/** One 422 problem as a short sentence (the API's texts follow pydantic). */
function friendlyProblem(problem) {
  const msg = String(problem?.msg ?? '').replace(/^Value error,\s*/i, '');
  const type = problem?.type ?? '';
  let match;
  if (type === 'missing') return 'This field is required.';
  if ((match = /at least (\d+) characters?/i.exec(msg))) {
    return Number(match[1]) <= 1 ? 'This field is required.' : `Must be at least ${match[1]} characters.`;
  }
  if ((match = /at most (\d+) characters?/i.exec(msg))) return `Must be at most ${match[1]} characters.`;
  if ((match = /greater than or equal to (\S+)/i.exec(msg))) return `Must be ${match[1]} or more.`;
  if ((match = /less than or equal to (\S+)/i.exec(msg))) return `Must be ${match[1]} or less.`;
  if (/valid email/i.test(msg)) return 'Enter a valid email address.';
  if (/should match pattern/i.test(msg)) return 'Contains characters that are not allowed.';
  return sentence(msg || 'This value is not valid');
}

function humanizeField(name) {
  const text = String(name ?? '').replace(/_/g, ' ').trim();
  return text ? text[0].toUpperCase() + text.slice(1) : 'Field';
}

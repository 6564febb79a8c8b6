/**
 * Live status of the signed-in user's own videos: GET /api/events (Server-Sent Events, notify).
 *
 *   const stop = subscribeLive({
 *     onEvent: ({ type, id, data }) => { … },   // 'video.status' | 'video.deleted' | 'video.progress'
 *     onState: (state, info) => { … },          // see STATES below
 *   }, { signal });                             // unsubscribes when the page's signal aborts
 *
 *   followVideos({ signal, onEvent, refresh })  // the same, plus `refresh()` (re-read the videos
 *                                               // still processing) whenever events may have been
 *                                               // missed, and every few seconds while the stream is
 *                                               // unavailable (polling fallback)
 *
 * One connection per tab, shared by every subscriber: opened by the first, closed a few seconds
 * after the last one leaves (so moving between Upload, My videos and a watch page keeps it).
 *
 * Why fetch and not EventSource: EventSource cannot send the Authorization header, so the token
 * would have to travel in the URL (`?token=`, which ends up in logs and history), and it cannot
 * change the token when it reconnects. Here every (re)connection asks api.js for a valid access
 * token (refreshed by then if it was about to expire), sends it as a header, and sends
 * `Last-Event-ID` with the id of the last numbered event seen, so the status events missed while
 * disconnected are replayed. The stream is parsed as the SSE spec says (event/data/id/retry
 * fields, comments as keep-alives).
 *
 * Reconnecting: the server ends the stream when the access token expires (or on shutdown) →
 * reconnect at once with a fresh token; a network failure or 5xx → retry with back-off (the
 * server's `retry:` first, then doubling up to 30 s; 503's Retry-After is honoured); a 401 → one
 * authenticated API call lets api.js replace the refused token, then reconnect; nothing received
 * for 3 keep-alive periods (45 s) → the connection is presumed dead and replaced. While the tab
 * is hidden for more than a minute the connection is closed (Chrome allows 6 connections per
 * host for the whole browser) and reopened, with replay, when the tab is visible again; when the
 * browser goes offline it is dropped at once and reopened, with replay, when it is back online.
 *
 * States: 'connecting', 'open' (info.resumed: the server replayed from our Last-Event-ID, so
 * nothing was missed), 'reconnecting' (info.delay ms), 'unavailable' (the server has no live
 * stream: 404/403; retried every minute), 'closed' (no subscribers, or signed out).
 */
import { api, getAccessToken, isAbortError, onAuthChange } from '../api.js';

const ENDPOINT = '/api/events';
const IDLE_CLOSE_MS = 8_000;
const HIDDEN_CLOSE_MS = 60_000;
const DEAD_AFTER_MS = 45_000;
const MAX_BACKOFF_MS = 30_000;
const UNAVAILABLE_RETRY_MS = 60_000;

const subscribers = new Set();
let state = 'closed';
let stateInfo = {};
let lastEventId = null; // id of the last numbered event (or the `ready` event's last_event_id)
let serverRetryMs = 3_000;
let failures = 0;
let generation = 0; // bumps on every stop: a loop of an older generation ends itself
let controller = null; // aborts the current fetch
let idleTimer = 0;
let hiddenTimer = 0;
let wakeUp = null; // resolves the current back-off wait early
let hiddenLongEnough = false; // the tab has been hidden for HIDDEN_CLOSE_MS

function setState(next, info = {}) {
  state = next;
  stateInfo = info;
  for (const subscriber of [...subscribers]) {
    try { subscriber.onState?.(next, info); } catch (error) { queueMicrotask(() => { throw error; }); }
  }
}

function dispatch(event) {
  for (const subscriber of [...subscribers]) {
    try { subscriber.onEvent?.(event); } catch (error) { queueMicrotask(() => { throw error; }); }
  }
}

/** The connection's state now ('connecting', 'open', 'reconnecting', 'unavailable', 'closed'). */
export function liveState() {
  return state;
}

/**
 * Subscribes to the live stream (opening it if needed). `subscriber`: `{ onEvent, onState }` or
 * just an onEvent function. Returns the unsubscribe function; `signal` unsubscribes too.
 */
export function subscribeLive(subscriber, { signal } = {}) {
  const entry = typeof subscriber === 'function' ? { onEvent: subscriber } : { ...subscriber };
  if (signal?.aborted) return () => {};
  subscribers.add(entry);
  clearTimeout(idleTimer);
  entry.onState?.(state, stateInfo);
  if (!controller && !['connecting', 'reconnecting', 'unavailable'].includes(state)) start();
  const unsubscribe = () => {
    if (!subscribers.delete(entry)) return;
    if (subscribers.size === 0) {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => { if (subscribers.size === 0) stop(); }, IDLE_CLOSE_MS);
    }
  };
  signal?.addEventListener('abort', unsubscribe, { once: true });
  return unsubscribe;
}

function start() {
  const mine = ++generation;
  failures = 0;
  run(mine).catch(() => { /* the loop reports through its state */ });
}

function stop(nextState = 'closed') {
  generation += 1;
  controller?.abort();
  controller = null;
  wakeUp?.();
  setState(nextState);
}

/** Waits `ms` (or until woken by a visibility change / a stop). */
function pause(ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      if (wakeUp === done) wakeUp = null;
      resolve();
    }
    wakeUp = done;
  });
}

function backoffDelay(minimum = 0) {
  failures += 1;
  const base = Math.min(MAX_BACKOFF_MS, serverRetryMs * 2 ** Math.min(failures - 1, 4));
  const jitter = base * (0.8 + Math.random() * 0.4);
  return Math.max(minimum, Math.round(jitter));
}

async function run(mine) {
  let rejectedToken = null;
  while (mine === generation && subscribers.size > 0) {
    if (document.visibilityState === 'hidden' && hiddenLongEnough) {
      setState('reconnecting', { delay: null, hidden: true });
      await pause(HIDDEN_CLOSE_MS * 10);
      continue;
    }
    setState(failures === 0 && state !== 'open' ? 'connecting' : 'reconnecting', { delay: 0 });
    let token;
    try {
      token = await getAccessToken();
    } catch {
      token = undefined; // the API could not be asked (offline): retry later
    }
    if (mine !== generation) return;
    if (token === null) { // signed out
      stop();
      return;
    }
    if (!token) {
      const delay = backoffDelay();
      setState('reconnecting', { delay });
      await pause(delay);
      continue;
    }

    const resumed = lastEventId !== null;
    const headers = { Accept: 'text/event-stream', Authorization: `Bearer ${token}` };
    if (resumed) headers['Last-Event-ID'] = String(lastEventId);
    const ownController = new AbortController();
    controller = ownController;
    let response;
    try {
      response = await fetch(ENDPOINT, { headers, signal: ownController.signal, cache: 'no-store' });
    } catch (error) {
      if (mine !== generation || (isAbortError(error) && controller !== ownController)) return;
      const delay = backoffDelay();
      setState('reconnecting', { delay });
      await pause(delay);
      continue;
    }
    if (mine !== generation) {
      response.body?.cancel().catch(() => {});
      return;
    }

    if (response.status === 401) {
      response.body?.cancel().catch(() => {});
      if (rejectedToken === token) {
        // The same token twice: api.js could not replace it (signed out, or the API is down).
        const delay = backoffDelay(5_000);
        setState('reconnecting', { delay });
        await pause(delay);
      } else {
        rejectedToken = token;
        // An authenticated call lets api.js notice the refused token and refresh it (or sign out).
        try { await api.get('/api/auth/me'); } catch { /* reported by api.js */ }
      }
      continue;
    }
    if (response.status === 422) { // our Last-Event-ID was refused: start afresh
      response.body?.cancel().catch(() => {});
      lastEventId = null;
      continue;
    }
    if (response.status === 404 || response.status === 403 || response.status === 405) {
      response.body?.cancel().catch(() => {});
      setState('unavailable', { status: response.status });
      await pause(UNAVAILABLE_RETRY_MS);
      continue;
    }
    if (!response.ok || !response.body) {
      response.body?.cancel().catch(() => {});
      const retryAfter = Number(response.headers.get('Retry-After'));
      const delay = backoffDelay(Number.isFinite(retryAfter) ? retryAfter * 1000 : 0);
      setState('reconnecting', { delay, status: response.status });
      await pause(delay);
      continue;
    }

    rejectedToken = null;
    let ended = 'closed';
    try {
      ended = await readStream(response.body, ownController, resumed, mine);
    } catch (error) {
      ended = isAbortError(error) ? 'aborted' : 'error';
    }
    if (controller === ownController) controller = null;
    if (mine !== generation) return;
    if (ended === 'closed') {
      // The server ended the stream (token expired, shutdown): reconnect promptly with a fresh token.
      failures = 0;
      setState('reconnecting', { delay: 250 });
      await pause(250);
    } else {
      const delay = backoffDelay();
      setState('reconnecting', { delay });
      await pause(delay);
    }
  }
}

/**
 * Reads one response body as an SSE stream until it ends. Returns 'closed' when the server ended
 * it, 'dead' when nothing arrived for too long; throws when the network failed.
 */
async function readStream(body, ownController, resumed, mine) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let event = { type: '', data: [], id: null };
  let dead = false;
  let watchdog = 0;
  const feed = () => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      dead = true;
      ownController.abort();
    }, DEAD_AFTER_MS);
  };
  feed();

  const fire = () => {
    if (event.id !== null) lastEventId = event.id;
    if (event.data.length === 0) {
      event = { type: '', data: [], id: null };
      return;
    }
    const type = event.type || 'message';
    const text = event.data.join('\n');
    let data = null;
    try { data = JSON.parse(text); } catch { data = text; }
    const id = event.id;
    event = { type: '', data: [], id: null };
    if (type === 'ready') {
      if (data && Number.isFinite(Number(data.last_event_id))) lastEventId = String(data.last_event_id);
      failures = 0;
      setState('open', { resumed });
      return;
    }
    dispatch({ type, id, data });
  };

  const line = (text) => {
    if (text === '') {
      fire();
      return;
    }
    if (text.startsWith(':')) return; // a comment: the keep-alive
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event.type = value;
    else if (field === 'data') event.data.push(value);
    else if (field === 'id' && !value.includes('\0')) event.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) serverRetryMs = Math.max(500, Number(value));
  };

  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (mine !== generation) break;
      feed();
      buffer += value;
      // Lines end with \r\n, \n or \r (a lone \r at the very end may still be followed by \n).
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const char = buffer[i];
        if (char !== '\n' && char !== '\r') continue;
        if (char === '\r' && i === buffer.length - 1) break;
        line(buffer.slice(start, i));
        if (char === '\r' && buffer[i + 1] === '\n') i += 1;
        start = i + 1;
      }
      buffer = buffer.slice(start);
    }
  } catch (error) {
    if (dead) return 'dead';
    throw error;
  } finally {
    clearTimeout(watchdog);
    reader.cancel().catch(() => {});
  }
  return 'closed';
}

// Hidden tabs let go of their connection after a while; visible again → reconnect (with replay).
document.addEventListener('visibilitychange', () => {
  clearTimeout(hiddenTimer);
  if (document.visibilityState === 'hidden') {
    hiddenTimer = setTimeout(() => {
      hiddenLongEnough = true;
      controller?.abort();
    }, HIDDEN_CLOSE_MS);
  } else if (hiddenLongEnough) {
    hiddenLongEnough = false;
    failures = 0;
    wakeUp?.();
  }
});

// Offline: the connection is as good as dead (the watchdog would notice only after 45 s), so let it
// go; back online: reconnect at once (with Last-Event-ID, so nothing is missed) instead of waiting
// for the end of the back-off.
window.addEventListener('offline', () => {
  controller?.abort();
});
window.addEventListener('online', () => {
  failures = 0;
  wakeUp?.();
});

// Signing out ends the stream and forgets where it was.
onAuthChange((change) => {
  if (change.type === 'signedout') {
    lastEventId = null;
    if (subscribers.size > 0 || controller) stop();
  }
});

/**
 * The usual way pages follow their videos: forwards the events to `onEvent`, and calls
 * `refresh()` (re-read the videos still processing) when events may have been missed — on every
 * (re)connection the server could not replay — and every `pollMs` while the stream is unavailable.
 * `onState(state, info)` is optional. Returns `{ stop }`.
 */
export function followVideos({ signal, onEvent, refresh, onState, pollMs = 5_000 }) {
  let poll = 0;
  let opened = false;
  const safeRefresh = () => {
    if (signal?.aborted) return;
    Promise.resolve().then(refresh).catch(() => { /* shown by the next successful read */ });
  };
  const stopPolling = () => {
    clearInterval(poll);
    poll = 0;
  };
  const unsubscribe = subscribeLive({
    onEvent,
    onState: (next, info) => {
      if (next === 'open') {
        stopPolling();
        if (!info.resumed || !opened) safeRefresh();
        opened = true;
      } else if (next === 'unavailable' && !poll) {
        safeRefresh();
        poll = setInterval(safeRefresh, pollMs);
      }
      onState?.(next, info);
    },
  }, { signal });
  const stopAll = () => {
    stopPolling();
    unsubscribe();
  };
  signal?.addEventListener('abort', stopPolling, { once: true });
  return { stop: stopAll };
}

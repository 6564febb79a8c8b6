/**
 * The token broker: the only code that decides which refresh token is current and calls
 * /api/auth/refresh and /api/auth/logout. It runs in the service worker /app/auth-worker.js (so a
 * refresh that is under way finishes and is stored even if the page that asked for it is reloaded or
 * closed), or in the page itself where service workers are unavailable. api.js talks to it; nothing
 * else should.
 *
 * Rules it keeps:
 * - The current refresh token is kept in IndexedDB (database `clipset`, store `auth`, key
 *   `refreshToken`). Every operation runs inside the Web Lock `clipset-refresh` and reads the stored
 *   token inside it, so two tabs (or the worker and a page) never present the same refresh token twice:
 *   the API rotates it, and a reuse revokes the whole sign-in.
 *   IndexedDB is the authority, not localStorage: Chrome gives every renderer its own copy of
 *   localStorage and updates the others asynchronously, so a tab that gets the lock right after another
 *   may read the old token (measured: 25 lost updates in 600 lock-protected increments from two tabs;
 *   IndexedDB lost none). Pages keep a copy in localStorage (`clipset.refreshToken`, see api.js) for
 *   other code and tools to see; the broker reconciles it at each page's start (`startup`).
 * - The refresh tokens this browser used before are remembered (the last 20, key `seen`): an old copy
 *   in localStorage is recognised as stale, and a token never seen is one handed in from outside
 *   (a test that signed in through the API, say), which is adopted.
 * - The last access token is kept in memory with the refresh token it came with; it is handed out
 *   again only while that refresh token is still the stored one (signed out elsewhere → not handed out).
 *
 * Results are plain objects (they cross postMessage):
 *   { accessToken, expiresAt, refreshToken }  a usable access token (expiresAt in ms since the epoch)
 *                                             and the current refresh token (for the page's copy)
 *   { signedOut: true }         no sign-in (any more)
 *   { error: { status, body, retryAfter } }  the API could not be asked (status 0: network) or refused
 *                                             otherwise (429, 503, …); the sign-in is kept
 */

const DB_NAME = 'clipset';
const DB_STORE = 'auth';
const CURRENT_KEY = 'refreshToken';
const SEEN_KEY = 'seen';
const SEEN_MAX = 20;
// Where there is no IndexedDB (pages only; a worker always has it): localStorage, the same key as
// the pages' copy, so the two agree by construction.
const FALLBACK_KEY = 'clipset.refreshToken';
export const LOCK_NAME = 'clipset-refresh';

let dbPromise = null;
function openDb() {
  if (!globalThis.indexedDB) return Promise.resolve(null);
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(DB_STORE);
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => { db.close(); dbPromise = null; };
        resolve(db);
      };
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('IndexedDB blocked'));
    }).catch(() => {
      dbPromise = Promise.resolve(null); // storage blocked: localStorage (pages only) from now on
      return null;
    });
  }
  return dbPromise;
}

/** `{ current, seen }` from the store. */
async function readState() {
  const db = await openDb();
  if (!db) {
    let current = null;
    try { current = globalThis.localStorage?.getItem(FALLBACK_KEY) ?? null; } catch { current = null; }
    return { current, seen: [] };
  }
  return new Promise((resolve) => {
    const store = db.transaction(DB_STORE, 'readonly').objectStore(DB_STORE);
    const current = store.get(CURRENT_KEY);
    const seen = store.get(SEEN_KEY);
    seen.onsuccess = () => resolve({
      current: typeof current.result === 'string' ? current.result : null,
      seen: Array.isArray(seen.result) ? seen.result : [],
    });
    seen.onerror = () => resolve({ current: null, seen: [] });
  });
}

export async function readStoredRefresh() {
  return (await readState()).current;
}

/** Stores `token` as the current one (null: none), remembering the one it replaces; resolves once committed. */
async function writeStoredRefresh(token) {
  const db = await openDb();
  if (!db) {
    try {
      if (token) globalThis.localStorage?.setItem(FALLBACK_KEY, token);
      else globalThis.localStorage?.removeItem(FALLBACK_KEY);
    } catch { /* storage blocked: the sign-in lasts as long as this page */ }
    return;
  }
  const { current, seen } = await readState();
  const remembered = [...seen.filter((t) => t !== current && t !== token), ...(current ? [current] : []), ...(token ? [token] : [])]
    .slice(-SEEN_MAX);
  await new Promise((resolve) => {
    const tx = db.transaction(DB_STORE, 'readwrite');
    const store = tx.objectStore(DB_STORE);
    if (token) store.put(token, CURRENT_KEY);
    else store.delete(CURRENT_KEY);
    store.put(remembered, SEEN_KEY);
    tx.oncomplete = () => resolve();
    tx.onerror = () => resolve();
    tx.onabort = () => resolve();
  });
}

function withLock(task) {
  const locks = globalThis.navigator?.locks;
  return locks?.request ? locks.request(LOCK_NAME, () => task()) : task();
}

async function post(path, body) {
  return fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
    cache: 'no-store',
    credentials: 'same-origin',
  });
}

async function revoke(token) {
  try { await post('/api/auth/logout', { refresh_token: token }); } catch { /* offline: it runs out by itself */ }
}

export function createBroker() {
  // The newest access token this broker obtained, and the refresh token that was stored with it.
  let cached = null; // { accessToken, expiresAt, refreshToken }
  let inflight = null;

  const answer = () => ({ accessToken: cached.accessToken, expiresAt: cached.expiresAt, refreshToken: cached.refreshToken });

  async function keep(grant) {
    const refreshToken = grant.refresh_token;
    await writeStoredRefresh(refreshToken);
    cached = {
      accessToken: grant.access_token,
      expiresAt: Date.now() + Math.max(1, Number(grant.expires_in) || 900) * 1000,
      refreshToken,
    };
    return answer();
  }

  async function forget() {
    await writeStoredRefresh(null);
    cached = null;
    return { signedOut: true };
  }

  /** Refreshes under the lock unless a usable token for the stored sign-in is at hand. */
  function refresh({ minValidityMs = 30_000, failedToken = null } = {}) {
    if (inflight) return inflight;
    inflight = withLock(async () => {
      const stored = await readStoredRefresh();
      if (!stored) {
        cached = null;
        return { signedOut: true };
      }
      if (cached && cached.refreshToken === stored && cached.accessToken !== failedToken
          && cached.expiresAt - Date.now() > minValidityMs) {
        return answer();
      }
      let response;
      try {
        response = await post('/api/auth/refresh', { refresh_token: stored });
      } catch {
        return { error: { status: 0, body: '', retryAfter: null } };
      }
      if (response.ok) return keep(await response.json());
      if (response.status === 401 || response.status === 403) return forget();
      return { error: { status: response.status, body: await response.text().catch(() => ''), retryAfter: response.headers.get('Retry-After') } };
    }).finally(() => { inflight = null; });
    return inflight;
  }

  return {
    /** A usable access token for the stored sign-in (refreshing only when needed). */
    getToken: ({ minValidityMs } = {}) => refresh({ minValidityMs }),
    /** A new access token: the one in `failedToken` was refused by the API. */
    refresh: ({ failedToken, minValidityMs } = {}) => refresh({ failedToken, minValidityMs }),
    /** Stores a grant from /api/auth/login. */
    signIn: ({ grant }) => withLock(() => keep(grant)),
    /** Revokes and forgets the stored sign-in. */
    signOut: () => withLock(async () => {
      const stored = await readStoredRefresh();
      await forget();
      if (stored) await revoke(stored);
      return { signedOut: true };
    }),
    /** Whether a sign-in is stored. */
    hasSession: async () => ({ stored: Boolean(await readStoredRefresh()) }),
    /**
     * A page starts: `copy` is the refresh token in its localStorage (or null). Answers `{ copy }`,
     * what that copy should be now:
     * - no copy but a stored sign-in: the page's storage was cleared → sign out (revoke);
     * - a copy this browser used before (or the current one): keep the current one;
     * - a copy never seen: handed in from outside → adopt it (revoking the one it replaces).
     */
    startup: ({ copy = null } = {}) => withLock(async () => {
      const { current, seen } = await readState();
      if (!copy) {
        if (current) {
          await forget();
          await revoke(current);
        }
        return { copy: null };
      }
      if (copy === current || seen.includes(copy)) return { copy: current };
      await writeStoredRefresh(copy);
      cached = null;
      if (current) await revoke(current);
      return { copy };
    }),
  };
}

/**
 * The signed-in user, shared by the header, the router and every page.
 *
 *   import { session } from '/app/session.js';
 *   session.user          // GET /api/auth/me (UserWithQuota), or null when signed out
 *   session.isAdmin       // role === 'admin'
 *   session.subscribe((user, change) => { … })   // every change; returns an unsubscribe function
 *   await session.signIn(username, password)     // throws ApiError
 *   await session.signOut()
 *   await session.reload()                       // re-read /api/auth/me (after an avatar change, say)
 *
 * `change` is `{ reason }`: 'signin', 'signout' (this tab), 'expired' (the API refused the refresh
 * token), 'elsewhere' (signed out in another tab), 'reload', 'restore'.
 */
import { api, login, logout, onAuthChange, refreshSession } from './api.js';

const subscribers = new Set();
let current = null;

function set(user, reason) {
  current = user;
  document.documentElement.dataset.session = user ? 'user' : 'guest';
  if (user?.role === 'admin') document.documentElement.dataset.role = 'admin';
  else delete document.documentElement.dataset.role;
  for (const fn of [...subscribers]) fn(current, { reason });
}

async function fetchMe() {
  return api.get('/api/auth/me');
}

export const session = {
  get user() { return current; },
  get isAdmin() { return current?.role === 'admin'; },

  subscribe(fn) {
    subscribers.add(fn);
    return () => subscribers.delete(fn);
  },

  /**
   * At start-up: turns a stored refresh token into a signed-in user.
   * Throws ApiError when the API cannot be reached (the stored sign-in is kept for a retry).
   */
  async restore() {
    const ok = await refreshSession();
    set(ok ? await fetchMe() : null, 'restore');
    return current;
  },

  async signIn(username, password) {
    await login(username, password);
    set(await fetchMe(), 'signin');
    return current;
  },

  async signOut() {
    await logout();
    if (current) set(null, 'signout');
  },

  async reload() {
    if (!current) return null;
    set(await fetchMe(), 'reload');
    return current;
  },

  /** Replace the user object after a route answered a fresh UserWithQuota (e.g. avatar upload). */
  update(user) {
    set(user, 'reload');
  },
};

onAuthChange((event) => {
  if (event.type === 'signedout' && event.reason !== 'logout' && current) {
    set(null, event.reason);
  } else if (event.type === 'signedin-elsewhere' && !current) {
    session.restore().catch(() => {});
  }
});

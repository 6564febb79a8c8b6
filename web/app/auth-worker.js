/**
 * The auth service worker: runs the token broker (auth-broker.js) outside the pages, so a token
 * refresh that a page started still completes and is stored when that page is reloaded or closed
 * mid-request (a lost answer would leave the old, already-rotated refresh token behind, and
 * presenting it again revokes the whole sign-in). It also lets tabs and reloads reuse a fresh
 * access token instead of refreshing every time.
 *
 * Registered by api.js with scope /app/auth/ — a scope no page has, so it never controls a page and
 * intercepts no requests (there is deliberately no fetch handler). Pages talk to it with
 * postMessage({ op, args }, [port]) and get { ok, result } back on the port.
 */
import { createBroker } from './auth-broker.js';

const broker = createBroker();
const OPS = new Set(['getToken', 'refresh', 'signIn', 'signOut', 'hasSession', 'startup']);

self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('message', (event) => {
  const { op, args } = event.data ?? {};
  const port = event.ports[0];
  if (!port || !OPS.has(op)) return;
  const work = broker[op](args ?? {}).then(
    (result) => port.postMessage({ ok: true, result }),
    (error) => port.postMessage({ ok: false, error: { status: 0, body: String(error?.message ?? error), retryAfter: null } }),
  );
  // Keep the worker alive until the refresh is stored, even if the page is gone.
  event.waitUntil(work);
});

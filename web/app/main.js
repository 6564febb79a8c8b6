/**
 * Start-up: restore the session, wire the header, start the router.
 * Pages live in ./pages/, the route table in ./routes.js, shared pieces in ./ui/.
 */
import { ApiError } from './api.js';
import { createRouter, safeNext } from './router.js';
import { routes } from './routes.js';
import { session } from './session.js';
import { initHeader } from './ui/header.js';
import { errorState, notFoundState, page } from './ui/page.js';
import { toast } from './ui/toast.js';

const outlet = document.getElementById('main');

/** Where an unauthenticated visitor of `url` is sent. */
function loginUrl(url) {
  const target = url.pathname + url.search;
  return target === '/' ? '/login' : `/login?next=${encodeURIComponent(target)}`;
}

function guard(route, url) {
  if (route.auth && !session.user) return loginUrl(url);
  if (route.guest && session.user) return safeNext(url.searchParams.get('next'));
  return null;
}

const forbiddenPage = {
  default: () => page({ width: 'medium', className: 'page--center' },
    errorState(new ApiError(403, 'This part of Clipset is for administrators.'), { title: 'Not allowed', headingLevel: 'h1' })),
};

// Admin-only routes render a "not allowed" page for everyone else.
const guardedRoutes = routes.map((route) => (route.admin
  ? { ...route, load: () => (session.isAdmin ? route.load() : Promise.resolve(forbiddenPage)) }
  : route));

let header;
const router = createRouter({
  routes: guardedRoutes,
  outlet,
  guard,
  onChange: (current) => header?.onRouteChange(current),
  notFound: () => page({ width: 'medium', className: 'page--center' }, notFoundState()),
  renderError: (error, ctx) => {
    if (error instanceof ApiError && error.status === 404) {
      return page({ width: 'medium', className: 'page--center' }, notFoundState({ text: error.message }));
    }
    // A page module failed to load (deploy in progress, offline) or a page threw.
    if (!(error instanceof ApiError)) console.error(error);
    return page({ width: 'medium', className: 'page--center' },
      errorState(error instanceof ApiError ? error : new Error('This page could not be loaded. Please try again.'),
        { title: 'Something went wrong', headingLevel: 'h1', onRetry: () => ctx.navigate(location.href, { replace: true }) }));
  },
});

header = initHeader({ navigate: router.navigate });

session.subscribe((user, { reason }) => {
  const current = router.current;
  if (!user && (reason === 'expired' || reason === 'elsewhere')) {
    toast(reason === 'elsewhere' ? 'You signed out in another tab.' : 'Your session has ended. Please sign in again.');
    if (current?.route?.auth) router.navigate(loginUrl(current.url), { replace: true });
  } else if (user && reason === 'restore' && current?.route?.guest) {
    // Signed in in another tab while this one showed the sign-in page.
    router.navigate(safeNext(current.url.searchParams.get('next')), { replace: true });
  }
});

async function boot() {
  try {
    await session.restore();
  } catch (error) {
    document.documentElement.dataset.session = 'guest';
    outlet.replaceChildren(page({ width: 'medium', className: 'page--center' },
      errorState(error, { title: "Can't reach Clipset", headingLevel: 'h1', onRetry: () => location.reload() })));
    document.title = "Can't reach Clipset · Clipset";
    return;
  }
  await router.start();
}

boot();

// Exposed for the browser tests and for debugging (read-only use).
Object.defineProperty(window, 'clipset', { value: Object.freeze({ router, session }), enumerable: false });

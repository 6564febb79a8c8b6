/**
 * A small History API router.
 *
 *   const router = createRouter({ routes, outlet, guard, onChange });
 *   router.start();
 *   router.navigate('/u/ana');                 // push
 *   router.navigate('/login?next=/x', { replace: true });
 *   router.refresh();                          // render the current URL again
 *
 * Routes (see routes.js): `{ path: '/u/:username', load: () => import('./pages/user.js'), …options }`.
 * `:name` matches one path segment (decoded into `params.name`); a trailing `*` matches the rest
 * (into `params.rest`). Options are free-form and passed to `guard` (e.g. `auth: true`).
 *
 * A page module's default export is `render(ctx)`, sync or async, returning a Node:
 *   ctx = { params, query (URLSearchParams), path, url, route, signal, setTitle(text), navigate }
 * `signal` aborts when the user leaves the page: pass it to api calls and addEventListener.
 *
 * On every navigation: same-origin <a> clicks are intercepted (not with modifier keys, target,
 * download, or for /api/, /media/, /hls/ URLs); the previous page's signal is aborted; the title
 * becomes "<page title> · Clipset"; the page's <h1> receives focus (not on the first load), so
 * screen readers announce the new page; scroll goes to the top (restored on back/forward).
 */

const NOT_APP = /^\/(api|media|hls|internal|\.well-known)(\/|$)/;
const APP_NAME = 'Clipset';

function compile(path) {
  if (path === '*') return { regex: /^.*$/, keys: [] };
  const keys = [];
  const pattern = path
    .split('/')
    .map((segment) => {
      if (segment === '*') {
        keys.push('rest');
        return '(.*)';
      }
      if (segment.startsWith(':')) {
        keys.push(segment.slice(1));
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { regex: new RegExp(`^${pattern}/?$`), keys };
}

export function createRouter({ routes, outlet, guard, onChange, renderError, notFound }) {
  const compiled = routes.map((route) => ({ ...route, ...compile(route.path) }));
  let controller = null;
  let navigationId = 0;
  let firstRender = true;
  let current = null;

  function match(pathname) {
    for (const route of compiled) {
      const found = route.regex.exec(pathname);
      if (!found) continue;
      const params = {};
      route.keys.forEach((key, index) => {
        try { params[key] = decodeURIComponent(found[index + 1] ?? ''); } catch { params[key] = found[index + 1] ?? ''; }
      });
      return { route, params };
    }
    return null;
  }

  function setTitle(text) {
    document.title = text ? `${text} · ${APP_NAME}` : APP_NAME;
  }

  function focusHeading() {
    const heading = outlet.querySelector('h1');
    const target = heading ?? outlet;
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus({ preventScroll: true });
  }

  async function render({ scroll = 0, focus = true } = {}) {
    const id = ++navigationId;
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    const url = new URL(location.href);
    const found = match(url.pathname);
    const route = found?.route ?? null;
    const params = found?.params ?? {};

    if (route && guard) {
      const redirect = guard(route, url);
      if (redirect) {
        navigate(redirect, { replace: true });
        return;
      }
    }

    const progressTimer = setTimeout(() => { document.documentElement.dataset.loading = ''; }, 120);
    let node;
    let title = route?.title ?? '';
    const ctx = {
      params,
      query: url.searchParams,
      path: url.pathname,
      url,
      route,
      signal,
      navigate,
      setTitle: (text) => {
        title = text;
        if (id === navigationId) setTitle(text);
      },
    };
    try {
      if (!route) {
        node = await notFound(ctx);
        title = 'Page not found';
      } else {
        const module = await route.load();
        node = await module.default(ctx);
      }
    } catch (error) {
      if (signal.aborted || id !== navigationId) return;
      node = renderError ? renderError(error, ctx) : document.createTextNode(String(error?.message ?? error));
      title ||= 'Something went wrong';
    } finally {
      clearTimeout(progressTimer);
      if (id === navigationId) delete document.documentElement.dataset.loading;
    }
    if (signal.aborted || id !== navigationId) return;

    outlet.replaceChildren(node);
    setTitle(title);
    current = { route, params, url };
    onChange?.(current);
    if (focus && !firstRender) focusHeading();
    if (!firstRender || scroll) window.scrollTo({ top: scroll, left: 0, behavior: 'instant' });
    firstRender = false;
  }

  /** Goes to `to` (a path with optional query and hash). */
  function navigate(to, { replace = false, state = null } = {}) {
    const target = new URL(to, location.href);
    if (target.origin !== location.origin || NOT_APP.test(target.pathname)) {
      location.assign(target.href);
      return;
    }
    // Remember where we were on the page we leave, for the back button.
    history.replaceState({ ...(history.state ?? {}), scroll: window.scrollY }, '');
    const href = target.pathname + target.search + target.hash;
    if (replace) history.replaceState({ ...(state ?? {}), scroll: 0 }, '', href);
    else history.pushState({ ...(state ?? {}), scroll: 0 }, '', href);
    render();
  }

  function onClick(event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (!anchor) return;
    if ((anchor.target && anchor.target !== '_self') || anchor.hasAttribute('download') || anchor.dataset.router === 'off') return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || NOT_APP.test(url.pathname)) return;
    // A link to a fragment of the current page: let the browser scroll.
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  }

  function onPopState(event) {
    render({ scroll: event.state?.scroll ?? 0 });
  }

  return {
    start() {
      if ('scrollRestoration' in history) history.scrollRestoration = 'manual';
      document.addEventListener('click', onClick);
      window.addEventListener('popstate', onPopState);
      return render({ focus: false });
    },
    navigate,
    refresh: () => render({ scroll: window.scrollY, focus: false }),
    get current() { return current; },
  };
}

/**
 * A safe in-app target from a `?next=` value: a same-origin path only ("/x?y"), never "//host",
 * "https://…" or the sign-in page itself; anything else gives `fallback`.
 */
export function safeNext(next, fallback = '/') {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  try {
    const url = new URL(next, location.origin);
    if (url.origin !== location.origin || url.pathname === '/login') return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}

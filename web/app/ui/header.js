/**
 * The app shell's header (markup in index.html): shows what fits the session, marks the current
 * navigation link, keeps the search box in step with the URL, runs the account menu, and shows the
 * unread-notification count.
 *
 * Elements with `data-requires="user" | "guest" | "admin"` are shown only in that state.
 * Pages that change notifications call `refreshNotificationCount()` (or dispatch the window event
 * `clipset:notifications-changed`) so the badge follows.
 */
import { api, isAbortError } from '../api.js';
import { session } from '../session.js';
import { fillAvatar } from './avatar.js';
import { getTheme, setTheme } from './theme.js';
import { toast } from './toast.js';

const COUNT_MAX_AGE_MS = 30_000;
let countFetchedAt = 0;
let countRequest = null;

export function initHeader({ navigate }) {
  const header = document.querySelector('.app-header');
  const nav = document.querySelector('.primary-nav');
  const menu = header.querySelector('.user-menu');
  const menuButton = menu.querySelector('.user-menu__button');
  const panel = menu.querySelector('.user-menu__panel');
  const search = header.querySelector('.site-search');
  const searchInput = search.querySelector('input');
  const themeSelect = menu.querySelector('#theme-select');
  const signInLink = header.querySelector('.header-actions__signin');

  // --- session-dependent parts ---
  const applySession = (user) => {
    for (const el of document.querySelectorAll('[data-requires]')) {
      const need = el.dataset.requires;
      el.hidden = need === 'user' ? !user : need === 'guest' ? Boolean(user) : need === 'admin' ? user?.role !== 'admin' : false;
    }
    if (!user) {
      closeMenu();
      setCount(0);
      return;
    }
    for (const el of menu.querySelectorAll('.user-menu__avatar')) fillAvatar(el, user);
    menu.querySelector('.user-menu__name').textContent = user.username;
    menu.querySelector('.user-menu__role').textContent = user.role === 'admin' ? 'Administrator' : 'Member';
    menu.querySelector('.user-menu__profile').setAttribute('href', `/u/${encodeURIComponent(user.username)}`);
    menuButton.querySelector('.visually-hidden').textContent = `Account menu for ${user.username}`;
    refreshNotificationCount({ force: true });
  };
  session.subscribe(applySession);

  // --- account menu (a disclosure: button + panel of links) ---
  function openMenu() {
    panel.hidden = false;
    menuButton.setAttribute('aria-expanded', 'true');
    themeSelect.value = getTheme();
  }
  function closeMenu({ focusButton = false } = {}) {
    if (panel.hidden) return;
    panel.hidden = true;
    menuButton.setAttribute('aria-expanded', 'false');
    if (focusButton) menuButton.focus();
  }
  menuButton.addEventListener('click', () => (panel.hidden ? openMenu() : closeMenu()));
  menu.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !panel.hidden) {
      event.stopPropagation();
      closeMenu({ focusButton: true });
    }
  });
  document.addEventListener('click', (event) => {
    if (!panel.hidden && !menu.contains(event.target)) closeMenu();
  });
  menu.addEventListener('focusout', (event) => {
    if (event.relatedTarget && !menu.contains(event.relatedTarget)) closeMenu();
  });
  panel.addEventListener('click', (event) => {
    if (event.target.closest('a')) closeMenu();
  });
  themeSelect.addEventListener('change', () => setTheme(themeSelect.value));
  menu.querySelector('.user-menu__signout').addEventListener('click', async () => {
    closeMenu();
    await session.signOut();
    toast('You are signed out.', { tone: 'success' });
    navigate('/login', { replace: true });
  });

  // --- search: the box submits to the home page's ?q= ---
  search.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = searchInput.value.trim();
    const current = new URL(location.href);
    const params = new URLSearchParams(current.pathname === '/' ? current.search : '');
    if (q) params.set('q', q);
    else params.delete('q');
    const query = params.toString();
    navigate(query ? `/?${query}` : '/');
  });

  // --- notifications badge ---
  window.addEventListener('clipset:notifications-changed', () => refreshNotificationCount({ force: true }));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') refreshNotificationCount();
  });
  setInterval(() => {
    if (document.visibilityState === 'visible') refreshNotificationCount();
  }, 60_000);

  return {
    /** Called by the router after every page change. */
    onRouteChange({ route, url }) {
      for (const link of nav.querySelectorAll('[data-nav]')) {
        if (route?.nav && link.dataset.nav === route.nav) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      }
      searchInput.value = url.pathname === '/' ? url.searchParams.get('q') ?? '' : '';
      // No "Sign in" button on the sign-in page itself.
      signInLink.classList.toggle('is-current', url.pathname === '/login');
      closeMenu();
      refreshNotificationCount();
    },
  };
}

function setCount(count) {
  const badge = document.querySelector('.notification-bell__count');
  const label = document.querySelector('.notification-bell__label');
  if (!badge || !label) return;
  badge.hidden = !count;
  badge.textContent = count > 99 ? '99+' : String(count);
  label.textContent = count ? `Notifications (${count} unread)` : 'Notifications';
}

/** Re-reads the unread count (at most every 30 s unless forced). */
export async function refreshNotificationCount({ force = false } = {}) {
  if (!session.user) return;
  if (!force && Date.now() - countFetchedAt < COUNT_MAX_AGE_MS) return;
  if (countRequest) return countRequest;
  countFetchedAt = Date.now();
  countRequest = api.get('/api/notifications/', { query: { limit: 1, unread_only: true } })
    .then((answer) => setCount(answer?.unread_count ?? 0))
    .catch((error) => {
      if (!isAbortError(error)) countFetchedAt = 0;
    })
    .finally(() => { countRequest = null; });
  return countRequest;
}

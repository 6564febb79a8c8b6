/**
 * The light/dark choice: 'system' (default), 'light' or 'dark', kept in localStorage and applied as
 * html[data-theme] (tokens.css switches `color-scheme`, and every light-dark() colour follows).
 * /app/theme.js applies the saved choice before the first paint.
 */
const KEY = 'clipset.theme';

export function getTheme() {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

export function setTheme(theme) {
  const root = document.documentElement;
  if (theme === 'light' || theme === 'dark') {
    root.dataset.theme = theme;
    try { localStorage.setItem(KEY, theme); } catch { /* not saved: applies to this page only */ }
  } else {
    delete root.dataset.theme;
    try { localStorage.removeItem(KEY); } catch { /* ignore */ }
  }
}

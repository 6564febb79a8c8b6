/**
 * Formatting for people, in the browser's locale.
 *
 *   formatDuration(75)          "1:15"      formatDuration(3725) "1:02:05"
 *   formatViews(1)              "1 view"    formatViews(15300)   "15K views"
 *   formatCount(1234)           "1.2K"
 *   formatRelative(iso)         "3 days ago" / "just now"
 *   formatDate(iso)             "Nov 24, 2026"
 *   formatDateTime(iso)         "Nov 24, 2026, 5:46 AM"
 *   formatBytes(1536)           "1.5 KB"    (binary units, as the API's quota messages)
 *   formatPercent(42.5)         "43%"
 *   plural(2, 'video')          "2 videos"
 */

const locale = undefined; // the browser's
const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat(locale);
const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
const dateFormat = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDuration(totalSeconds) {
  if (totalSeconds === null || totalSeconds === undefined || !Number.isFinite(Number(totalSeconds))) return '';
  const seconds = Math.max(0, Math.floor(Number(totalSeconds)));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A duration spelled out for screen readers: "1 minute 15 seconds". */
export function describeDuration(totalSeconds) {
  const seconds = Math.max(0, Math.floor(Number(totalSeconds) || 0));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const parts = [];
  if (h) parts.push(plural(h, 'hour'));
  if (m) parts.push(plural(m, 'minute'));
  if (s || parts.length === 0) parts.push(plural(s, 'second'));
  return parts.join(' ');
}

export function formatCount(n) {
  const value = Number(n) || 0;
  return value < 1000 ? whole.format(value) : compact.format(value);
}

export function formatViews(n) {
  const value = Number(n) || 0;
  return `${formatCount(value)} ${value === 1 ? 'view' : 'views'}`;
}

export function plural(n, singular, pluralForm = `${singular}s`) {
  const value = Number(n) || 0;
  return `${whole.format(value)} ${value === 1 ? singular : pluralForm}`;
}

function toDate(value) {
  if (value instanceof Date) return value;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const UNITS = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

export function formatRelative(value, now = Date.now()) {
  const date = toDate(value);
  if (!date) return '';
  const diff = (date.getTime() - now) / 1000;
  const abs = Math.abs(diff);
  if (abs < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (abs >= size || unit === 'minute') return relative.format(Math.round(diff / size), unit);
  }
  return '';
}

export function formatDate(value) {
  const date = toDate(value);
  return date ? dateFormat.format(date) : '';
}

export function formatDateTime(value) {
  const date = toDate(value);
  return date ? dateTimeFormat.format(date) : '';
}

export function formatBytes(bytes) {
  const value = Number(bytes) || 0;
  if (value < 1024) return `${whole.format(value)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let size = value;
  let unit = -1;
  do {
    size /= 1024;
    unit += 1;
  } while (size >= 1024 && unit < units.length - 1);
  const digits = size >= 100 ? 0 : size >= 10 ? 1 : 2;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(size)} ${units[unit]}`;
}

export function formatPercent(value) {
  return `${Math.round(Number(value) || 0)}%`;
}

/** A <time> element with the machine-readable date and a readable text (full date on hover). */
export function timeElement(value, text = formatRelative(value)) {
  const time = document.createElement('time');
  const date = toDate(value);
  if (date) {
    time.dateTime = date.toISOString();
    time.title = formatDateTime(date);
  }
  time.textContent = text;
  return time;
}

/**
 * Toasts: short messages in the corner, announced to screen readers.
 *
 *   toast('Saved.')                                  // polite (role=status), 5 s
 *   toast('Video deleted.', { tone: 'success' })
 *   toast(error.message, { tone: 'error' })          // assertive (role=alert), 8 s
 *   toast('Uploading…', { timeout: 0 })              // stays until closed; returns { close }
 *
 * The two live regions are in index.html (.toasts__region[role=status] and [role=alert]).
 * Hovering or focusing a toast pauses its timer.
 */
import { h, icon } from './dom.js';

const ICONS = { info: 'info', success: 'check', error: 'alert' };

export function toast(message, { tone = 'info', timeout } = {}) {
  const regions = document.querySelectorAll('.toasts__region');
  const region = tone === 'error' ? regions[1] : regions[0];
  if (!region) return { close() {} };
  const duration = timeout ?? (tone === 'error' ? 8000 : 5000);

  let timer = 0;
  const close = () => {
    clearTimeout(timer);
    if (!node.isConnected) return;
    node.dataset.leaving = '';
    const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
    setTimeout(() => node.remove(), reduced ? 0 : 220);
  };
  const node = h('div', { class: ['toast', `toast--${tone}`] },
    icon(ICONS[tone] ?? 'info', 'toast__icon'),
    h('p', { class: 'toast__message' }, message),
    h('button', { class: 'toast__close', type: 'button', 'aria-label': 'Dismiss', onClick: close }, icon('close')),
  );
  const start = () => { if (duration > 0) timer = setTimeout(close, duration); };
  const pause = () => clearTimeout(timer);
  node.addEventListener('mouseenter', pause);
  node.addEventListener('mouseleave', start);
  node.addEventListener('focusin', pause);
  node.addEventListener('focusout', start);

  region.append(node);
  // Keep at most 4 toasts per region.
  while (region.children.length > 4) region.firstElementChild.remove();
  start();
  return { close };
}

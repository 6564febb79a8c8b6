/**
 * Page scaffolding shared by every page module.
 *
 *   page({ width: 'narrow' | 'medium' | 'wide' }, ...children)   // <section class="page"> container
 *   pageHeader({ title, eyebrow, lead, actions })                 // the page's <h1> (the router focuses it)
 *   emptyState({ icon, title, text, actions })
 *   errorState(error, { onRetry })                                // readable ApiError, Retry button
 *   notFoundState({ title, text })
 *   comingSoon({ title, text, icon, route })                      // placeholder pages
 *   loadingState(label)                                           // spinner with a label
 */
import { h, icon } from './dom.js';

export function page({ width = 'wide', className, label } = {}, ...children) {
  return h('section', {
    class: ['page', width === 'narrow' && 'page--narrow', width === 'medium' && 'page--medium', className],
    'aria-label': label,
  }, children);
}

export function pageHeader({ title, eyebrow, lead, actions, id } = {}) {
  return h('header', { class: 'page-header' },
    h('div', { class: 'page-header__text' },
      eyebrow && h('p', { class: 'page-header__eyebrow' }, eyebrow),
      h('h1', { id }, title),
      lead && h('p', { class: 'page-header__lead' }, lead),
    ),
    actions && h('div', { class: 'toolbar__group' }, actions),
  );
}

export function emptyState({ icon: iconName = 'film', title, text, actions, headingLevel = 'h2' } = {}) {
  return h('div', { class: 'state', dataset: { testid: 'empty-state' } },
    h('div', { class: 'state__icon' }, icon(iconName)),
    h(headingLevel, { class: 'state__title' }, title),
    text && h('p', { class: 'state__text' }, text),
    actions && h('div', { class: 'state__actions' }, actions),
  );
}

export function errorState(error, { onRetry, title = "Couldn't load this", headingLevel = 'h2' } = {}) {
  return h('div', { class: ['state', 'state--error'], role: 'alert', dataset: { testid: 'error-state' } },
    h('div', { class: 'state__icon' }, icon('alert')),
    h(headingLevel, { class: 'state__title' }, title),
    h('p', { class: 'state__text' }, error?.message || 'Something went wrong.'),
    onRetry && h('div', { class: 'state__actions' },
      h('button', { class: 'button button--primary', type: 'button', onClick: onRetry }, icon('refresh'), 'Try again')),
  );
}

export function notFoundState({ title = 'Page not found', text = "We couldn't find what you were looking for.", headingLevel = 'h1' } = {}) {
  return h('div', { class: 'state', dataset: { testid: 'not-found' } },
    h('div', { class: 'state__icon' }, icon('compass')),
    h(headingLevel, { class: 'state__title' }, title),
    h('p', { class: 'state__text' }, text),
    h('div', { class: 'state__actions' },
      h('a', { class: 'button button--primary', href: '/' }, icon('home'), 'Go home'),
      h('a', { class: 'button button--ghost', href: '/users' }, 'Browse people')),
  );
}

export function comingSoon({ title, text, icon: iconName = 'sparkle', route } = {}) {
  return page({ width: 'medium', className: 'page--center' },
    h('div', { class: 'state', dataset: { testid: 'coming-soon' } },
      h('div', { class: 'state__icon' }, icon(iconName)),
      h('h1', { class: 'state__title' }, title),
      h('p', { class: 'state__text' }, text ?? 'This page is coming soon.'),
      route && h('p', { class: 'subtle' }, h('span', { class: 'code-chip' }, route)),
      h('div', { class: 'state__actions' }, h('a', { class: 'button button--ghost', href: '/' }, icon('arrow-left'), 'Back to videos')),
    ));
}

export function loadingState(label = 'Loading…') {
  return h('div', { class: 'state', role: 'status' },
    h('div', { class: 'spinner', 'aria-hidden': 'true' }),
    h('p', { class: 'muted' }, label),
  );
}

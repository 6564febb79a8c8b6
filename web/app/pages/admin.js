/**
 * /admin and /admin/{section}: the administration area (only administrators reach this module;
 * main.js shows others a "Not allowed" page). A section navigation (a sidebar on wide screens,
 * a scrolling row on phones) and one module per section in ./admin/:
 *
 *   /admin               overview.js     counts and state of everything below, quick links
 *   /admin/users         users.js        list, deactivate / activate, password-reset links
 *   /admin/invitations   invitations.js  invite by email, copy link, revoke; pending / used / expired
 *   /admin/categories    categories.js   create, edit, delete, image upload with preview
 *   /admin/transcoding   transcoding.js  presets, encoder settings, detected encoders (GET/PATCH /api/config/)
 *   /admin/uploads       uploads.js      size limits, storage path, reset every weekly quota
 *   /admin/migration     migration.js    HLS migration progress (polled while it runs), start one
 *
 * A section module's default export is `render(ctx)` (ctx as for pages, plus `section`) returning
 * a Node, or `{ content, actions }` (actions go next to the <h1>).
 */
import { ApiError } from '../api.js';
import { h, icon } from '../ui/dom.js';
import { mIcon } from '../ui/inline-icons.js';
import { page } from '../ui/page.js';

export const SECTIONS = [
  {
    slug: '', title: 'Overview', icon: 'gauge',
    lead: 'How this Clipset is doing, at a glance.',
    load: () => import('./admin/overview.js'),
  },
  {
    slug: 'users', title: 'Users', icon: 'users',
    lead: 'Everyone with an account. Deactivated people cannot sign in; their content stays.',
    load: () => import('./admin/users.js'),
  },
  {
    slug: 'invitations', title: 'Invitations', icon: 'mail',
    lead: 'Clipset is invite-only. An invitation link works once and expires after 7 days.',
    load: () => import('./admin/invitations.js'),
  },
  {
    slug: 'categories', title: 'Categories', icon: 'tag',
    lead: 'The shelves videos are sorted onto. Deleting one keeps its videos.',
    load: () => import('./admin/categories.js'),
  },
  {
    slug: 'transcoding', title: 'Transcoding', icon: 'sliders',
    lead: 'How uploads are converted for streaming. Changes apply to new uploads only.',
    load: () => import('./admin/transcoding.js'),
  },
  {
    slug: 'uploads', title: 'Uploads & quotas', icon: 'database',
    lead: 'Size limits, where videos are stored, and the weekly upload allowance.',
    load: () => import('./admin/uploads.js'),
  },
  {
    slug: 'migration', title: 'HLS migration', icon: 'layers',
    lead: 'Converting older progressive (MP4) videos to adaptive HLS streaming.',
    load: () => import('./admin/migration.js'),
  },
];

export function adminHref(slug) {
  return slug ? `/admin/${slug}` : '/admin';
}

function sectionNav(current) {
  const nav = h('nav', { class: 'admin-nav', 'aria-label': 'Administration' },
    h('p', { class: 'admin-nav__title', 'aria-hidden': 'true' }, icon('shield'), 'Admin'),
    h('ul', { class: 'admin-nav__list', role: 'list' },
      SECTIONS.map((section) => h('li', {},
        h('a', {
          class: 'admin-nav__link',
          href: adminHref(section.slug),
          'aria-current': section === current ? 'page' : undefined,
        }, mIcon(section.icon), h('span', {}, section.title))))));
  // On phones the list scrolls sideways: bring the current section into view.
  requestAnimationFrame(() => {
    const list = nav.querySelector('.admin-nav__list');
    const link = nav.querySelector('[aria-current="page"]');
    if (list && link && list.scrollWidth > list.clientWidth) {
      const offset = link.getBoundingClientRect().left - list.getBoundingClientRect().left + list.scrollLeft;
      list.scrollLeft = Math.max(0, offset - (list.clientWidth - link.offsetWidth) / 2);
    }
  });
  return nav;
}

export default async function render(ctx) {
  const slug = (ctx.params.rest ?? '').split('/').filter(Boolean)[0] ?? '';
  const section = SECTIONS.find((candidate) => candidate.slug === slug);
  if (!section) throw new ApiError(404, 'There is no such page in the administration area.');
  ctx.setTitle(section.slug ? `${section.title} · Admin` : 'Admin');

  const module = await section.load();
  const result = await module.default({ ...ctx, section });
  const content = result instanceof Node ? result : result?.content;
  const actions = result instanceof Node ? null : result?.actions;

  return page({ className: 'admin' },
    h('div', { class: 'admin-layout' },
      sectionNav(section),
      h('div', { class: 'admin-main', dataset: { section: section.slug || 'overview' } },
        h('header', { class: 'page-header admin-header' },
          h('div', { class: 'page-header__text' },
            h('p', { class: 'page-header__eyebrow' }, 'Administration'),
            h('h1', {}, section.slug ? section.title : 'Admin overview'),
            section.lead && h('p', { class: 'page-header__lead' }, section.lead)),
          actions && h('div', { class: 'toolbar__group' }, actions)),
        content)));
}

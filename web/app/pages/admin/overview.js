/**
 * /admin: one card per admin section with its current state, read in parallel (each card shows its
 * own error): GET /api/users/?limit=500, GET /api/invitations/?limit=100, GET /api/categories/,
 * GET /api/config/, GET /api/config/encoders, GET /api/config/hls-migration-status.
 */
import { api, isAbortError } from '../../api.js';
import { h } from '../../ui/dom.js';
import { formatBytes, plural } from '../../ui/format.js';
import { mIcon } from '../../ui/inline-icons.js';
import { invitationState } from './invitations.js';
import { migrationState } from './migration.js';
import { PRESETS } from './transcoding.js';

function card({ icon, title, href, linkText }) {
  const value = h('p', { class: 'stat-card__value' }, h('span', { class: 'skeleton skeleton--line stat-card__skeleton' }));
  const detail = h('p', { class: 'stat-card__detail' });
  const element = h('article', { class: 'stat-card', 'aria-busy': 'true' },
    h('div', { class: 'stat-card__head' },
      h('span', { class: 'stat-card__icon', 'aria-hidden': 'true' }, mIcon(icon)),
      h('h2', { class: 'stat-card__title' }, title)),
    value, detail,
    h('a', { class: 'stat-card__link', href }, linkText, mIcon('chevron-right')));
  return {
    element,
    set(main, sub) {
      element.removeAttribute('aria-busy');
      value.replaceChildren(main);
      detail.replaceChildren(...[sub].flat().filter(Boolean));
    },
    fail(error) {
      element.removeAttribute('aria-busy');
      value.replaceChildren('—');
      detail.replaceChildren(h('span', { class: 'field__error', role: 'alert' }, error.message));
    },
  };
}

export default function render({ signal }) {
  const users = card({ icon: 'users', title: 'Users', href: '/admin/users', linkText: 'Manage users' });
  const invitations = card({ icon: 'mail', title: 'Invitations', href: '/admin/invitations', linkText: 'Invite someone' });
  const categories = card({ icon: 'tag', title: 'Categories', href: '/admin/categories', linkText: 'Edit categories' });
  const transcoding = card({ icon: 'sliders', title: 'Transcoding', href: '/admin/transcoding', linkText: 'Tune transcoding' });
  const uploads = card({ icon: 'database', title: 'Uploads & quotas', href: '/admin/uploads', linkText: 'Limits and quotas' });
  const migration = card({ icon: 'layers', title: 'HLS migration', href: '/admin/migration', linkText: 'See progress' });

  const settle = (promise, target, show) => promise.then(show, (error) => { if (!isAbortError(error)) target.fail(error); });

  settle(api.get('/api/users/', { query: { limit: 500 }, signal }), users, (list) => {
    const inactive = list.filter((user) => !user.is_active).length;
    const admins = list.filter((user) => user.role === 'admin').length;
    users.set(`${list.length}${list.length === 500 ? '+' : ''}`,
      `${plural(admins, 'admin')}${inactive ? ` · ${inactive} deactivated` : ''}`);
  });
  settle(api.get('/api/invitations/', { query: { limit: 100 }, signal }), invitations, (list) => {
    const now = Date.now();
    const pending = list.filter((item) => invitationState(item, now) === 'pending').length;
    const used = list.filter((item) => item.used).length;
    invitations.set(String(pending), `pending · ${used} used${list.length === 100 ? ' (latest 100)' : ''}`);
  });
  settle(api.get('/api/categories/', { signal }), categories, (answer) => {
    const list = answer?.categories ?? [];
    const empty = list.filter((c) => !c.video_count).length;
    const noImage = list.filter((c) => !c.image_url).length;
    categories.set(String(list.length), [empty ? `${empty} empty` : 'all in use', noImage ? ` · ${noImage} without image` : '']);
  });
  const config = api.get('/api/config/', { signal });
  settle(Promise.all([config, api.get('/api/config/encoders', { signal }).catch(() => null)]), transcoding, ([cfg, encoders]) => {
    const preset = PRESETS[cfg.transcode_preset_mode]?.label ?? cfg.transcode_preset_mode;
    const encoder = cfg.use_gpu_transcoding ? 'GPU (NVENC)' : 'CPU (x264)';
    transcoding.set(preset, `${encoder} · ${cfg.video_output_format === 'hls' ? 'HLS' : 'MP4'} up to ${cfg.max_resolution}${encoders?.gpu_name ? ` · ${encoders.gpu_name}` : ''}`);
  });
  settle(config, uploads, (cfg) => {
    uploads.set(formatBytes(cfg.weekly_upload_limit_bytes), `a week each · files up to ${formatBytes(cfg.max_file_size_bytes)}`);
  });
  settle(api.get('/api/config/hls-migration-status', { signal }), migration, (status) => {
    const state = migrationState(status);
    migration.set(state.label, status.total ? `${status.completed} of ${plural(status.total, 'video')}${status.errors?.length ? ` · ${status.errors.length} failed` : ''}` : 'No migration has run yet');
  });

  return h('ul', { class: 'stat-grid', role: 'list', 'aria-label': 'Sections' },
    [users, invitations, categories, transcoding, uploads, migration].map((c) => h('li', {}, c.element)));
}

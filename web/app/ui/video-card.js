/**
 * The video card used by every grid of videos, and its loading skeleton.
 *
 *   videoCard(video, { showUploader: true, showCategory: false, headingLevel: 'h3' })
 *   videoCardSkeleton()
 *
 * One tab stop per card: the title link covers the whole card (thumbnail included) and its
 * accessible name is the title plus the duration; the uploader link sits above it.
 * `video` is the API's Video shape (GET /api/videos/, playlists, …).
 */
import { h, icon } from './dom.js';
import { avatar } from './avatar.js';
import { describeDuration, formatDuration, formatRelative, formatViews } from './format.js';
import { thumbnailImage } from './thumbs.js';

const STATUS_TEXT = { pending: 'Queued', processing: 'Processing', failed: 'Failed' };

export function videoHref(video) {
  return `/v/${encodeURIComponent(video.short_id)}`;
}

export function videoCard(video, { showUploader = true, showCategory = false, headingLevel = 'h3' } = {}) {
  const status = video.processing_status;
  const ready = status === 'completed';
  const hasDuration = ready && Number.isFinite(video.duration_seconds);
  const titleId = `video-title-${video.short_id}`;

  let badge = null;
  if (!ready) {
    const progress = status === 'processing' && Number.isFinite(video.processing_progress) ? ` ${video.processing_progress}%` : '';
    badge = h('span', { class: ['video-card__status', status === 'failed' && 'video-card__status--failed'] },
      `${STATUS_TEXT[status] ?? status}${progress}`);
  }

  const thumb = h('div', { class: 'video-card__thumb' },
    h('div', { class: 'video-card__placeholder', 'aria-hidden': 'true' }, icon(status === 'failed' ? 'alert' : 'play')),
    thumbnailImage(video),
    hasDuration && h('span', { class: 'video-card__duration', 'aria-hidden': 'true' }, formatDuration(video.duration_seconds)),
    badge,
    status === 'processing' && h('div', { class: 'video-card__progress', 'aria-hidden': 'true' },
      h('div', { class: 'video-card__progress-bar', style: { width: `${Math.max(0, Math.min(100, video.processing_progress ?? 0))}%` } })),
  );

  const uploaderHref = `/u/${encodeURIComponent(video.uploader_username)}`;
  const text = h('div', { class: 'video-card__text' },
    h(headingLevel, { class: 'video-card__title' },
      h('a', { class: 'video-card__link', href: videoHref(video), id: titleId },
        video.title,
        hasDuration && h('span', { class: 'visually-hidden' }, `, ${describeDuration(video.duration_seconds)}`),
        !ready && h('span', { class: 'visually-hidden' }, `, ${(STATUS_TEXT[status] ?? status).toLowerCase()}`),
      )),
    showUploader && h('p', { class: 'video-card__meta' },
      h('a', { class: 'video-card__uploader', href: uploaderHref }, video.uploader_username)),
    h('p', { class: ['video-card__meta', 'dot-separated'] },
      h('span', {}, formatViews(video.view_count)),
      h('span', {}, h('time', { datetime: video.created_at, title: new Date(video.created_at).toLocaleString() }, formatRelative(video.created_at))),
    ),
    showCategory && video.category_slug && h('a', {
      class: 'chip chip--small video-card__category',
      href: `/c/${encodeURIComponent(video.category_slug)}`,
    }, video.category_name),
  );

  return h('article', { class: 'video-card', 'aria-labelledby': titleId, dataset: { shortId: video.short_id } },
    thumb,
    h('div', { class: 'video-card__body' },
      showUploader && avatar({ username: video.uploader_username, avatar_url: video.uploader_avatar_url }, 'sm'),
      text,
    ),
  );
}

export function videoCardSkeleton() {
  return h('div', { class: 'video-card', 'aria-hidden': 'true' },
    h('div', { class: 'skeleton skeleton--thumb' }),
    h('div', { class: 'video-card__body' },
      h('div', { class: 'avatar avatar--sm skeleton skeleton--circle' }),
      h('div', { class: 'video-card__text', style: { flex: '1' } },
        h('div', { class: 'skeleton skeleton--title' }),
        h('div', { class: 'skeleton skeleton--line skeleton--short' }),
      ),
    ),
  );
}

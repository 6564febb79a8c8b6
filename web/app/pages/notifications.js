/**
 * /notifications: the signed-in user's in-app notifications (GET /api/notifications/, newest first,
 * 20 a page, "Load more"), `?filter=unread` for the unread ones only (unread_only=true).
 * Mark one read (POST /api/notifications/{id}/read; opening its link does it too) or all
 * (POST /api/notifications/read-all). After every change the page dispatches the window event
 * `clipset:notifications-changed`, which makes the header's bell badge re-read its count.
 */
import { api, isAbortError } from '../api.js';
import { h, icon } from '../ui/dom.js';
import { formatDateTime, plural, timeElement } from '../ui/format.js';
import { mIcon } from '../ui/inline-icons.js';
import { emptyState, page } from '../ui/page.js';
import { pagedList } from '../ui/pager.js';
import { toast } from '../ui/toast.js';

const KINDS = {
  video_processed: { icon: 'film-check', label: 'Video ready', tone: 'success' },
  video_failed: { icon: 'film-alert', label: 'Processing failed', tone: 'danger' },
  new_comment: { icon: 'message', label: 'New comment', tone: 'accent' },
  new_reply: { icon: 'reply', label: 'New reply', tone: 'accent' },
};

/** Tells the header (and anyone else) that the unread count changed. */
export function notificationsChanged() {
  window.dispatchEvent(new CustomEvent('clipset:notifications-changed'));
}

function noticeSkeleton() {
  return h('div', { class: 'notice', 'aria-hidden': 'true' },
    h('div', { class: 'notice__icon skeleton skeleton--circle' }),
    h('div', { class: 'notice__text' },
      h('div', { class: 'skeleton skeleton--title' }),
      h('div', { class: 'skeleton skeleton--line skeleton--short' })));
}

export default function render({ query, signal }) {
  const filter = query.get('filter') === 'unread' ? 'unread' : 'all';
  let unread = null;

  const summary = h('p', { class: 'page-header__lead', role: 'status' });
  const unreadTabCount = h('span', { class: 'tabs__count' });
  const markAll = h('button', { class: 'button button--ghost', type: 'button', disabled: true }, mIcon('check-all'), 'Mark all as read');

  function setUnread(count) {
    unread = Math.max(0, count);
    summary.textContent = unread === 0 ? "You're all caught up." : `You have ${plural(unread, 'unread notification')}.`;
    unreadTabCount.textContent = unread ? String(unread) : '';
    markAll.disabled = unread === 0;
  }

  async function markRead(notification, article, { quiet = false } = {}) {
    if (notification.is_read) return true;
    notification.is_read = true; // at once, so a second click does not send it again
    try {
      await api.post(`/api/notifications/${encodeURIComponent(notification.id)}/read`);
    } catch (error) {
      notification.is_read = false;
      if (!quiet) toast(`Couldn't mark it as read: ${error.message}`, { tone: 'error' });
      return false;
    }
    showRead(article);
    if (unread !== null) setUnread(unread - 1);
    notificationsChanged();
    return true;
  }

  function showRead(article) {
    article.classList.remove('is-unread');
    article.querySelector('.notice__unread')?.remove();
    const button = article.querySelector('.notice__mark');
    if (button) {
      // Keep focus on the row when its button goes away.
      const hadFocus = document.activeElement === button;
      button.remove();
      if (hadFocus) article.querySelector('.notice__title a, .notice__title')?.focus?.();
    }
  }

  function noticeItem(notification) {
    const kind = KINDS[notification.kind] ?? { icon: 'bell', label: 'Notification', tone: 'accent' };
    const titleId = `notice-${notification.id}`;
    const article = h('article', {
      class: ['notice', !notification.is_read && 'is-unread'],
      'aria-labelledby': titleId,
      dataset: { id: notification.id, kind: notification.kind },
    });
    const titleContent = [
      !notification.is_read && h('span', { class: 'visually-hidden notice__unread' }, 'Unread: '),
      notification.title,
    ];
    const title = notification.link
      ? h('a', {
        class: 'notice__link', href: notification.link,
        onClick: () => { markRead(notification, article, { quiet: true }); },
      }, titleContent)
      : h('span', { tabindex: '-1' }, titleContent);
    const markButton = !notification.is_read && h('button', {
      class: 'button button--ghost button--sm notice__mark', type: 'button',
      'aria-label': `Mark “${notification.title}” as read`,
      onClick: async (event) => {
        const button = event.currentTarget;
        button.disabled = true;
        if (!(await markRead(notification, article))) button.disabled = false;
      },
    }, icon('check'), h('span', { class: 'notice__mark-text' }, 'Mark read'));

    article.append(
      h('span', { class: ['notice__icon', `notice__icon--${kind.tone}`], 'aria-hidden': 'true' }, mIcon(kind.icon)),
      h('div', { class: 'notice__text' },
        h('h2', { class: 'notice__title', id: titleId }, title),
        notification.body && h('p', { class: 'notice__body' }, notification.body),
        h('p', { class: ['notice__meta', 'dot-separated'] },
          h('span', {}, kind.label),
          h('span', { title: formatDateTime(notification.created_at) }, timeElement(notification.created_at)))),
      h('div', { class: 'notice__actions' }, markButton),
    );
    return article;
  }

  const list = pagedList({
    pageSize: 20,
    noun: ['notification', 'notifications'],
    listClass: 'notice-list',
    skeleton: noticeSkeleton,
    skeletonCount: 4,
    label: filter === 'unread' ? 'Unread notifications' : 'Notifications',
    signal,
    fetchPage: async ({ skip, limit, signal: pageSignal }) => {
      const answer = await api.get('/api/notifications/', {
        query: { skip, limit, unread_only: filter === 'unread' ? 'true' : undefined },
        signal: pageSignal,
      });
      const before = unread;
      setUnread(answer?.unread_count ?? 0);
      // The first page tells the header's bell too (it may have counted a while ago).
      if (skip === 0 && before === null) notificationsChanged();
      return { items: answer?.notifications ?? [], total: answer?.total ?? 0 };
    },
    renderItem: noticeItem,
    empty: () => (filter === 'unread'
      ? emptyState({
        icon: 'check', title: 'No unread notifications', text: "You're all caught up.",
        actions: [h('a', { class: 'button button--ghost', href: '/notifications' }, 'See all notifications')],
      })
      : emptyState({
        icon: 'bell', title: 'No notifications yet',
        text: "You'll hear here when your videos are ready, and when people comment on them or reply to you.",
      })),
  });

  markAll.addEventListener('click', async () => {
    markAll.disabled = true;
    markAll.setAttribute('aria-busy', 'true');
    try {
      const answer = await api.post('/api/notifications/read-all');
      for (const article of list.element.querySelectorAll('.notice.is-unread')) showRead(article);
      setUnread(0);
      notificationsChanged();
      const count = answer?.updated ?? 0;
      toast(count ? `Marked ${plural(count, 'notification')} as read.` : 'Nothing was unread.', { tone: 'success' });
    } catch (error) {
      if (!isAbortError(error)) toast(`Couldn't mark them as read: ${error.message}`, { tone: 'error' });
      markAll.disabled = false;
    } finally {
      markAll.removeAttribute('aria-busy');
    }
  });

  const tabs = h('nav', { 'aria-label': 'Show' },
    h('ul', { class: 'tabs', role: 'list' },
      h('li', {}, h('a', { class: 'tabs__tab', href: '/notifications', 'aria-current': filter === 'all' ? 'page' : undefined }, 'All')),
      h('li', {}, h('a', { class: 'tabs__tab', href: '/notifications?filter=unread', 'aria-current': filter === 'unread' ? 'page' : undefined },
        'Unread', unreadTabCount)),
    ));

  return page({ width: 'medium', className: 'notifications-page' },
    h('header', { class: 'page-header' },
      h('div', { class: 'page-header__text' }, h('h1', {}, 'Notifications'), summary),
      h('div', { class: 'toolbar__group' },
        markAll,
        h('a', { class: 'button button--ghost', href: '/settings/notifications' }, icon('settings'), 'Email settings'))),
    tabs,
    list.element,
  );
}

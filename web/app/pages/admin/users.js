/**
 * /admin/users: every account (GET /api/users/?skip&limit, newest first, inactive included; pages of
 * 100 with "Load more"), filtered here by name/email, status and role.
 * Row actions: deactivate (DELETE /api/users/{id}, confirmed; the API refuses one's own account),
 * activate (POST /api/users/{id}/activate), and a password-reset link
 * (POST /api/users/{id}/generate-reset-link: shown with a Copy button; the API also emails it).
 */
import { api, isAbortError } from '../../api.js';
import { session } from '../../session.js';
import { avatar } from '../../ui/avatar.js';
import { copyField } from '../../ui/copy-field.js';
import { confirmDialog, openDialog } from '../../ui/dialog.js';
import { debounce, h } from '../../ui/dom.js';
import { field } from '../../ui/forms.js';
import { formatDate, formatDateTime, plural } from '../../ui/format.js';
import { mIcon } from '../../ui/inline-icons.js';
import { emptyState, errorState, loadingState } from '../../ui/page.js';
import { toast } from '../../ui/toast.js';
import { badge, busy, cell, dataTable, describeError, rowError, tableRow } from './common.js';

const PAGE = 100;
const COLUMNS = [
  { label: 'User', className: 'col-user' },
  { label: 'Access' },
  { label: 'Content', className: 'col-num' },
  { label: 'Joined' },
  { label: 'Actions', className: 'col-actions' },
];

async function showResetLink(user, button) {
  const answer = await api.post(`/api/users/${encodeURIComponent(user.id)}/generate-reset-link`);
  await openDialog({
    title: `Password-reset link for ${user.username}`,
    content: h('div', { class: 'form' },
      copyField({ label: 'Reset link', value: answer.reset_link, name: 'reset-link' }),
      h('p', { class: 'muted' },
        `It works once, until ${formatDateTime(answer.expires_at)}. We also emailed it to ${user.email}. `,
        'Anyone with the link can choose a new password for this account, so send it only to them.')),
    actions: [{ label: 'Done', value: 'done', variant: 'primary' }],
  });
  button?.focus();
}

export default function render({ signal }) {
  const me = session.user;
  let users = [];
  let skip = 0;
  let done = false;
  const filters = { q: '', status: 'all', role: 'all' };

  const search = field({ label: 'Find', name: 'find', type: 'search', placeholder: 'Name or email', autocomplete: 'off', spellcheck: 'false' });
  const status = field({
    label: 'Status', name: 'status', control: 'select', value: 'all',
    options: [{ value: 'all', label: 'Everyone' }, { value: 'active', label: 'Active' }, { value: 'inactive', label: 'Deactivated' }],
  });
  const role = field({
    label: 'Role', name: 'role', control: 'select', value: 'all',
    options: [{ value: 'all', label: 'All roles' }, { value: 'admin', label: 'Administrators' }, { value: 'user', label: 'Members' }],
  });
  const count = h('p', { class: 'muted admin-count', role: 'status' });
  const results = h('div', { class: 'admin-results' }, loadingState('Loading users…'));
  const more = h('button', { class: 'button button--ghost', type: 'button', hidden: true }, 'Load more users');
  const footer = h('div', { class: 'list-footer' }, more);

  const onSearch = debounce(() => { filters.q = search.querySelector('input').value.trim().toLowerCase(); show(); }, 150);
  search.querySelector('input').addEventListener('input', onSearch);
  signal.addEventListener('abort', onSearch.cancel, { once: true });
  status.querySelector('select').addEventListener('change', (event) => { filters.status = event.target.value; show(); });
  role.querySelector('select').addEventListener('change', (event) => { filters.role = event.target.value; show(); });

  function visible() {
    return users.filter((user) => (!filters.q || user.username.includes(filters.q) || user.email.includes(filters.q))
      && (filters.status === 'all' || (filters.status === 'active') === user.is_active)
      && (filters.role === 'all' || user.role === filters.role));
  }

  function actionsFor(user, actionCell) {
    const isMe = user.id === me?.id;
    const buttons = [];
    const reset = h('button', {
      class: 'button button--ghost button--sm', type: 'button', 'aria-label': `Password-reset link for ${user.username}`,
    }, mIcon('key'), h('span', {}, 'Reset link'));
    reset.addEventListener('click', async () => {
      rowError(actionCell, '');
      try {
        await busy(reset, () => showResetLink(user, reset));
      } catch (error) {
        if (!isAbortError(error)) rowError(actionCell, describeError(error));
      }
    });
    buttons.push(reset);

    if (isMe) {
      buttons.push(h('span', { class: 'admin-note' }, "That's you"));
    } else if (user.is_active) {
      const deactivate = h('button', {
        class: 'button button--ghost button--sm button--danger-ghost', type: 'button', 'aria-label': `Deactivate ${user.username}`,
      }, mIcon('ban'), h('span', {}, 'Deactivate'));
      deactivate.addEventListener('click', async () => {
        rowError(actionCell, '');
        const ok = await confirmDialog({
          title: `Deactivate ${user.username}?`,
          message: `${user.username} is signed out everywhere within seconds and can't sign in until you activate the account again. `
            + 'Their videos, playlists and comments stay.',
          confirmLabel: 'Deactivate',
          danger: true,
        });
        if (!ok) return;
        try {
          await busy(deactivate, () => api.delete(`/api/users/${encodeURIComponent(user.id)}`));
        } catch (error) {
          rowError(actionCell, describeError(error));
          return;
        }
        user.is_active = false;
        toast(`${user.username} is deactivated.`, { tone: 'success' });
        replaceRow(user, 'activate');
      });
      buttons.push(deactivate);
    } else {
      const activate = h('button', {
        class: 'button button--primary button--sm', type: 'button', 'aria-label': `Activate ${user.username}`,
      }, mIcon('user-check'), h('span', {}, 'Activate'));
      activate.addEventListener('click', async () => {
        rowError(actionCell, '');
        try {
          await busy(activate, () => api.post(`/api/users/${encodeURIComponent(user.id)}/activate`));
        } catch (error) {
          rowError(actionCell, describeError(error));
          return;
        }
        user.is_active = true;
        toast(`${user.username} can sign in again.`, { tone: 'success' });
        replaceRow(user, 'deactivate');
      });
      buttons.push(activate);
    }
    return h('div', { class: 'row-actions' }, buttons);
  }

  function userRow(user) {
    const actionCell = cell(null, { label: 'Actions', className: 'col-actions' });
    actionCell.append(actionsFor(user, actionCell));
    return tableRow(COLUMNS, [
      cell(h('div', { class: 'user-cell' },
        avatar(user, 'sm'),
        h('div', { class: 'user-cell__text' },
          h('a', { class: 'user-cell__name', href: `/u/${encodeURIComponent(user.username)}` }, user.username),
          h('span', { class: 'user-cell__email', title: user.email }, user.email))), { label: 'User', className: 'col-user', header: true }),
      h('div', { class: 'cell-stack' },
        user.is_active ? badge('Active', 'success') : badge('Deactivated', 'danger'),
        user.role === 'admin' ? badge('Admin', 'accent') : badge('Member', 'neutral')),
      h('span', { class: 'cell-lines' }, h('span', {}, plural(user.video_count, 'video')), h('span', {}, plural(user.playlist_count, 'playlist'))),
      h('span', { title: formatDateTime(user.created_at) }, formatDate(user.created_at)),
      actionCell,
    ], { dataset: { userId: user.id, username: user.username } });
  }

  /** Redraws one row in place and puts focus on its new main action. */
  function replaceRow(user, focusAction) {
    const old = results.querySelector(`tr[data-user-id="${CSS.escape(user.id)}"]`);
    if (!old) return;
    const fresh = userRow(user);
    old.replaceWith(fresh);
    fresh.querySelector(`button[aria-label^="${focusAction === 'activate' ? 'Activate' : 'Deactivate'}"]`)?.focus();
    updateCount();
  }

  function updateCount() {
    const shown = visible().length;
    const inactive = users.filter((user) => !user.is_active).length;
    const filtered = filters.q || filters.status !== 'all' || filters.role !== 'all';
    count.textContent = filtered
      ? `${plural(shown, 'user')} of ${users.length}${done ? '' : '+'} match`
      : `${plural(users.length, 'user')}${done ? '' : '+'}${inactive ? `, ${inactive} deactivated` : ''}`;
  }

  function show() {
    const rows = visible().map(userRow);
    updateCount();
    results.replaceChildren(rows.length
      ? dataTable({ label: 'Users', columns: COLUMNS, rows, className: 'users-table' })
      : emptyState({ icon: 'users', title: 'Nobody matches', text: 'Try another name, or clear the filters.', headingLevel: 'h2' }));
    more.hidden = done;
  }

  async function loadMore() {
    try {
      const page = await busy(more, () => api.get('/api/users/', { query: { skip, limit: PAGE }, signal }));
      users = [...users, ...(page ?? [])];
      skip += page?.length ?? 0;
      done = (page?.length ?? 0) < PAGE;
      show();
    } catch (error) {
      if (isAbortError(error)) return;
      if (!users.length) results.replaceChildren(errorState(error, { onRetry: () => { results.replaceChildren(loadingState()); loadMore(); } }));
      else toast(`Couldn't load more users: ${error.message}`, { tone: 'error' });
    }
  }
  more.addEventListener('click', loadMore);
  loadMore();

  return {
    actions: [h('a', { class: 'button button--primary', href: '/admin/invitations' }, mIcon('user-plus'), 'Invite someone')],
    content: h('div', {},
      h('form', {
        class: 'admin-filters', role: 'search', 'aria-label': 'Filter users',
        onSubmit: (event) => event.preventDefault(),
      }, search, status, role),
      count,
      results,
      footer,
    ),
  };
}


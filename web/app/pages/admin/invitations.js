/**
 * /admin/invitations: invite someone by email (POST /api/invitations/ → the link, also emailed by
 * Clipset), then every invitation (GET /api/invitations/?skip&limit, newest first, pages of 100)
 * with its state: pending (expires in …), used (when) or expired. Copy a pending link; revoke a
 * pending invitation or remove a used / expired one from the list (DELETE /api/invitations/{id},
 * confirmed). A `?filter=pending|used|expired` keeps the chosen view in the URL.
 */
import { api, isAbortError } from '../../api.js';
import { copyButton, copyField } from '../../ui/copy-field.js';
import { confirmDialog } from '../../ui/dialog.js';
import { h } from '../../ui/dom.js';
import { field, formAlert, handleSubmit, submitButton } from '../../ui/forms.js';
import { formatDate, formatDateTime, formatRelative } from '../../ui/format.js';
import { mIcon } from '../../ui/inline-icons.js';
import { emptyState, errorState, loadingState } from '../../ui/page.js';
import { toast } from '../../ui/toast.js';
import { badge, busy, cell, dataTable, describeError, panel, rowError, tableRow } from './common.js';

const PAGE = 100;
const FILTERS = [
  { value: 'all', label: 'All' },
  { value: 'pending', label: 'Pending' },
  { value: 'used', label: 'Used' },
  { value: 'expired', label: 'Expired' },
];
const COLUMNS = [
  { label: 'Email', className: 'col-user' },
  { label: 'Status' },
  { label: 'When' },
  { label: 'Actions', className: 'col-actions' },
];

export function invitationState(invitation, now = Date.now()) {
  if (invitation.used) return 'used';
  return Date.parse(invitation.expires_at) <= now ? 'expired' : 'pending';
}

export function invitationLink(invitation) {
  return invitation.invitation_link || `${location.origin}/register/${encodeURIComponent(invitation.token)}`;
}

export default function render({ query, signal }) {
  let invitations = [];
  let skip = 0;
  let done = false;
  let filter = FILTERS.some((f) => f.value === query.get('filter')) ? query.get('filter') : 'all';

  // --- the invite form ---
  const sent = h('div', { class: 'invite-sent', hidden: true, tabindex: '-1' });
  const form = h('form', { class: 'invite-form', 'aria-label': 'Invite someone' },
    formAlert(),
    h('div', { class: 'invite-form__row' },
      field({
        label: 'Email address', name: 'email', type: 'email', required: true, autocomplete: 'off', spellcheck: 'false',
        placeholder: 'name@example.com', hint: 'We email them a link to create their account.',
      }),
      submitButton('Send invitation', { block: false })),
  );
  handleSubmit(form, async (values) => {
    const email = values.email.trim();
    const invitation = await api.post('/api/invitations/', { email });
    form.reset();
    invitations = [invitation, ...invitations];
    sent.replaceChildren(
      h('div', { class: 'alert alert--success' }, mIcon('check'),
        h('div', { class: 'alert__body' },
          h('p', { class: 'alert__title' }, `Invitation sent to ${invitation.email}`),
          h('p', {}, `The link works once and expires ${formatRelative(invitation.expires_at)} (${formatDateTime(invitation.expires_at)}). You can also pass it on yourself:`))),
      copyField({ label: 'Invitation link', value: invitationLink(invitation), name: 'invitation-link' }),
    );
    sent.hidden = false;
    toast(`Invitation sent to ${invitation.email}.`, { tone: 'success' });
    show();
    sent.querySelector('input')?.focus();
  });

  // --- the list ---
  const filterGroup = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Show invitations' });
  const counts = new Map();
  for (const choice of FILTERS) {
    const count = h('span', { class: 'segmented__count' });
    counts.set(choice.value, count);
    filterGroup.append(h('button', {
      class: 'segmented__button', type: 'button', 'aria-pressed': String(choice.value === filter), dataset: { value: choice.value },
      onClick: () => {
        filter = choice.value;
        for (const button of filterGroup.querySelectorAll('button')) button.setAttribute('aria-pressed', String(button.dataset.value === filter));
        const params = new URLSearchParams(location.search);
        if (filter === 'all') params.delete('filter');
        else params.set('filter', filter);
        history.replaceState(history.state, '', params.toString() ? `${location.pathname}?${params}` : location.pathname);
        show();
      },
    }, choice.label, count));
  }
  const results = h('div', { class: 'admin-results' }, loadingState('Loading invitations…'));
  const more = h('button', { class: 'button button--ghost', type: 'button', hidden: true }, 'Load more invitations');

  function statusCell(invitation) {
    const state = invitationState(invitation);
    if (state === 'used') return badge('Used', 'success');
    if (state === 'expired') return badge('Expired', 'neutral');
    return badge('Pending', 'warning');
  }

  function whenCell(invitation) {
    const state = invitationState(invitation);
    if (state === 'used') {
      return invitation.used_at ? h('span', { title: formatDateTime(invitation.used_at) }, `Used ${formatDate(invitation.used_at)}`) : 'Used';
    }
    const text = state === 'expired' ? `Expired ${formatDate(invitation.expires_at)}` : `Expires ${formatRelative(invitation.expires_at)}`;
    return h('span', { title: formatDateTime(invitation.expires_at) }, text);
  }

  function invitationRow(invitation) {
    const state = invitationState(invitation);
    const actionCell = cell(null, { label: 'Actions', className: 'col-actions' });
    const buttons = [];
    if (state === 'pending') {
      buttons.push(copyButton(() => invitationLink(invitation), {
        label: 'Copy link', small: true, accessibleLabel: `Copy the invitation link for ${invitation.email}`,
      }));
    }
    const remove = h('button', {
      class: ['button', 'button--ghost', 'button--sm', state === 'pending' && 'button--danger-ghost'], type: 'button',
      'aria-label': `${state === 'pending' ? 'Revoke' : 'Remove'} the invitation for ${invitation.email}`,
    }, mIcon(state === 'pending' ? 'ban' : 'trash'), h('span', {}, state === 'pending' ? 'Revoke' : 'Remove'));
    remove.addEventListener('click', async () => {
      rowError(actionCell, '');
      const ok = await confirmDialog(state === 'pending'
        ? {
          title: `Revoke the invitation for ${invitation.email}?`,
          message: 'The link stops working at once. You can invite them again later.',
          confirmLabel: 'Revoke', danger: true,
        }
        : {
          title: `Remove this invitation from the list?`,
          message: state === 'used'
            ? `Only the record goes; the account ${invitation.email} created stays.`
            : 'It has expired already; this only tidies the list.',
          confirmLabel: 'Remove', danger: true,
        });
      if (!ok) return;
      try {
        await busy(remove, () => api.delete(`/api/invitations/${encodeURIComponent(invitation.id)}`));
      } catch (error) {
        rowError(actionCell, describeError(error));
        return;
      }
      const row = remove.closest('tr');
      const next = row?.nextElementSibling ?? row?.previousElementSibling;
      invitations = invitations.filter((item) => item.id !== invitation.id);
      toast(state === 'pending' ? `The invitation for ${invitation.email} is revoked.` : 'Invitation removed.', { tone: 'success' });
      show();
      const target = next && results.querySelector(`tr[data-id="${CSS.escape(next.dataset.id)}"] button`);
      (target ?? form.querySelector('input'))?.focus();
    });
    buttons.push(remove);
    actionCell.append(h('div', { class: 'row-actions' }, buttons));
    return tableRow(COLUMNS, [
      cell(h('span', { class: 'invite-email', title: invitation.email }, invitation.email), { label: 'Email', className: 'col-user', header: true }),
      statusCell(invitation),
      h('span', { class: 'cell-lines' },
        h('span', { title: formatDateTime(invitation.created_at) }, `Sent ${formatRelative(invitation.created_at)}`),
        whenCell(invitation)),
      actionCell,
    ], { dataset: { id: invitation.id, state } });
  }

  function show() {
    const now = Date.now();
    const tally = { all: invitations.length, pending: 0, used: 0, expired: 0 };
    for (const invitation of invitations) tally[invitationState(invitation, now)] += 1;
    for (const [value, node] of counts) node.textContent = tally[value] ? String(tally[value]) : '';
    const shown = invitations.filter((invitation) => filter === 'all' || invitationState(invitation, now) === filter);
    const label = FILTERS.find((f) => f.value === filter).label.toLowerCase();
    results.replaceChildren(shown.length
      ? dataTable({ label: filter === 'all' ? 'Invitations' : `${FILTERS.find((f) => f.value === filter).label} invitations`, columns: COLUMNS, rows: shown.map(invitationRow), className: 'invitations-table' })
      : emptyState({
        icon: 'mail', headingLevel: 'h3',
        title: filter === 'all' ? 'No invitations yet' : `No ${label} invitations`,
        text: filter === 'all' ? 'Invite the first people above.' : null,
      }));
    more.hidden = done;
  }

  async function loadMore() {
    try {
      const page = await busy(more, () => api.get('/api/invitations/', { query: { skip, limit: PAGE }, signal }));
      const known = new Set(invitations.map((item) => item.id));
      invitations = [...invitations, ...(page ?? []).filter((item) => !known.has(item.id))];
      skip += page?.length ?? 0;
      done = (page?.length ?? 0) < PAGE;
      show();
    } catch (error) {
      if (isAbortError(error)) return;
      if (!invitations.length) results.replaceChildren(errorState(error, { onRetry: () => { results.replaceChildren(loadingState()); loadMore(); } }));
      else toast(`Couldn't load more invitations: ${error.message}`, { tone: 'error' });
    }
  }
  more.addEventListener('click', loadMore);
  loadMore();

  return h('div', { class: 'admin-stack' },
    panel({ title: 'Invite someone', id: 'invite', description: 'They get an email with a link to pick a username and password.' }, form, sent),
    panel({ title: 'Sent invitations', id: 'sent-invitations', actions: [filterGroup] },
      results,
      h('div', { class: 'list-footer' }, more)),
  );
}


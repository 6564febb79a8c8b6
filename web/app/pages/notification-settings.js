/**
 * /settings/notifications: which emails the signed-in user gets (GET /api/notifications/preferences),
 * one switch per kind, each saved as soon as it is flipped (PATCH with that one key; the answer is
 * the whole set). A failed save puts the switch back and says why under it.
 * Invitation and password-reset emails are always sent, and in-app notifications are always on:
 * the page says so.
 */
import { api, isAbortError } from '../api.js';
import { h, icon } from '../ui/dom.js';
import { mIcon } from '../ui/inline-icons.js';
import { errorState, loadingState, page, pageHeader } from '../ui/page.js';
import { switchField } from '../ui/switch.js';

const GROUPS = [
  {
    title: 'Your videos',
    kinds: [
      { name: 'video_processed', label: 'A video of mine is ready', hint: 'When processing finishes and people can watch it.' },
      { name: 'video_failed', label: "A video of mine couldn't be processed", hint: 'With the reason, so you can try another file.' },
    ],
  },
  {
    title: 'Conversations',
    kinds: [
      { name: 'new_comment', label: 'Someone comments on my video', hint: 'Not for your own comments.' },
      { name: 'new_reply', label: 'Someone replies to my comment', hint: 'Replies in the threads you started.' },
    ],
  },
  {
    title: 'Account',
    kinds: [
      { name: 'welcome', label: 'Welcome email', hint: 'Sent once, right after an account is created.' },
    ],
  },
];

export default async function render({ signal }) {
  const status = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const body = h('div', { class: 'prefs' }, loadingState('Loading your settings…'));

  let prefs = null;
  const switches = new Map();

  async function save(name, on, sw, label) {
    sw.setError('');
    sw.setStatus('Saving…', 'busy');
    sw.input.setAttribute('aria-busy', 'true');
    try {
      prefs = await api.patch('/api/notifications/preferences', { [name]: on });
      // The answer is the whole set: keep every switch in step with it.
      for (const [key, other] of switches) {
        if (typeof prefs?.[key] === 'boolean' && other.input !== document.activeElement) other.checked = prefs[key];
      }
      sw.checked = prefs?.[name] ?? on;
      sw.setStatus('Saved', 'done');
      status.textContent = `Saved: ${label} emails ${sw.checked ? 'on' : 'off'}.`;
      setTimeout(() => { if (sw.input.isConnected) sw.setStatus(''); }, 2500);
    } catch (error) {
      if (isAbortError(error)) return;
      sw.checked = !on;
      sw.setStatus('');
      sw.setError(`Couldn't save this change: ${error.message}`);
    } finally {
      sw.input.removeAttribute('aria-busy');
    }
  }

  function show() {
    const groups = GROUPS.map((group) => {
      const legendId = `prefs-${group.title.toLowerCase().replace(/\W+/g, '-')}`;
      return h('fieldset', { class: 'prefs__group panel' },
        h('legend', { class: 'prefs__legend', id: legendId }, group.title),
        group.kinds.map((kind) => {
          const sw = switchField({
            label: kind.label,
            name: kind.name,
            hint: kind.hint,
            checked: prefs?.[kind.name] !== false,
            onChange: (on, self) => save(kind.name, on, self, kind.label),
          });
          switches.set(kind.name, sw);
          return sw.element;
        }));
    });
    body.replaceChildren(
      h('form', { class: 'prefs__form', 'aria-label': 'Email notifications', onSubmit: (event) => event.preventDefault() }, groups),
      h('div', { class: 'alert prefs__always' },
        mIcon('mail'),
        h('div', { class: 'alert__body' },
          h('p', { class: 'alert__title' }, 'Always sent'),
          h('p', {}, 'Invitations and password-reset emails always go out, whatever you choose here: they are how you get into your account.'),
          h('p', {}, 'In-app notifications (the bell) are always on. ', h('a', { href: '/notifications' }, 'See your notifications'), '.'))),
    );
  }

  async function load() {
    try {
      prefs = await api.get('/api/notifications/preferences', { signal });
      show();
    } catch (error) {
      if (isAbortError(error)) return;
      body.replaceChildren(errorState(error, { onRetry: () => { body.replaceChildren(loadingState()); load(); } }));
    }
  }
  await load();

  return page({ width: 'medium', className: 'settings-page' },
    h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
      h('a', { href: '/notifications' }, icon('arrow-left'), 'Notifications')),
    pageHeader({
      title: 'Email notifications',
      lead: 'Choose what Clipset emails you about. Changes are saved as soon as you flip a switch.',
    }),
    body,
    status,
  );
}

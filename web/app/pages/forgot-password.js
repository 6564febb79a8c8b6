/** /forgot-password: ask for a reset link by email (the answer is the same whether or not the account exists). */
import { api } from '../api.js';
import { h, icon } from '../ui/dom.js';
import { field, formAlert, handleSubmit, submitButton } from '../ui/forms.js';
import { authLayout } from './_auth-layout.js';

export default function render() {
  const form = h('form', { class: 'form', 'aria-label': 'Request a password reset link' },
    formAlert(),
    field({ label: 'Email', name: 'email', type: 'email', required: true, autocomplete: 'email', inputmode: 'email' }),
    submitButton('Send reset link'),
  );

  const layout = authLayout({
    title: 'Forgot your password?',
    lead: "Enter the email address of your account and we'll send you a link to choose a new password.",
    panel: form,
    aside: h('p', {}, 'Remembered it? ', h('a', { href: '/login' }, 'Back to sign in')),
  });

  handleSubmit(form, async (values) => {
    const email = values.email.trim();
    await api.post('/api/auth/forgot-password', { email }, { auth: false });
    const done = h('div', { class: 'auth__done', role: 'status', tabindex: '-1', dataset: { testid: 'reset-sent' } },
      h('div', { class: 'state__icon' }, icon('mail')),
      h('h2', {}, 'Check your email'),
      h('p', { class: 'muted' }, `If an account exists for ${email}, we've sent a link to reset its password. The link works for one hour.`),
      h('a', { class: 'button button--ghost', href: '/login' }, 'Back to sign in'),
    );
    form.replaceWith(done);
    done.focus();
  });

  return layout;
}

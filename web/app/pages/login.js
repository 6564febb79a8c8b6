/** /login: sign in with username and password, then go back to ?next= (or home). */
import { session } from '../session.js';
import { safeNext } from '../router.js';
import { h, icon } from '../ui/dom.js';
import { field, formAlert, handleSubmit, passwordField, submitButton } from '../ui/forms.js';
import { toast } from '../ui/toast.js';
import { authLayout } from './_auth-layout.js';

export default function render({ query, navigate }) {
  const next = safeNext(query.get('next'));
  const form = h('form', { class: 'form', 'aria-label': 'Sign in' },
    formAlert(),
    field({ label: 'Username', name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true }),
    passwordField({
      label: 'Password', name: 'password', autocomplete: 'current-password', required: true,
      labelExtra: h('a', { href: '/forgot-password' }, 'Forgot password?'),
    }),
    submitButton('Sign in'),
  );

  handleSubmit(form, async (values) => {
    const user = await session.signIn(values.username.trim(), values.password);
    toast(`Welcome back, ${user.username}!`, { tone: 'success' });
    navigate(next, { replace: true });
  });

  return authLayout({
    title: 'Sign in to Clipset',
    lead: next !== '/' ? 'Sign in to continue where you left off.' : 'Good to see you again.',
    panel: form,
    aside: h('p', {}, icon('lock'), ' Clipset is invite-only. New here? Open the link in your invitation email to create your account.'),
  });
}

/**
 * /reset-password?token=…: the link from the reset email (or one an admin made).
 * Checks the token (GET /api/auth/verify-reset-token), asks for the new password twice,
 * POST /api/auth/reset-password, then signs the user in.
 */
import { api } from '../api.js';
import { session } from '../session.js';
import { h, icon } from '../ui/dom.js';
import { field, formAlert, handleSubmit, passwordField, submitButton } from '../ui/forms.js';
import { page } from '../ui/page.js';
import { toast } from '../ui/toast.js';
import { authLayout } from './_auth-layout.js';

function invalidLink() {
  return page({ width: 'medium', className: 'page--center' },
    h('div', { class: 'state', dataset: { testid: 'reset-invalid' } },
      h('div', { class: 'state__icon' }, icon('lock')),
      h('h1', { class: 'state__title' }, 'This reset link has expired or was already used'),
      h('p', { class: 'state__text' }, 'Reset links work once, for a limited time. Ask for a new one and use the latest email.'),
      h('div', { class: 'state__actions' },
        h('a', { class: 'button button--primary', href: '/forgot-password' }, 'Request a new link'),
        h('a', { class: 'button button--ghost', href: '/login' }, 'Sign in')),
    ));
}

export default async function render({ query, navigate, signal, setTitle }) {
  const token = query.get('token') ?? '';
  if (!token) {
    setTitle('Reset link not valid');
    return invalidLink();
  }
  let username;
  try {
    ({ username } = await api.get('/api/auth/verify-reset-token', { query: { token }, auth: false, signal }));
  } catch (error) {
    if (error.status === 400 || error.status === 404 || error.status === 422) {
      setTitle('Reset link not valid');
      return invalidLink();
    }
    throw error;
  }

  const form = h('form', { class: 'form', 'aria-label': 'Choose a new password' },
    formAlert(),
    field({ label: 'Account', name: 'username', value: username, readonly: true, autocomplete: 'username' }),
    passwordField({ label: 'New password', name: 'password', required: true, minlength: 8, autocomplete: 'new-password', hint: 'At least 8 characters.' }),
    passwordField({ label: 'Confirm new password', name: 'confirm', required: true, autocomplete: 'new-password' }),
    submitButton('Change password'),
  );

  handleSubmit(form, async (values) => {
    try {
      await api.post('/api/auth/reset-password', { token, password: values.password }, { auth: false });
    } catch (error) {
      if (error.status === 400) {
        // The token ran out (or was used) while the form was open.
        navigate(`${location.pathname}?token=${encodeURIComponent(token)}`, { replace: true });
        return;
      }
      throw error;
    }
    try {
      if (session.user) await session.signOut();
      await session.signIn(username, values.password);
      toast('Your password was changed. You are signed in.', { tone: 'success' });
      navigate('/', { replace: true });
    } catch {
      toast('Your password was changed. Please sign in.', { tone: 'success' });
      navigate('/login', { replace: true });
    }
  }, {
    validate: (values) => (values.password && values.confirm && values.password !== values.confirm
      ? { confirm: 'The passwords do not match.' } : null),
    fieldMap: { token: null },
  });

  return authLayout({
    title: 'Choose a new password',
    lead: `Set a new password for ${username}.`,
    panel: form,
    aside: h('p', {}, h('a', { href: '/login' }, 'Back to sign in')),
  });
}

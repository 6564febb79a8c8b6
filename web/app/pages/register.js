/**
 * /register/{token}: create an account from an invitation link.
 * The token is checked first (GET /api/invitations/validate/{token}); a valid one prefills and locks
 * the email; an invalid, expired or used one gets its own page. After POST /api/auth/register the
 * new user is signed in and lands on the home page.
 */
import { api } from '../api.js';
import { session } from '../session.js';
import { h, icon } from '../ui/dom.js';
import { field, formAlert, handleSubmit, passwordField, setFieldError, submitButton } from '../ui/forms.js';
import { page } from '../ui/page.js';
import { toast } from '../ui/toast.js';
import { authLayout } from './_auth-layout.js';

const INVALID = {
  'Invitation has already been used': {
    title: 'This invitation was already used',
    text: 'An account was already created with this invitation. If that was you, sign in. Forgot your password? You can reset it.',
    actions: [['Sign in', '/login', 'primary'], ['Reset password', '/forgot-password', 'ghost']],
  },
  'Invitation has expired': {
    title: 'This invitation has expired',
    text: 'Invitations are valid for 7 days. Ask the person who invited you to send a new one.',
    actions: [['Sign in', '/login', 'ghost']],
  },
};
const NOT_FOUND = {
  title: "This invitation link doesn't work",
  text: "We couldn't find this invitation. Check that you opened the whole link from the email, or ask for a new invitation.",
  actions: [['Sign in', '/login', 'ghost']],
};

function invalidPage(validation) {
  const info = INVALID[validation.message] ?? NOT_FOUND;
  return page({ width: 'medium', className: 'page--center' },
    h('div', { class: 'state', dataset: { testid: 'invitation-invalid' } },
      h('div', { class: 'state__icon' }, icon('mail')),
      h('h1', { class: 'state__title' }, info.title),
      h('p', { class: 'state__text' }, info.text),
      validation.email && h('p', { class: 'subtle' }, `Invitation for ${validation.email}`),
      h('div', { class: 'state__actions' },
        info.actions.map(([label, href, variant]) => h('a', { class: ['button', `button--${variant}`], href }, label))),
    ));
}

export default async function render({ params, navigate, signal, setTitle }) {
  const token = params.token;
  const validation = await api.get(`/api/invitations/validate/${encodeURIComponent(token)}`, { auth: false, signal });
  if (!validation?.valid) {
    setTitle('Invitation not valid');
    return invalidPage(validation ?? {});
  }

  const signedInNotice = session.user && h('div', { class: 'alert alert--warning' },
    icon('info'),
    h('div', { class: 'alert__body' },
      h('p', {}, `You're signed in as ${session.user.username}. Sign out first to create a new account with this invitation.`),
      h('p', {}, h('button', {
        class: 'link-button', type: 'button',
        onClick: async () => {
          await session.signOut();
          navigate(location.pathname, { replace: true });
        },
      }, 'Sign out')),
    ));

  const form = h('form', { class: 'form', 'aria-label': 'Create your account' },
    formAlert(),
    field({
      label: 'Email', name: 'email', type: 'email', value: validation.email, readonly: true,
      autocomplete: 'email', hint: 'Your invitation was sent to this address.',
    }),
    field({
      label: 'Username', name: 'username', required: true, minlength: 3, maxlength: 50,
      pattern: '[A-Za-z0-9_]+', patternMessage: 'Use only letters, digits and underscores.',
      autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false',
      hint: '3–50 letters, digits or underscores. This is how others will see you.',
    }),
    passwordField({ label: 'Password', name: 'password', required: true, minlength: 8, autocomplete: 'new-password', hint: 'At least 8 characters.' }),
    passwordField({ label: 'Confirm password', name: 'confirm', required: true, autocomplete: 'new-password' }),
    submitButton('Create account'),
  );

  handleSubmit(form, async (values) => {
    const username = values.username.trim();
    try {
      await api.post('/api/auth/register', {
        email: validation.email, username, password: values.password, invitation_token: token,
      }, { auth: false });
    } catch (error) {
      // 400s that belong to one field.
      if (error.status === 400 && /username/i.test(error.message)) {
        setFieldError(form, 'username', 'This username is taken. Try another one.');
        form.elements.username.focus();
        return;
      }
      throw error;
    }
    try {
      if (session.user) await session.signOut();
      await session.signIn(username, values.password);
      toast(`Welcome to Clipset, ${username}!`, { tone: 'success' });
      navigate('/', { replace: true });
    } catch {
      toast('Your account is ready. Please sign in.', { tone: 'success' });
      navigate('/login', { replace: true });
    }
  }, {
    validate: (values) => (values.password && values.confirm && values.password !== values.confirm
      ? { confirm: 'The passwords do not match.' } : null),
    fieldMap: { invitation_token: null },
  });

  return authLayout({
    title: 'Create your account',
    lead: "You've been invited to Clipset. Pick a username and a password to get started.",
    badge: h('p', { class: 'auth__invite-for' }, icon('mail'), `Invitation for ${validation.email}`),
    panel: [signedInNotice, form],
    aside: h('p', {}, 'Already have an account? ', h('a', { href: '/login' }, 'Sign in')),
  });
}

// The signed-out screens: the sign-in form (login name and password, or the admin password alone), and the setup page shown when nobody can sign in yet.
import { ApiError, postJson } from './api.js';
import { h } from './dom.js';

export function authShell(...children: Array<Node | null>): HTMLElement {
  return h(
    'main',
    { class: 'auth' },
    h(
      'div',
      { class: 'auth-card' },
      h('div', { class: 'brand big' }, h('span', { class: 'logo' }), 'Touchline'),
      ...children,
    ),
  );
}

export function setupView(help: string): HTMLElement {
  return authShell(
    h('h1', {}, 'Set an admin password first'),
    h('p', {}, 'The dashboard stays closed until an admin password exists.'),
    h('p', { class: 'muted', id: 'setup-help' }, help),
    h(
      'pre',
      { class: 'code' },
      'echo "a long passphrase" | npx touchline admin set-password\n# or\nTOUCHLINE_ADMIN_PASSWORD="a long passphrase" npx touchline serve',
    ),
    h('button', { type: 'button', onclick: () => location.reload() }, 'I have set it — reload'),
  );
}

/** `notice`: a line above the form (e.g. after an invitation's password was set); `login` prefills the name. */
export function signInView(
  onSignedIn: (csrfToken: string) => void,
  prefill: { login?: string; notice?: string } = {},
): HTMLElement {
  const login = h('input', {
    name: 'username',
    id: 'login',
    autocomplete: 'username',
    value: prefill.login ?? '',
    placeholder: 'empty for the admin password',
  });
  const input = h('input', {
    type: 'password',
    name: 'password',
    id: 'password',
    autocomplete: 'current-password',
    required: true,
    autofocus: true,
  });
  const error = h('p', { class: 'error', role: 'alert', id: 'sign-in-error' });
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { class: 'sign-in' },
    h('label', { for: 'login' }, 'Login name'),
    login,
    h('label', { for: 'password' }, 'Password'),
    input,
    button,
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    error.textContent = '';
    postJson<{ csrf_token: string }>('login', { login: login.value, password: input.value }, null)
      .then((answer) => onSignedIn(answer.csrf_token))
      .catch((e: unknown) => {
        error.textContent = e instanceof ApiError ? e.message : 'Could not reach the collector.';
        input.select();
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  return authShell(
    h('h1', {}, 'Sign in'),
    prefill.notice === undefined ? null : h('p', { class: 'muted', id: 'sign-in-notice' }, prefill.notice),
    form,
  );
}

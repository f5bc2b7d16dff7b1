// The signed-out screens: the sign-in form, and the setup page shown when no admin password exists yet.
import { ApiError, postJson } from './api.js';
import { h } from './dom.js';

function shell(...children: Node[]): HTMLElement {
  return h('main', { class: 'auth' }, h('div', { class: 'auth-card' }, h('div', { class: 'brand big' }, h('span', { class: 'logo' }), 'Touchline'), ...children));
}

export function setupView(help: string): HTMLElement {
  return shell(
    h('h1', {}, 'Set an admin password first'),
    h('p', {}, 'The dashboard stays closed until an admin password exists.'),
    h('p', { class: 'muted', id: 'setup-help' }, help),
    h('pre', { class: 'code' }, 'echo "a long passphrase" | npx touchline admin set-password\n# or\nTOUCHLINE_ADMIN_PASSWORD="a long passphrase" npx touchline serve'),
    h('button', { type: 'button', onclick: () => location.reload() }, 'I have set it — reload'),
  );
}

export function signInView(onSignedIn: (csrfToken: string) => void): HTMLElement {
  const input = h('input', { type: 'password', name: 'password', id: 'password', autocomplete: 'current-password', required: true, autofocus: true });
  const error = h('p', { class: 'error', role: 'alert', id: 'sign-in-error' });
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', { class: 'sign-in' },
    h('label', { for: 'password' }, 'Admin password'), input, button, error);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    button.disabled = true;
    error.textContent = '';
    postJson<{ csrf_token: string }>('login', { password: input.value }, null)
      .then((answer) => onSignedIn(answer.csrf_token))
      .catch((e: unknown) => {
        error.textContent = e instanceof ApiError ? e.message : 'Could not reach the collector.';
        input.select();
      })
      .finally(() => { button.disabled = false; });
  });
  return shell(h('h1', {}, 'Sign in'), form);
}

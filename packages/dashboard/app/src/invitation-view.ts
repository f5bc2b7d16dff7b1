// The invitation link's page (#invite=TOKEN): shows whom the invitation is for and sets the password once; a used or expired link says so.
import { ApiError, postJson } from './api.js';
import type { InvitationInfo } from './api-types.js';
import { h } from './dom.js';
import { authShell } from './sign-in-view.js';

/** The token in the page's fragment, or null when this is not an invitation link. */
export function invitationToken(hash: string): string | null {
  const match = /^#invite=([\w-]{1,200})$/.exec(hash);
  return match?.[1] ?? null;
}

export async function invitationView(token: string, onAccepted: (login: string) => void): Promise<HTMLElement> {
  let info: InvitationInfo;
  try {
    info = await postJson<InvitationInfo>('invitation', { token }, null);
  } catch (e) {
    return authShell(
      h('h1', {}, 'Invitation'),
      h('p', { class: 'error', id: 'invitation-error', role: 'alert' }, e instanceof Error ? e.message : String(e)),
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            location.hash = '';
            location.reload();
          },
        },
        'Go to sign-in',
      ),
    );
  }
  const login = h('input', {
    id: 'invite-login',
    name: 'username',
    autocomplete: 'username',
    required: true,
    value: info.login ?? '',
    readonly: info.login !== null,
  });
  const password = h('input', {
    type: 'password',
    id: 'invite-password',
    autocomplete: 'new-password',
    required: true,
    minlength: 10,
  });
  const repeat = h('input', {
    type: 'password',
    id: 'invite-password-repeat',
    autocomplete: 'new-password',
    required: true,
    minlength: 10,
  });
  const error = h('p', { class: 'error', role: 'alert', id: 'invitation-error' });
  const button = h('button', { type: 'submit' }, 'Set password');
  const form = h(
    'form',
    { class: 'sign-in' },
    h('label', { for: 'invite-login' }, 'Login name'),
    login,
    h('label', { for: 'invite-password' }, 'New password (at least 10 characters)'),
    password,
    h('label', { for: 'invite-password-repeat' }, 'Repeat it'),
    repeat,
    button,
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    if (password.value !== repeat.value) {
      error.textContent = 'The two passwords differ.';
      return;
    }
    button.disabled = true;
    postJson<{ login: string }>('invitation/accept', { token, login: login.value, password: password.value }, null)
      .then((answer) => onAccepted(answer.login))
      .catch((e: unknown) => {
        error.textContent = e instanceof ApiError ? e.message : 'Could not reach the collector.';
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  return authShell(
    h('h1', {}, 'Set your password'),
    h(
      'p',
      { class: 'muted' },
      `You are invited as ${info.role === 'admin' ? 'an admin' : 'a viewer'}. This link works once, until ${new Date(info.expires_at).toLocaleString('en-GB')}.`,
    ),
    form,
  );
}

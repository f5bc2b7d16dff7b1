// "Change password" for whoever is signed in (a named user, or the built-in admin's stored password): the current password is required; their other sessions end.
import { postJson } from './api.js';
import { h } from './dom.js';

export function passwordPanel(csrfToken: string, builtIn: boolean): HTMLElement {
  const current = h('input', {
    type: 'password',
    id: 'current-password',
    autocomplete: 'current-password',
    'aria-label': 'Current password',
    placeholder: 'current password',
    required: true,
  });
  const next = h('input', {
    type: 'password',
    id: 'new-password',
    autocomplete: 'new-password',
    'aria-label': 'New password',
    placeholder: 'new password (10+ characters)',
    required: true,
  });
  const message = h('p', { class: 'muted', id: 'password-message', role: 'status' });
  const form = h(
    'form',
    { class: 'password-form' },
    current,
    next,
    h('button', { type: 'submit', id: 'password-submit' }, 'Change password'),
    message,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    message.textContent = '';
    postJson<{ other_sessions_signed_out: number }>(
      'password',
      { current_password: current.value, new_password: next.value },
      csrfToken,
    )
      .then((answer) => {
        message.textContent = `Password changed; ${answer.other_sessions_signed_out} other session(s) signed out.`;
        current.value = '';
        next.value = '';
      })
      .catch((err: unknown) => {
        message.textContent = err instanceof Error ? err.message : String(err);
      });
  });
  return h(
    'details',
    { class: 'panel', id: 'password' },
    h('summary', {}, builtIn ? 'Change the admin password' : 'Change my password'),
    builtIn
      ? h(
          'p',
          { class: 'muted note' },
          'Every other browser signed in with the admin password is signed out; named users stay signed in.',
        )
      : null,
    form,
  );
}

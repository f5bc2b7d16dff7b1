// The users panel (admins only): users with role change and remove, open invitations with revoke, and "Invite" which shows the one-time link once.
import type { AccountList, DashboardUserRow, InvitationRow, Invited, UserList } from './api-types.js';
import { fmt, h } from './dom.js';
import { roleEditor, type SetRole } from './role-editor.js';

export interface UserActions {
  invite(body: { role: string; accounts: string[]; login: string; expires_hours: number }): Promise<Invited>;
  remove(userId: string): Promise<void>;
  /** Their sessions end (they sign in again with the new role). */
  setRole: SetRole;
  revoke(invitationId: string): Promise<void>;
}

const scope = (accounts: string[] | null, names: Map<string, string>): string =>
  accounts === null ? 'all accounts' : accounts.map((id) => names.get(id) ?? id).join(', ');

function inviteForm(accounts: AccountList['accounts'], actions: UserActions, shown: HTMLElement): HTMLElement {
  const role = h(
    'select',
    { id: 'invite-role', 'aria-label': 'Role' },
    h('option', { value: 'viewer' }, 'Viewer'),
    h('option', { value: 'admin' }, 'Admin'),
  );
  const boxes = accounts.map(
    (a) =>
      h('input', {
        type: 'checkbox',
        value: a.id,
        id: `invite-account-${a.id}`,
        'data-name': a.name,
      }) as HTMLInputElement,
  );
  const login = h('input', {
    id: 'invite-name',
    'aria-label': 'Login name (optional)',
    placeholder: 'login name (optional)',
  });
  const hours = h('input', {
    id: 'invite-hours',
    'aria-label': 'Expires after hours',
    type: 'number',
    min: 1,
    value: 72,
    size: 4,
  });
  const error = h('p', { class: 'error', id: 'invite-error', role: 'alert' });
  const form = h(
    'form',
    { class: 'invite-form' },
    role,
    login,
    hours,
    h(
      'fieldset',
      { class: 'invite-accounts' },
      h('legend', {}, 'Accounts a viewer may read'),
      ...boxes.map((b) => h('label', { for: b.id }, b, b.dataset.name ?? b.value)),
    ),
    h('button', { type: 'submit', id: 'invite-submit' }, 'Invite'),
    error,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.textContent = '';
    actions
      .invite({
        role: role.value,
        accounts: role.value === 'viewer' ? boxes.filter((b) => b.checked).map((b) => b.value) : [],
        login: login.value,
        expires_hours: Number(hours.value),
      })
      .then((answer) => {
        const link = h('input', {
          id: 'invite-link',
          readonly: true,
          value: answer.link,
          'aria-label': 'Invitation link',
        });
        shown.replaceChildren(h('p', {}, 'Send this link to the person; it is shown only now and works once:'), link);
        link.select();
      })
      .catch((err: unknown) => {
        error.textContent = err instanceof Error ? err.message : String(err);
      });
  });
  return form;
}

export function usersPanel(list: UserList, accounts: AccountList['accounts'], actions: UserActions): HTMLElement {
  const names = new Map(accounts.map((a) => [a.id, a.name]));
  const fail = (err: unknown): void => {
    window.alert(err instanceof Error ? err.message : String(err));
  };
  const userRow = (u: DashboardUserRow): HTMLElement =>
    h(
      'tr',
      { 'data-login': u.login },
      h('td', {}, u.login),
      h('td', {}, u.role),
      h('td', {}, scope(u.accounts, names)),
      h('td', {}, fmt.time(u.created_at)),
      h(
        'td',
        {},
        roleEditor(u, accounts, actions.setRole),
        h(
          'button',
          {
            type: 'button',
            class: 'ghost remove-user',
            onclick: () => {
              if (window.confirm(`Remove ${u.login}? Their sessions end.`)) actions.remove(u.id).catch(fail);
            },
          },
          'Remove',
        ),
      ),
    );
  const invitationRow = (i: InvitationRow): HTMLElement =>
    h(
      'tr',
      {},
      h('td', {}, i.login ?? '(chosen on use)'),
      h('td', {}, i.role),
      h('td', {}, scope(i.accounts, names)),
      h('td', {}, i.expired ? 'expired' : `until ${fmt.time(i.expires_at)}`),
      h(
        'td',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'ghost',
            onclick: () => {
              actions.revoke(i.id).catch(fail);
            },
          },
          'Revoke',
        ),
      ),
    );
  const shown = h('div', { class: 'invite-shown', id: 'invite-shown' });
  return h(
    'section',
    { class: 'panel', id: 'users' },
    h('header', { class: 'panel-head' }, h('h2', {}, 'Users')),
    h(
      'p',
      { class: 'muted note' },
      'The built-in admin signs in with the admin password alone. Admins do everything; viewers read only their accounts.',
    ),
    list.users.length === 0
      ? h('p', { class: 'empty' }, 'No named users yet: invite someone below, or with `touchline users invite`.')
      : null,
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { id: 'users-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'Login'),
            h('th', {}, 'Role'),
            h('th', {}, 'Accounts'),
            h('th', {}, 'Since'),
            h('th', {}, ''),
          ),
        ),
        h('tbody', {}, ...list.users.map(userRow)),
      ),
    ),
    list.invitations.length === 0
      ? null
      : h(
          'div',
          { class: 'table-scroll' },
          h(
            'table',
            { id: 'invitations-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'Invitation for'),
                h('th', {}, 'Role'),
                h('th', {}, 'Accounts'),
                h('th', {}, 'Valid'),
                h('th', {}, ''),
              ),
            ),
            h('tbody', {}, ...list.invitations.map(invitationRow)),
          ),
        ),
    h('details', { class: 'invite-box' }, h('summary', {}, 'Invite someone'), inviteForm(accounts, actions, shown)),
    shown,
  );
}

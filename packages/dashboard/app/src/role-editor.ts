// "Change role" in a row of the users panel: admin or viewer (with the accounts a viewer may read), sent to the same API the CLI's `users set-role` mirrors.
import type { AccountList, DashboardUserRow } from './api-types.js';
import { h } from './dom.js';

export type SetRole = (userId: string, body: { role: string; accounts: string[] }) => Promise<void>;

/**
 * A small form under a <details> in the user's row. The server checks everything again (admin only,
 * a viewer needs at least one account, accounts only for a viewer) and its message is shown as is.
 */
export function roleEditor(user: DashboardUserRow, accounts: AccountList['accounts'], setRole: SetRole): HTMLElement {
  const key = user.login.replace(/[^\w-]/g, '_');
  const role = h(
    'select',
    { class: 'role-select', 'aria-label': `Role of ${user.login}` },
    h('option', { value: 'viewer', selected: user.role === 'viewer' }, 'Viewer'),
    h('option', { value: 'admin', selected: user.role === 'admin' }, 'Admin'),
  );
  const boxes = accounts.map(
    (a) =>
      h('input', {
        type: 'checkbox',
        value: a.id,
        id: `role-${key}-account-${a.id}`,
        'data-name': a.name,
        checked: (user.accounts ?? []).includes(a.id),
      }) as HTMLInputElement,
  );
  const fieldset = h(
    'fieldset',
    { class: 'role-accounts' },
    h('legend', {}, 'Accounts a viewer may read'),
    ...boxes.map((b) => h('label', { for: b.id }, b, b.dataset.name ?? b.value)),
  );
  // An admin reads every account: the list only matters for a viewer.
  const showAccounts = (): void => {
    fieldset.hidden = role.value !== 'viewer';
  };
  role.addEventListener('change', showAccounts);
  showAccounts();
  const error = h('p', { class: 'error role-error', role: 'alert' });
  const form = h(
    'form',
    { class: 'role-form' },
    role,
    fieldset,
    h('button', { type: 'submit', class: 'role-save' }, 'Save role'),
    error,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.textContent = '';
    setRole(user.id, {
      role: role.value,
      accounts: role.value === 'viewer' ? boxes.filter((b) => b.checked).map((b) => b.value) : [],
    }).catch((err: unknown) => {
      error.textContent = err instanceof Error ? err.message : String(err);
    });
  });
  return h('details', { class: 'role-box' }, h('summary', {}, 'Change role'), form);
}

// The accounts row as the database returns it, and its mapping to the contract's Account.
import type { Account } from '../../storage.js';

export interface AccountRow {
  id: string;
  name: string;
  created_at: number;
}

export const ACCOUNT_COLUMNS = 'id, name, created_at';

export function toAccount(row: AccountRow): Account {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

// The stored shapes of dashboard users and invitations, and their mapping from database rows (account ids are a JSON array).

/** admin: everything, every account. viewer: reads the listed accounts only, changes nothing. */
export type DashboardRole = 'admin' | 'viewer';

export interface DashboardUser {
  id: string;
  /** Lower-cased login name (e.g. an email address), unique. */
  login: string;
  role: DashboardRole;
  /** The accounts a viewer may read; empty for an admin (who reads all). */
  accountIds: string[];
  createdAt: number;
  updatedAt: number;
}

export interface DashboardUserWithHash extends DashboardUser {
  passwordHash: string;
}

export interface DashboardInvitation {
  id: string;
  /** The login name the invitation is for, or null when the invited person chooses one. */
  login: string | null;
  role: DashboardRole;
  accountIds: string[];
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  /** The user the accepted invitation created. */
  userId: string | null;
}

export interface NewDashboardInvitation {
  id: string;
  /** base64url SHA-256 of the link's token (the token itself is never stored). */
  tokenHash: string;
  login: string | null;
  role: DashboardRole;
  accountIds: string[];
  createdAt: number;
  expiresAt: number;
}

/** Why an invitation was or was not accepted: only one acceptance of a token ever wins. */
export type InvitationAcceptance =
  | { kind: 'accepted'; user: DashboardUser }
  | { kind: 'unknown' }
  | { kind: 'used'; usedAt: number }
  | { kind: 'expired'; expiredAt: number }
  | { kind: 'login_taken'; login: string }
  | { kind: 'login_required' };

export interface UserRow {
  id: string;
  login: string;
  role: string;
  account_ids: string;
  created_at: number | string;
  updated_at: number | string;
  password_hash?: string;
}
export interface InvitationRow {
  id: string;
  login: string | null;
  role: string;
  account_ids: string;
  created_at: number | string;
  expires_at: number | string;
  used_at: number | string | null;
  user_id: string | null;
}

export const USER_COLUMNS = 'id, login, role, account_ids, created_at, updated_at';
export const INVITATION_COLUMNS = 'id, login, role, account_ids, created_at, expires_at, used_at, user_id';

/** The account ids column: a JSON array of strings written by these queries; anything else reads as no accounts. */
export function parseAccountIds(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

const role = (text: string): DashboardRole => (text === 'admin' ? 'admin' : 'viewer');

export function toDashboardUser(row: UserRow): DashboardUser {
  return {
    id: row.id,
    login: row.login,
    role: role(row.role),
    accountIds: parseAccountIds(row.account_ids),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function toDashboardInvitation(row: InvitationRow): DashboardInvitation {
  return {
    id: row.id,
    login: row.login,
    role: role(row.role),
    accountIds: parseAccountIds(row.account_ids),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    usedAt: row.used_at === null ? null : Number(row.used_at),
    userId: row.user_id,
  };
}

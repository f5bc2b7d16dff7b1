// Invitations of dashboard users: the one-time token (stored only as its SHA-256), the link that carries it, and the checks of login names and roles shared by the CLI and the dashboard.
import { randomBytes } from 'node:crypto';
import { newId } from '@touchline/core';
import type { DashboardInvitation, DashboardRole, Storage } from '@touchline/storage';
import { tokenHash } from './session-store.js';

/** How long an invitation link works unless told otherwise. */
export const DEFAULT_INVITATION_HOURS = 72;
/** The longest an invitation may live: a link sitting in a mailbox is a standing key. */
export const MAX_INVITATION_HOURS = 30 * 24;
export const DASHBOARD_ROLES: readonly DashboardRole[] = ['admin', 'viewer'];

export interface InvitationRequest {
  role: DashboardRole;
  /** The accounts a viewer may read (ids); must be empty for an admin. */
  accountIds: string[];
  /** The login name; null lets the invited person choose one. */
  login: string | null;
  expiresHours: number;
  now: number;
}

/**
 * The login name as stored: trimmed and lower-cased (an email address is matched case-insensitively),
 * or what is wrong with it.
 */
export function normalizeLogin(text: string): { login: string } | { problem: string } {
  const login = text.trim().toLowerCase();
  if (login.length === 0) return { problem: 'the login name is empty' };
  if (login.length > 200) return { problem: 'the login name must be at most 200 characters long' };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s]/.test(login))
    return { problem: 'the login name may not contain spaces or control characters' };
  return { login };
}

/** What is wrong with a role and its accounts, or null: a viewer needs at least one known account, an admin none. */
export async function roleProblem(
  storage: Pick<Storage, 'listAccounts'>,
  role: string,
  accountIds: string[],
): Promise<string | null> {
  if (!DASHBOARD_ROLES.includes(role as DashboardRole))
    return `the role must be admin or viewer, not "${role.slice(0, 40)}"`;
  if (role === 'admin')
    return accountIds.length > 0 ? 'an admin reads every account: give accounts only to a viewer' : null;
  if (accountIds.length === 0) return 'a viewer needs at least one account';
  const known = new Set((await storage.listAccounts()).map((a) => a.id));
  const unknown = accountIds.filter((id) => !known.has(id));
  return unknown.length === 0 ? null : `no account with id ${unknown.map((id) => id.slice(0, 64)).join(', ')}`;
}

export function expiresHoursProblem(hours: number): string | null {
  if (!Number.isFinite(hours) || hours <= 0 || hours > MAX_INVITATION_HOURS)
    return `the invitation must expire after more than 0 and at most ${MAX_INVITATION_HOURS} hours`;
  return null;
}

/** The link that opens the dashboard's "set your password" page; the token rides in the fragment, which browsers never send to a server or in a Referer. */
export function invitationLink(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/#invite=${token}`;
}

/** Stores a new invitation and returns it with its token (shown once: only its hash is kept). Checked by the caller. */
export async function createInvitation(
  storage: Pick<Storage, 'createDashboardInvitation'>,
  request: InvitationRequest,
): Promise<{ token: string; invitation: DashboardInvitation }> {
  const token = randomBytes(32).toString('base64url');
  const invitation: DashboardInvitation = {
    id: newId(request.now),
    login: request.login,
    role: request.role,
    accountIds: request.role === 'admin' ? [] : [...new Set(request.accountIds)],
    createdAt: request.now,
    expiresAt: request.now + Math.round(request.expiresHours * 3_600_000),
    usedAt: null,
    userId: null,
  };
  await storage.createDashboardInvitation({ ...invitation, tokenHash: tokenHash(token) });
  return { token, invitation };
}

// The stored shape of one dashboard sign-in session (the cookie's token is stored only as its SHA-256) and who it belongs to.
import type { DashboardRole } from '../dashboard-users/dashboard-user-row.js';

export interface DashboardSessionRow {
  /** base64url SHA-256 of the session cookie's token. */
  tokenHash: string;
  /** Sent to the signed-in page and required on every state-changing request. */
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
  /** The named user signed in, or null for the built-in admin (signed in with the admin password alone). */
  userId: string | null;
}

/** A live session with its user's current role and accounts (read on every request, so a change applies at once). */
export interface DashboardSessionFound extends DashboardSessionRow {
  /** The user's login name; null for the built-in admin. */
  login: string | null;
  role: DashboardRole;
  /** The accounts a viewer may read; empty for admins. */
  accountIds: string[];
}

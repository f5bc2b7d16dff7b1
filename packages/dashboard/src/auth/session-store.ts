// Dashboard sign-in sessions: random tokens kept in the database (by hash) with an absolute expiry, a CSRF token and the signed-in user each, so restarts and several collectors share them.
import { createHash, randomBytes } from 'node:crypto';
import type { DashboardRole, Storage } from '@touchline/storage';

export interface DashboardSession {
  /** Sent to the signed-in page and required on every state-changing request (header x-csrf-token). */
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
  /** The named user signed in, or null for the built-in admin (the admin password alone). */
  userId: string | null;
  /** The user's login name; null for the built-in admin. */
  login: string | null;
  /** The user's role now (read with the session on every request). */
  role: DashboardRole;
  /** The accounts a viewer may read; empty for admins, who read every account. */
  accountIds: string[];
}

/** Who a new session is for: a named user, or null for the built-in admin. */
export type SessionUser = { id: string; login: string; role: DashboardRole; accountIds: string[] } | null;

export interface SessionStore {
  /** A new session for `user` and the cookie token that names it (the token itself is never stored). */
  create(user: SessionUser): Promise<{ token: string; session: DashboardSession }>;
  /** The live session the token names, or null (unknown, expired or signed out). */
  find(token: string): Promise<DashboardSession | null>;
  delete(token: string): Promise<void>;
  /** Signs every session out (after an admin password change, or an admin's "sign out everywhere"); returns how many. */
  deleteAll(): Promise<number>;
  /** Signs out every session of one user (null: the built-in admin); returns how many. */
  deleteOfUser(userId: string | null): Promise<number>;
}

export interface SessionStoreOptions {
  storage: Pick<Storage, 'createDashboardSession' | 'findDashboardSession' | 'deleteDashboardSessions'>;
  ttlMs: number;
  now: () => number;
  /** Oldest sessions are dropped beyond this many, so a flood of sign-ins cannot grow the table without bound. */
  maxSessions: number;
}

// Stored and looked up by SHA-256 of the token: the database never holds a token that would sign
// anyone in, and a lookup compares hashes, not the secret, so its timing says nothing about a token.
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** Tokens are 43 characters; anything far from that is not worth a query. */
const plausible = (token: string): boolean => token.length > 0 && token.length <= 200;

export function createSessionStore(options: SessionStoreOptions): SessionStore {
  const { storage } = options;
  return {
    async create(user) {
      const now = options.now();
      const token = randomBytes(32).toString('base64url');
      const stored = {
        csrfToken: randomBytes(24).toString('base64url'),
        createdAt: now,
        expiresAt: now + options.ttlMs,
        userId: user?.id ?? null,
      };
      await storage.createDashboardSession({ tokenHash: tokenHash(token), ...stored }, options.maxSessions);
      return {
        token,
        session: {
          ...stored,
          login: user?.login ?? null,
          role: user?.role ?? 'admin',
          accountIds: user?.accountIds ?? [],
        },
      };
    },
    async find(token) {
      if (!plausible(token)) return null;
      const row = await storage.findDashboardSession(tokenHash(token), options.now());
      if (row === null) return null;
      const { csrfToken, createdAt, expiresAt, userId, login, role, accountIds } = row;
      return { csrfToken, createdAt, expiresAt, userId, login, role, accountIds };
    },
    async delete(token) {
      if (plausible(token)) await storage.deleteDashboardSessions({ tokenHash: tokenHash(token) });
    },
    deleteAll: () => storage.deleteDashboardSessions('all'),
    deleteOfUser: (userId) => storage.deleteDashboardSessions({ userId }),
  };
}

// Dashboard sign-in sessions: random tokens kept in the database (by hash) with an absolute expiry and a CSRF token each, so restarts and several collectors share them.
import { createHash, randomBytes } from 'node:crypto';
import type { Storage } from '@touchline/storage';

export interface DashboardSession {
  /** Sent to the signed-in page and required on every state-changing request (header x-csrf-token). */
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

export interface SessionStore {
  /** A new session and the cookie token that names it (the token itself is never stored). */
  create(): Promise<{ token: string; session: DashboardSession }>;
  /** The live session the token names, or null (unknown, expired or signed out). */
  find(token: string): Promise<DashboardSession | null>;
  delete(token: string): Promise<void>;
  /** Signs every session out (after a password change, or "sign out everywhere"); returns how many. */
  deleteAll(): Promise<number>;
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
    async create() {
      const now = options.now();
      const token = randomBytes(32).toString('base64url');
      const session = { csrfToken: randomBytes(24).toString('base64url'), createdAt: now, expiresAt: now + options.ttlMs };
      await storage.createDashboardSession({ tokenHash: tokenHash(token), ...session }, options.maxSessions);
      return { token, session };
    },
    async find(token) {
      if (!plausible(token)) return null;
      const row = await storage.findDashboardSession(tokenHash(token), options.now());
      return row === null ? null : { csrfToken: row.csrfToken, createdAt: row.createdAt, expiresAt: row.expiresAt };
    },
    async delete(token) {
      if (plausible(token)) await storage.deleteDashboardSessions({ tokenHash: tokenHash(token) });
    },
    deleteAll: () => storage.deleteDashboardSessions('all'),
  };
}

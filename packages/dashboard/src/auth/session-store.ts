// Dashboard sign-in sessions: random tokens held server-side (by hash) with an absolute expiry and a CSRF token each.
import { createHash, randomBytes } from 'node:crypto';

export interface DashboardSession {
  /** Sent to the signed-in page and required on every state-changing request (header x-csrf-token). */
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

export interface SessionStore {
  /** A new session and the cookie token that names it (the token itself is never stored). */
  create(): { token: string; session: DashboardSession };
  /** The live session the token names, or null (unknown, expired or signed out). */
  find(token: string): DashboardSession | null;
  delete(token: string): void;
  readonly size: number;
}

export interface SessionStoreOptions {
  ttlMs: number;
  now: () => number;
  /** Oldest sessions are dropped beyond this many, so a flood of sign-ins cannot grow memory without bound. */
  maxSessions: number;
}

// Keyed by SHA-256 of the token: a lookup compares hashes, not the secret, so its timing says nothing about a token.
const keyOf = (token: string): string => createHash('sha256').update(token).digest('base64url');

export function createSessionStore(options: SessionStoreOptions): SessionStore {
  const sessions = new Map<string, DashboardSession>();
  const sweep = (now: number): void => {
    for (const [key, session] of sessions) if (session.expiresAt <= now) sessions.delete(key);
  };
  return {
    create() {
      const now = options.now();
      sweep(now);
      while (sessions.size >= options.maxSessions) {
        const oldest = sessions.keys().next().value;
        if (oldest === undefined) break;
        sessions.delete(oldest);
      }
      const token = randomBytes(32).toString('base64url');
      const session = { csrfToken: randomBytes(24).toString('base64url'), createdAt: now, expiresAt: now + options.ttlMs };
      sessions.set(keyOf(token), session);
      return { token, session };
    },
    find(token) {
      if (token.length === 0 || token.length > 200) return null;
      const key = keyOf(token);
      const session = sessions.get(key);
      if (session === undefined) return null;
      if (session.expiresAt <= options.now()) {
        sessions.delete(key);
        return null;
      }
      return session;
    },
    delete(token) {
      sessions.delete(keyOf(token));
    },
    get size() {
      return sessions.size;
    },
  };
}

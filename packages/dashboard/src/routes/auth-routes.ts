// Sign-in, sign-out, "who am I" and password change for the dashboard: the built-in admin (password alone) or a named user (login name and password), throttling, the session cookie and its CSRF token.
import { replyError } from '@touchline/server';
import type { Storage } from '@touchline/storage';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AdminPassword } from '../auth/admin-password.js';
import { readCookie, SESSION_COOKIE, sessionCookie } from '../auth/cookies.js';
import { normalizeLogin } from '../auth/invitations.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import { hashPassword, passwordProblem, verifyPassword } from '../auth/password-hash.js';
import { requireCsrf, requireSameOrigin, requireSession } from '../auth/request-guard.js';
import { tokenHash, type DashboardSession, type SessionStore, type SessionUser } from '../auth/session-store.js';
import type { DashboardSettings } from '../dashboard-settings.js';

export interface AuthDeps {
  password: AdminPassword;
  sessions: SessionStore;
  throttle: LoginThrottle;
  settings: DashboardSettings;
  storage: Pick<
    Storage,
    | 'findDashboardUser'
    | 'listDashboardUsers'
    | 'setDashboardUserPassword'
    | 'setAdminSetting'
    | 'deleteDashboardSessions'
  >;
  now: () => number;
}

const loginSchema = z.object({
  /** Absent or empty: the built-in admin, signing in with the admin password alone. */
  login: z.string({ error: 'must be a string' }).max(200, 'is too long').optional(),
  password: z.string({ error: 'must be a string' }).min(1, 'is required').max(1024, 'is too long'),
});
const passwordSchema = z.object({
  current_password: z.string({ error: 'is required' }).min(1, 'is required').max(1024, 'is too long'),
  new_password: z.string({ error: 'is required' }).max(4096, 'is too long'),
});

export const SETUP_HELP =
  'No admin password is set. Set one with `touchline admin set-password` (reads it from standard input) ' +
  'or start the collector with the environment variable TOUCHLINE_ADMIN_PASSWORD (at least 10 characters).';

function isSecure(settings: DashboardSettings, request: FastifyRequest): boolean {
  return settings.secureCookies === 'always' || (settings.secureCookies === 'auto' && request.protocol === 'https');
}

/** What the page learns about the signed-in person: their name, role and (for a viewer) accounts. */
function sessionJson(session: DashboardSession): Record<string, unknown> {
  return {
    state: 'signed_in',
    csrf_token: session.csrfToken,
    expires_at: new Date(session.expiresAt).toISOString(),
    user: {
      login: session.login,
      role: session.role,
      accounts: session.role === 'admin' ? null : session.accountIds,
      built_in: session.userId === null,
    },
  };
}

/** The routes' own state: a decoy hash, made once per registration. */
interface Ctx extends AuthDeps {
  decoyHash(): Promise<string>;
}

/** The named user these credentials sign in, or null. */
async function checkUser(deps: Ctx, loginText: string, password: string): Promise<SessionUser> {
  const normal = normalizeLogin(loginText);
  const user = 'login' in normal ? await deps.storage.findDashboardUser({ login: normal.login }) : null;
  // An unknown login name still costs one scrypt check, so the answer's timing does not tell which names exist.
  const ok = await verifyPassword(password, user?.passwordHash ?? (await deps.decoyHash()));
  return ok && user !== null ? { id: user.id, login: user.login, role: user.role, accountIds: user.accountIds } : null;
}

async function login(deps: Ctx, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  if (!requireSameOrigin(request, reply)) return reply;
  const parsed = loginSchema.safeParse(request.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return replyError(reply, 400, 'invalid_body', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  const named = (parsed.data.login ?? '').trim() !== '';
  if (!named && (await deps.password.source()) === null)
    return replyError(reply, 409, 'no_admin_password', `${SETUP_HELP} Named users sign in with their login name.`);
  // Counted before the (slow) password check, so parallel attempts cannot all slip through.
  const decision = deps.throttle.attempt(request.ip);
  if (decision.kind === 'refuse') {
    const seconds = Math.ceil(decision.retryAfterMs / 1000);
    return replyError(
      reply,
      429,
      'too_many_attempts',
      `too many failed sign-ins from this address; try again in ${seconds} s`,
      { retryAfterSeconds: seconds },
    );
  }
  let user: SessionUser = null;
  if (named) {
    user = await checkUser(deps, parsed.data.login ?? '', parsed.data.password);
    if (user === null)
      return replyError(reply, 401, 'wrong_password', 'that login name and password do not match a dashboard user');
  } else if (!(await deps.password.verify(parsed.data.password))) {
    return replyError(
      reply,
      401,
      'wrong_password',
      'that is not the admin password (named users: enter your login name too)',
    );
  }
  deps.throttle.recordSuccess(request.ip);
  const old = readCookie(request.headers.cookie, SESSION_COOKIE);
  if (old !== null) await deps.sessions.delete(old);
  const { token, session } = await deps.sessions.create(user);
  reply.header(
    'set-cookie',
    sessionCookie(token, {
      maxAgeSeconds: deps.settings.sessionTtlMs / 1000,
      secure: isSecure(deps.settings, request),
    }),
  );
  return reply.send(sessionJson(session));
}

/** The current password is right: the built-in admin's (env or stored) or the named user's. */
async function currentPasswordOk(deps: AuthDeps, userId: string | null, attempt: string): Promise<boolean> {
  if (userId === null) return deps.password.verify(attempt);
  const user = await deps.storage.findDashboardUser({ id: userId });
  return user !== null && (await verifyPassword(attempt, user.passwordHash));
}

/**
 * Stores the new password and ends the changer's other sessions; the number ended. The built-in
 * admin's is the stored hash `touchline admin set-password` writes (admin-password.ts reads it on
 * every check, so every collector sharing the database takes it at once); like the CLI it signs out
 * only the built-in admin's sessions (named users keep theirs), except the one making the change.
 */
async function storePassword(deps: AuthDeps, userId: string | null, token: string, password: string): Promise<number> {
  const hash = await hashPassword(password);
  if (userId === null) {
    await deps.storage.setAdminSetting('admin_password_hash', hash, deps.now());
    return deps.storage.deleteDashboardSessions({ userId: null, exceptTokenHash: tokenHash(token) });
  }
  const ended = await deps.storage.setDashboardUserPassword({
    userId,
    passwordHash: hash,
    keepTokenHash: tokenHash(token),
    now: deps.now(),
  });
  return ended ?? 0;
}

/**
 * A signed-in person changes their own password (a named user, or the built-in admin when its
 * password is the stored one): the current one is required; their other sessions end.
 */
async function changePassword(deps: AuthDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  if (!requireSameOrigin(request, reply)) return reply;
  const signedIn = await requireSession(deps.sessions, request, reply);
  if (signedIn === null || !requireCsrf(signedIn, request, reply)) return reply;
  const { userId } = signedIn.session;
  // TOUCHLINE_ADMIN_PASSWORD wins over the stored hash: a change stored here would not take effect.
  if (userId === null && (await deps.password.source()) === 'env') {
    return replyError(
      reply,
      409,
      'admin_password_from_env',
      "the built-in admin's password comes from TOUCHLINE_ADMIN_PASSWORD on this collector; change it there (a password stored here would not be used)",
    );
  }
  const body = passwordSchema.safeParse(request.body);
  if (!body.success) {
    const issue = body.error.issues[0];
    return replyError(reply, 400, 'invalid_body', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  }
  // The CLI's rule (passwordProblem), in the words of whoever is changing theirs.
  const problem = passwordProblem(body.data.new_password);
  if (problem !== null)
    return replyError(
      reply,
      400,
      'invalid_body',
      `new_password: ${userId === null ? problem : problem.replace('the admin password', 'the password')}`,
    );
  const decision = deps.throttle.attempt(request.ip);
  if (decision.kind === 'refuse')
    return replyError(
      reply,
      429,
      'too_many_attempts',
      `too many failed password checks from this address; try again in ${Math.ceil(decision.retryAfterMs / 1000)} s`,
    );
  if (!(await currentPasswordOk(deps, userId, body.data.current_password))) {
    return replyError(reply, 403, 'wrong_password', 'current_password: that is not your current password');
  }
  deps.throttle.recordSuccess(request.ip);
  const ended = await storePassword(deps, userId, signedIn.token, body.data.new_password);
  return reply.send({ changed: true, other_sessions_signed_out: ended });
}

export function registerAuthRoutes(app: FastifyInstance, options: AuthDeps): void {
  let decoy: Promise<string> | null = null;
  const deps: Ctx = { ...options, decoyHash: () => (decoy ??= hashPassword('a decoy password that matches nothing')) };
  app.get('/dashboard/api/session', async (request) => {
    const session = await deps.sessions.find(readCookie(request.headers.cookie, SESSION_COOKIE) ?? '');
    if (session !== null) return sessionJson(session);
    // Setup only while nobody at all can sign in: no admin password and no named user.
    if ((await deps.password.source()) === null && (await deps.storage.listDashboardUsers()).users.length === 0)
      return { state: 'setup', help: SETUP_HELP };
    return { state: 'signed_out' };
  });

  app.post('/dashboard/api/login', (request, reply) => login(deps, request, reply));
  app.post('/dashboard/api/password', (request, reply) => changePassword(deps, request, reply));

  app.post('/dashboard/api/logout', async (request, reply) => {
    if (!requireSameOrigin(request, reply)) return reply;
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (signedIn === null || !requireCsrf(signedIn, request, reply)) return reply;
    await deps.sessions.delete(signedIn.token);
    reply.header('set-cookie', sessionCookie('', { maxAgeSeconds: 0, secure: isSecure(deps.settings, request) }));
    return { state: 'signed_out' };
  });

  // An admin signs out every browser signed in to this dashboard (on any collector sharing the
  // database): for a lost laptop or a leaked password. A viewer signs out all of their own sessions.
  app.post('/dashboard/api/logout-everywhere', async (request, reply) => {
    if (!requireSameOrigin(request, reply)) return reply;
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (signedIn === null || !requireCsrf(signedIn, request, reply)) return reply;
    const { role, userId } = signedIn.session;
    const sessions = role === 'admin' ? await deps.sessions.deleteAll() : await deps.sessions.deleteOfUser(userId);
    reply.header('set-cookie', sessionCookie('', { maxAgeSeconds: 0, secure: isSecure(deps.settings, request) }));
    return { state: 'signed_out', sessions_signed_out: sessions };
  });
}

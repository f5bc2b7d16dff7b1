// Sign-in, sign-out and "who am I" for the dashboard: password check, throttling, the session cookie and its CSRF token.
import { replyError } from '@touchline/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AdminPassword } from '../auth/admin-password.js';
import { readCookie, SESSION_COOKIE, sessionCookie } from '../auth/cookies.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import { requireCsrf, requireSameOrigin, requireSession } from '../auth/request-guard.js';
import type { SessionStore } from '../auth/session-store.js';
import type { DashboardSettings } from '../dashboard-settings.js';

export interface AuthDeps { password: AdminPassword; sessions: SessionStore; throttle: LoginThrottle; settings: DashboardSettings }

const loginSchema = z.object({ password: z.string({ error: 'must be a string' }).min(1, 'is required').max(1024, 'is too long') });

export const SETUP_HELP = 'No admin password is set. Set one with `touchline admin set-password` (reads it from standard input) '
  + 'or start the collector with the environment variable TOUCHLINE_ADMIN_PASSWORD (at least 10 characters).';

function isSecure(settings: DashboardSettings, request: FastifyRequest): boolean {
  return settings.secureCookies === 'always' || (settings.secureCookies === 'auto' && request.protocol === 'https');
}

async function login(deps: AuthDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  if (!requireSameOrigin(request, reply)) return reply;
  const parsed = loginSchema.safeParse(request.body);
  if (!parsed.success) return replyError(reply, 400, 'invalid_body', `password: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  if (await deps.password.source() === null) return replyError(reply, 409, 'no_admin_password', SETUP_HELP);
  // Counted before the (slow) password check, so parallel attempts cannot all slip through.
  const decision = deps.throttle.attempt(request.ip);
  if (decision.kind === 'refuse') {
    const seconds = Math.ceil(decision.retryAfterMs / 1000);
    return replyError(reply, 429, 'too_many_attempts', `too many failed sign-ins from this address; try again in ${seconds} s`, { retryAfterSeconds: seconds });
  }
  if (!(await deps.password.verify(parsed.data.password))) {
    return replyError(reply, 401, 'wrong_password', 'that is not the admin password');
  }
  deps.throttle.recordSuccess(request.ip);
  const old = readCookie(request.headers.cookie, SESSION_COOKIE);
  if (old !== null) await deps.sessions.delete(old);
  const { token, session } = await deps.sessions.create();
  reply.header('set-cookie', sessionCookie(token, { maxAgeSeconds: deps.settings.sessionTtlMs / 1000, secure: isSecure(deps.settings, request) }));
  return reply.send({ state: 'signed_in', csrf_token: session.csrfToken, expires_at: new Date(session.expiresAt).toISOString() });
}

export function registerAuthRoutes(app: FastifyInstance, deps: AuthDeps): void {
  app.get('/dashboard/api/session', async (request) => {
    const source = await deps.password.source();
    if (source === null) return { state: 'setup', help: SETUP_HELP };
    const session = await deps.sessions.find(readCookie(request.headers.cookie, SESSION_COOKIE) ?? '');
    if (session === null) return { state: 'signed_out' };
    return { state: 'signed_in', csrf_token: session.csrfToken, expires_at: new Date(session.expiresAt).toISOString() };
  });

  app.post('/dashboard/api/login', (request, reply) => login(deps, request, reply));

  app.post('/dashboard/api/logout', async (request, reply) => {
    if (!requireSameOrigin(request, reply)) return reply;
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (signedIn === null || !requireCsrf(signedIn, request, reply)) return reply;
    await deps.sessions.delete(signedIn.token);
    reply.header('set-cookie', sessionCookie('', { maxAgeSeconds: 0, secure: isSecure(deps.settings, request) }));
    return { state: 'signed_out' };
  });

  // Every browser signed in to this dashboard (on any collector sharing the database) is signed out:
  // for a lost laptop or a shared password that leaked. A password change does the same (CLI).
  app.post('/dashboard/api/logout-everywhere', async (request, reply) => {
    if (!requireSameOrigin(request, reply)) return reply;
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (signedIn === null || !requireCsrf(signedIn, request, reply)) return reply;
    const sessions = await deps.sessions.deleteAll();
    reply.header('set-cookie', sessionCookie('', { maxAgeSeconds: 0, secure: isSecure(deps.settings, request) }));
    return { state: 'signed_out', sessions_signed_out: sessions };
  });
}

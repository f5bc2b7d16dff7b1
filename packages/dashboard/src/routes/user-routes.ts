// The users panel's API (admins only): list users and open invitations, invite (the link is shown once), change a role, remove a user, revoke an invitation.
import { replyError } from '@touchline/server';
import type { DashboardInvitation, DashboardRole, DashboardUser, Storage } from '@touchline/storage';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireAdmin } from '../auth/access.js';
import {
  createInvitation,
  DEFAULT_INVITATION_HOURS,
  expiresHoursProblem,
  invitationLink,
  normalizeLogin,
  roleProblem,
} from '../auth/invitations.js';
import { requireCsrf, requireSameOrigin, requireSession, type SignedIn } from '../auth/request-guard.js';
import type { SessionStore } from '../auth/session-store.js';
import { replyInvalid } from './dashboard-query.js';

interface Deps {
  storage: Storage;
  sessions: SessionStore;
  now: () => number;
}

const inviteSchema = z.object({
  role: z.string({ error: 'must be admin or viewer' }),
  accounts: z.array(z.string().min(1).max(64), { error: 'must be a list of account ids' }).max(1000).default([]),
  login: z.string({ error: 'must be a string' }).max(200, 'is too long').optional(),
  expires_hours: z.number({ error: 'must be a number of hours' }).optional(),
});
const roleSchema = z.object({
  role: z.string({ error: 'must be admin or viewer' }),
  accounts: z.array(z.string().min(1).max(64), { error: 'must be a list of account ids' }).max(1000).default([]),
});

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
export const userJson = (u: DashboardUser) => ({
  id: u.id,
  login: u.login,
  role: u.role,
  accounts: u.role === 'admin' ? null : u.accountIds,
  created_at: iso(u.createdAt),
});
export const invitationJson = (i: DashboardInvitation, now: number) => ({
  id: i.id,
  login: i.login,
  role: i.role,
  accounts: i.role === 'admin' ? null : i.accountIds,
  created_at: iso(i.createdAt),
  expires_at: iso(i.expiresAt),
  expired: i.expiresAt <= now,
});

/** Same origin, signed in, CSRF token, admin: every change on this panel. */
async function adminChange(
  deps: Deps,
  request: FastifyRequest,
  reply: FastifyReply,
  what: string,
): Promise<SignedIn | null> {
  if (!requireSameOrigin(request, reply)) return null;
  const signedIn = await requireSession(deps.sessions, request, reply);
  if (signedIn === null || !requireCsrf(signedIn, request, reply) || !requireAdmin(signedIn, what, reply)) return null;
  return signedIn;
}

const param = (request: FastifyRequest, name: string): string =>
  String((request.params as Record<string, unknown>)[name] ?? '').slice(0, 64);

export function registerUserRoutes(app: FastifyInstance, deps: Deps): void {
  app.get('/dashboard/api/users', async (request, reply) => {
    const signedIn = await requireSession(deps.sessions, request, reply);
    if (signedIn === null || !requireAdmin(signedIn, 'list dashboard users', reply)) return reply;
    const people = await deps.storage.listDashboardUsers();
    const now = deps.now();
    return { users: people.users.map(userJson), invitations: people.invitations.map((i) => invitationJson(i, now)) };
  });

  app.post('/dashboard/api/users/invite', async (request, reply) => {
    if ((await adminChange(deps, request, reply, 'invite dashboard users')) === null) return reply;
    const body = inviteSchema.safeParse(request.body);
    if (!body.success) return replyInvalid(reply, body.error);
    const { role, accounts } = body.data;
    const problem = await roleProblem(deps.storage, role, accounts);
    if (problem !== null) return replyError(reply, 400, 'invalid_body', `role: ${problem}`);
    const hours = body.data.expires_hours ?? DEFAULT_INVITATION_HOURS;
    const hoursProblem = expiresHoursProblem(hours);
    if (hoursProblem !== null) return replyError(reply, 400, 'invalid_body', `expires_hours: ${hoursProblem}`);
    let login: string | null = null;
    if ((body.data.login ?? '').trim() !== '') {
      const normal = normalizeLogin(body.data.login ?? '');
      if ('problem' in normal) return replyError(reply, 400, 'invalid_body', `login: ${normal.problem}`);
      if ((await deps.storage.findDashboardUser({ login: normal.login })) !== null)
        return replyError(reply, 409, 'login_taken', `login: a user named ${normal.login} exists already`);
      login = normal.login;
    }
    const now = deps.now();
    const { token, invitation } = await createInvitation(deps.storage, {
      role: role as DashboardRole,
      accountIds: accounts,
      login,
      expiresHours: hours,
      now,
    });
    // The link names the host the admin reached the dashboard on; shown once, only its hash is stored.
    return {
      invitation: invitationJson(invitation, now),
      link: invitationLink(`${request.protocol}://${request.host}`, token),
    };
  });

  app.post('/dashboard/api/users/:id/role', async (request, reply) => {
    const signedIn = await adminChange(deps, request, reply, 'change roles');
    if (signedIn === null) return reply;
    const body = roleSchema.safeParse(request.body);
    if (!body.success) return replyInvalid(reply, body.error);
    const problem = await roleProblem(deps.storage, body.data.role, body.data.accounts);
    if (problem !== null) return replyError(reply, 400, 'invalid_body', `role: ${problem}`);
    const id = param(request, 'id');
    const changed = await deps.storage.setDashboardUserRole({
      userId: id,
      role: body.data.role as DashboardRole,
      accountIds: body.data.accounts,
      now: deps.now(),
    });
    if (!changed) return replyError(reply, 404, 'not_found', `no dashboard user ${id}`);
    return { changed: true, sessions_ended: true };
  });

  app.post('/dashboard/api/users/:id/remove', async (request, reply) => {
    const signedIn = await adminChange(deps, request, reply, 'remove dashboard users');
    if (signedIn === null) return reply;
    const id = param(request, 'id');
    if (signedIn.session.userId === id)
      return replyError(reply, 409, 'remove_self', 'you cannot remove yourself; ask another admin');
    if (!(await deps.storage.removeDashboardUser(id)))
      return replyError(reply, 404, 'not_found', `no dashboard user ${id}`);
    return { removed: true };
  });

  app.post('/dashboard/api/invitations/:id/revoke', async (request, reply) => {
    if ((await adminChange(deps, request, reply, 'revoke invitations')) === null) return reply;
    const id = param(request, 'id');
    if (!(await deps.storage.revokeDashboardInvitation(id)))
      return replyError(reply, 404, 'not_found', `no unused invitation ${id}`);
    return { revoked: true };
  });
}

// The invitation link's page API (no session needed, the token is the credential): whom an invitation is for, and setting the password once.
import { newId } from '@touchline/core';
import { replyError } from '@touchline/server';
import type { InvitationAcceptance, Storage } from '@touchline/storage';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { normalizeLogin } from '../auth/invitations.js';
import { hashPassword, passwordProblem } from '../auth/password-hash.js';
import { requireSameOrigin } from '../auth/request-guard.js';
import { tokenHash } from '../auth/session-store.js';
import { replyInvalid } from './dashboard-query.js';

interface Deps {
  storage: Storage;
  now: () => number;
}

const tokenSchema = z.object({
  token: z
    .string({ error: 'is required (the part after #invite= in the link)' })
    .min(1, 'is required')
    .max(200, 'is not an invitation token'),
});
const acceptSchema = tokenSchema.extend({
  login: z.string({ error: 'must be a string' }).max(200, 'is too long').optional(),
  password: z.string({ error: 'is required' }).max(4096, 'is too long'),
});

const iso = (ms: number): string => new Date(ms).toISOString();

/** A refused link, said plainly: unknown (or revoked), used, expired. */
function refuse(reply: FastifyReply, answer: Exclude<InvitationAcceptance, { kind: 'accepted' }>): FastifyReply {
  switch (answer.kind) {
    case 'unknown':
      return replyError(
        reply,
        404,
        'invitation_unknown',
        'this invitation link is not valid (mistyped, or revoked by an admin); ask an admin for a new one',
      );
    case 'used':
      return replyError(
        reply,
        410,
        'invitation_used',
        `this invitation link was already used (${iso(answer.usedAt)}); sign in instead, or ask an admin for a new one`,
      );
    case 'expired':
      return replyError(
        reply,
        410,
        'invitation_expired',
        `this invitation link expired at ${iso(answer.expiredAt)}; ask an admin for a new one`,
      );
    case 'login_taken':
      return replyError(
        reply,
        409,
        'login_taken',
        `login: a user named ${answer.login} exists already; choose another name`,
      );
    case 'login_required':
      return replyError(reply, 400, 'invalid_body', 'login: choose a login name (this invitation does not name one)');
  }
}

export function registerInvitationRoutes(app: FastifyInstance, deps: Deps): void {
  // POST, so the token never sits in a URL (server logs, history).
  app.post('/dashboard/api/invitation', async (request, reply) => {
    if (!requireSameOrigin(request, reply)) return reply;
    const body = tokenSchema.safeParse(request.body);
    if (!body.success) return replyInvalid(reply, body.error);
    const invitation = await deps.storage.findDashboardInvitation(tokenHash(body.data.token));
    if (invitation === null) return refuse(reply, { kind: 'unknown' });
    if (invitation.usedAt !== null) return refuse(reply, { kind: 'used', usedAt: invitation.usedAt });
    if (invitation.expiresAt <= deps.now()) return refuse(reply, { kind: 'expired', expiredAt: invitation.expiresAt });
    return { login: invitation.login, role: invitation.role, expires_at: iso(invitation.expiresAt) };
  });

  app.post('/dashboard/api/invitation/accept', async (request, reply) => {
    if (!requireSameOrigin(request, reply)) return reply;
    const body = acceptSchema.safeParse(request.body);
    if (!body.success) return replyInvalid(reply, body.error);
    const problem = passwordProblem(body.data.password);
    if (problem !== null)
      return replyError(
        reply,
        400,
        'invalid_body',
        `password: ${problem.replace('the admin password', 'the password')}`,
      );
    let login: string | null = null;
    if ((body.data.login ?? '').trim() !== '') {
      const normal = normalizeLogin(body.data.login ?? '');
      if ('problem' in normal) return replyError(reply, 400, 'invalid_body', `login: ${normal.problem}`);
      login = normal.login;
    }
    const now = deps.now();
    const answer = await deps.storage.acceptDashboardInvitation({
      tokenHash: tokenHash(body.data.token),
      userId: newId(now),
      login,
      passwordHash: await hashPassword(body.data.password),
      now,
    });
    if (answer.kind !== 'accepted') return refuse(reply, answer);
    return { state: 'accepted', login: answer.user.login, role: answer.user.role };
  });
}

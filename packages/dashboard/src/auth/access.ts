// Role checks on dashboard requests: admins do everything; a viewer reads only their accounts and changes nothing.
import { replyError } from '@touchline/server';
import type { FastifyReply } from 'fastify';
import type { SignedIn } from './request-guard.js';
import type { DashboardSession } from './session-store.js';

/** True when the session may read `accountId`'s data. */
export function canReadAccount(session: DashboardSession, accountId: string): boolean {
  return session.role === 'admin' || session.accountIds.includes(accountId);
}

/** Replies 403 naming the account when the session may not read it. */
export function requireAccountAccess(signedIn: SignedIn, accountId: string, reply: FastifyReply): boolean {
  if (canReadAccount(signedIn.session, accountId)) return true;
  replyError(
    reply,
    403,
    'forbidden_account',
    `${who(signedIn.session)} may not read account ${accountId.slice(0, 64)}; ask an admin to add it to your accounts`,
  );
  return false;
}

/** Replies 403 when the session is not an admin's: `what` names the refused action. */
export function requireAdmin(signedIn: SignedIn, what: string, reply: FastifyReply): boolean {
  if (signedIn.session.role === 'admin') return true;
  replyError(reply, 403, 'admin_only', `only an admin may ${what}; ${who(signedIn.session)} is a viewer`);
  return false;
}

const who = (session: DashboardSession): string => (session.login === null ? 'this session' : `user ${session.login}`);

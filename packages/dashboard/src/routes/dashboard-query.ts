// Parses the data API's shared query parameters (account, range, format) and checks the account exists.
import { instantSchema, replyError } from '@touchline/server';
import type { Storage } from '@touchline/storage';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { requireAccountAccess } from '../auth/access.js';
import type { SignedIn } from '../auth/request-guard.js';

const DAY = 86_400_000;
/** The longest range the dashboard answers: enough for year-on-year, bounded so one request stays cheap. */
export const MAX_RANGE_MS = 800 * DAY;

const baseSchema = z.object({
  account: z
    .string({ error: 'is required (an account id from /dashboard/api/accounts)' })
    .min(1, 'is required')
    .max(64),
  from: instantSchema.optional(),
  to: instantSchema.optional(),
  format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).default('json'),
});

export interface DashboardQuery {
  accountId: string;
  from: number;
  to: number;
  format: 'json' | 'csv';
}

/** Replies 400 naming the first bad parameter. */
export function replyInvalid(reply: FastifyReply, error: z.ZodError): FastifyReply {
  const issue = error.issues[0];
  return replyError(reply, 400, 'invalid_query', `${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}`);
}

/** The parsed query (range default: the last 30 days), or null after replying 400/403/404 (403: the signed-in viewer may not read the account). */
export async function parseDashboardQuery(
  storage: Storage,
  signedIn: SignedIn,
  query: unknown,
  reply: FastifyReply,
  now: number,
): Promise<DashboardQuery | null> {
  const parsed = baseSchema.safeParse(query);
  if (!parsed.success) {
    replyInvalid(reply, parsed.error);
    return null;
  }
  const to = parsed.data.to ?? now;
  const from = parsed.data.from ?? to - 30 * DAY;
  if (!(from < to)) {
    replyError(reply, 400, 'invalid_query', 'from: must be before to');
    return null;
  }
  if (to - from > MAX_RANGE_MS) {
    replyError(reply, 400, 'invalid_query', `from: the range may span at most ${MAX_RANGE_MS / DAY} days`);
    return null;
  }
  // Access first: a viewer learns nothing about accounts outside their own, not even whether they exist.
  if (!requireAccountAccess(signedIn, parsed.data.account, reply)) return null;
  const accounts = await storage.listAccounts();
  if (!accounts.some((a) => a.id === parsed.data.account)) {
    replyError(reply, 404, 'unknown_account', `no account with id ${parsed.data.account.slice(0, 64)}`);
    return null;
  }
  return { accountId: parsed.data.account, from, to, format: parsed.data.format };
}

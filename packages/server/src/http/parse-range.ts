// Parses the shared from/to query parameters (ISO 8601 or epoch ms; default the last 30 days).
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { replyError } from './reply-error.js';

const DAY = 86_400_000;
/** An ISO 8601 date or epoch milliseconds, as a query parameter, to epoch ms. */
export const instantSchema = z.string().transform((value, ctx) => {
  const ms = /^\d{1,15}$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 40)}" is not an ISO date or epoch milliseconds` });
    return z.NEVER;
  }
  return ms;
});
const rangeSchema = z.object({ from: instantSchema.optional(), to: instantSchema.optional() });

/** The range, or null after replying 400 with the parameter named. */
export function parseRange(query: unknown, reply: FastifyReply, now: number): { from: number; to: number } | null {
  const parsed = rangeSchema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    replyError(reply, 400, 'invalid_query', `${issue?.path.join('.') ?? 'query'}: ${issue?.message ?? 'invalid'}`);
    return null;
  }
  const to = parsed.data.to ?? now;
  const from = parsed.data.from ?? to - 30 * DAY;
  if (from > to) {
    replyError(reply, 400, 'invalid_query', 'from: must not be after to');
    return null;
  }
  return { from, to };
}

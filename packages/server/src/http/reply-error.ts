// The one error body shape: {"error":{"code","message"}} with the right status (DESIGN wire protocol).
import type { FastifyReply } from 'fastify';

export function replyError(
  reply: FastifyReply, status: number, code: string, message: string,
  extra: { retryAfterSeconds?: number; batchId?: string } = {},
): FastifyReply {
  if (extra.retryAfterSeconds !== undefined) reply.header('retry-after', String(extra.retryAfterSeconds));
  return reply.code(status).send({ error: { code, message }, ...(extra.batchId ? { batch_id: extra.batchId } : {}) });
}

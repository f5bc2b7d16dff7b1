// The one error body shape: {"error":{"code","message"}} with the right status (DESIGN wire protocol).
import type { FastifyReply } from 'fastify';

export interface ErrorBody {
  error: { code: string; message: string };
  batch_id?: string;
}

/** The body alone, for answers built before they are sent (ingest results, bodies with extra fields). */
export function errorBody(code: string, message: string, batchId?: string): ErrorBody {
  return { error: { code, message }, ...(batchId ? { batch_id: batchId } : {}) };
}

export function replyError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  extra: { retryAfterSeconds?: number; batchId?: string } = {},
): FastifyReply {
  if (extra.retryAfterSeconds !== undefined) reply.header('retry-after', String(extra.retryAfterSeconds));
  return reply.code(status).send(errorBody(code, message, extra.batchId));
}

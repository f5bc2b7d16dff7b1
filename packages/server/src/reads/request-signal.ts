// An AbortSignal that fires when the client of a request goes away before its answer is written.
import type { FastifyReply } from 'fastify';

/** Aborts when the response's connection closes before the response was sent (the client disconnected). */
export function requestSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const res = reply.raw;
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

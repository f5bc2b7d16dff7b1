// Route guard: readiness first (503, never 401 before keys are loaded), then the bearer key and its scope.
import type { ApiKeyRecord, KeyScope } from '@touchline/storage';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { replyError } from '../reply-error.js';
import { bearerSecret } from './bearer-secret.js';
import type { KeyCache } from './key-cache.js';

/** Returns the key, or null after replying with 503/401/403. */
export function authorize(
  keys: KeyCache,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: KeyScope,
): ApiKeyRecord | null {
  const secret = bearerSecret(request.headers.authorization);
  const result = keys.lookup(secret ?? '', scope);
  switch (result.kind) {
    case 'ok':
      return result.key;
    case 'not_ready':
      replyError(
        reply,
        503,
        'not_ready',
        'the collector is starting and has not loaded its API keys yet; retry shortly',
        { retryAfterSeconds: 1 },
      );
      return null;
    case 'forbidden':
      replyError(reply, 403, 'forbidden', `this key lacks the '${result.scope}' scope`);
      return null;
    case 'unknown':
      replyError(
        reply,
        401,
        secret === null ? 'missing_key' : 'unknown_key',
        secret === null ? 'send the secret key as "Authorization: Bearer <key>"' : 'unknown or revoked API key',
      );
      return null;
  }
}

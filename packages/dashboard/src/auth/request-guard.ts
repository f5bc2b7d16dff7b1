// Request guards: a signed-in session for every data request; same origin and the CSRF token for every state change.
import { timingSafeEqual, createHash } from 'node:crypto';
import { replyError } from '@touchline/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { readCookie, SESSION_COOKIE } from './cookies.js';
import type { DashboardSession, SessionStore } from './session-store.js';

export interface SignedIn {
  token: string;
  session: DashboardSession;
}

/** The request's live session, or null after replying 401. */
export async function requireSession(
  sessions: SessionStore,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<SignedIn | null> {
  const token = readCookie(request.headers.cookie, SESSION_COOKIE) ?? '';
  const session = await sessions.find(token);
  if (session !== null) return { token, session };
  replyError(reply, 401, 'signed_out', 'sign in to the dashboard first (your session is missing or has expired)');
  return null;
}

/** The host (and port) of an Origin header value, or null when it is not a URL (e.g. "null"). */
function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/**
 * A state-changing request must come from a page of this site: its Origin header must name the host
 * the request was addressed to (the scheme is not compared, so a TLS-terminating proxy in front works)
 * (browsers always send it on POST) and its body JSON (so a cross-site form cannot send it without
 * a CORS preflight we never grant). Replies 403 and returns false otherwise.
 */
export function requireSameOrigin(request: FastifyRequest, reply: FastifyReply): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || originHost(origin) !== request.host) {
    replyError(
      reply,
      403,
      'bad_origin',
      origin === undefined
        ? 'the Origin header is missing on a state-changing request'
        : `origin ${origin.slice(0, 100)} may not change state here`,
    );
    return false;
  }
  if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
    replyError(reply, 415, 'unsupported_media_type', 'send state-changing requests as application/json');
    return false;
  }
  return true;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** The x-csrf-token header must equal the session's token (constant-time); replies 403 and returns false otherwise. */
export function requireCsrf(signedIn: SignedIn, request: FastifyRequest, reply: FastifyReply): boolean {
  const sent = request.headers['x-csrf-token'];
  if (typeof sent === 'string' && timingSafeEqual(digest(sent), digest(signedIn.session.csrfToken))) return true;
  replyError(reply, 403, 'bad_csrf_token', 'the x-csrf-token header is missing or does not match this session');
  return false;
}

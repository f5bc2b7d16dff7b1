// The framework-neutral view of one incoming request that every adapter builds.
import type { HeaderGetter, RequestKind } from '@touchline/core';

export interface RequestInfo {
  method: string;
  /** Request target as received: a path with query (`/a?b=1`) or an absolute URL. */
  url: string;
  /** Header lookup by lower-case name; joins repeated headers with ', '. */
  header: HeaderGetter;
  /** Peer address of the socket, if known. */
  remoteAddress: string | undefined;
  /** True when the connection to this process is TLS. */
  encrypted: boolean;
  /**
   * Adds Set-Cookie values to this request's response. Returns false when that is no longer
   * possible (headers already sent), so callers can report it instead of losing it silently.
   */
  appendSetCookie: (cookies: readonly string[]) => boolean;
  /**
   * Set by adapters that know more than the headers tell (Next.js: RSC client navigations,
   * router prefetches). @default classifyRequest(method, header)
   */
  kind?: RequestKind;
}

/** Header getter over a Node-style headers record (`IncomingMessage.headers`). */
export function headerGetterFromRecord(headers: Record<string, string | string[] | undefined>): HeaderGetter {
  return (name) => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
}

/** Header getter over a Web-standard `Headers` object. */
export function headerGetterFromHeaders(headers: Headers): HeaderGetter {
  return (name) => headers.get(name) ?? undefined;
}

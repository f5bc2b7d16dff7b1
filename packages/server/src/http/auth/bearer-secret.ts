// The secret of an `Authorization: Bearer <key>` header, or null when the header is missing or malformed.

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Takes the raw header value (as node:http and fastify both give it), so either can ask. */
export function bearerSecret(header: string | string[] | undefined): string | null {
  return typeof header === 'string' ? (BEARER.exec(header)?.[1] ?? null) : null;
}

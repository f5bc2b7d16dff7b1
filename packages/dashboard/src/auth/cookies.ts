// Reads the dashboard's session cookie with core's Cookie parser and writes its Set-Cookie header.
import { readPrefixedCookies } from '@touchline/core';

export const SESSION_COOKIE = 'tl_dash';

/**
 * The value of cookie `name` in a Cookie header, or null. Core's parser (the SDK's), which reads
 * as the `cookie` package does (property-tested there): one Cookie grammar in the project.
 */
export function readCookie(header: string | undefined, name: string): string | null {
  return header === undefined ? null : (readPrefixedCookies(header, name).get(name) ?? null);
}

/** HttpOnly (scripts never see it), SameSite=Strict (never sent on cross-site requests), Secure over https. */
export function sessionCookie(token: string, options: { maxAgeSeconds: number; secure: boolean }): string {
  const parts = [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

// The cookieless visitor id: a keyed hash of (truncated IP, user agent, site) under the account's secret of the day.
import { createHmac } from 'node:crypto';

/**
 * HMAC-SHA256 under the day's secret (cookieless-secrets.ts in storage), shaped as a UUIDv8 so it
 * fits every visitor id column and the wire's id rule. Keyed, so nobody without the secret can test
 * a guessed IP and user agent against a stored id; the secret is deleted after its day, so an id can
 * neither be recomputed later nor linked to the same browser's id of another day. The inputs are
 * separated by NUL, which no header or URL host can hold.
 */
export function cookielessVisitorId(secretHex: string, ip: string, userAgent: string, site: string): string {
  const digest = createHmac('sha256', Buffer.from(secretHex, 'hex'))
    .update(`${ip}\u0000${userAgent}\u0000${site}`)
    .digest();
  digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x80; // version 8
  digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80; // variant 10
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The site part of the hash: the page's host, lower-case ('' when the item has no parseable URL). */
export function siteOf(url: string | null): string {
  if (url === null) return '';
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

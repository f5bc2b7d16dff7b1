// Secret key format, hashing and generation: secrets are shown once and stored only as SHA-256.
import * as crypto from 'node:crypto';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KeyMode } from '@touchline/storage';

const KEY_PATTERN = /^tl_(live|test)_[A-Za-z0-9_-]{32,64}$/;

/** One-shot `crypto.hash` (Node >= 20.12) avoids a native Hash object per request; older Nodes fall back. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

export function hashKey(secret: string): string {
  return oneShot ? oneShot('sha256', secret, 'hex') : createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** `tl_live_…` / `tl_test_…` plus 32 random bytes, base64url. The mode is visible in the key itself. */
export function generateKey(mode: KeyMode): { secret: string; hash: string; prefix: string } {
  const secret = `tl_${mode}_${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashKey(secret), prefix: secret.slice(0, 12) };
}

export function looksLikeKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/** Constant-time equality of two hex digests of equal length. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

// Secret key format, hashing and generation: secrets are shown once and stored only as SHA-256.
import * as crypto from 'node:crypto';
import { createHash, randomBytes } from 'node:crypto';
import type { KeyMode } from '@touchline/storage';

const KEY_PATTERN = /^tl_(live|test)_[A-Za-z0-9_-]{32,64}$/;

/** One-shot `crypto.hash` (Node >= 20.12) avoids a native Hash object per request; older Nodes fall back. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer }).hash;

/** The SHA-256 digest of a secret, as bytes (the key cache compares these in constant time). */
export function hashKeyBytes(secret: string): Buffer {
  return oneShot ? oneShot('sha256', secret, 'buffer') : createHash('sha256').update(secret, 'utf8').digest();
}

export function hashKey(secret: string): string {
  return hashKeyBytes(secret).toString('hex');
}

/** `tl_live_…` / `tl_test_…` plus 32 random bytes, base64url. The mode is visible in the key itself. */
export function generateKey(mode: KeyMode): { secret: string; hash: string; prefix: string } {
  const secret = `tl_${mode}_${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashKey(secret), prefix: secret.slice(0, 12) };
}

export function looksLikeKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

// Normalizes and SHA-256 hashes the email and phone a conversion upload may carry, exactly as each platform documents.
import { createHash } from 'node:crypto';
import type { UploadPlatform } from '@touchline/storage';

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Both platforms: trim and lowercase. Google additionally removes the dots before the @ of
 * gmail.com and googlemail.com addresses ("Enhanced conversions: normalize and hash").
 * Null for anything that is not an address.
 */
export function normalizeEmail(raw: string, platform: UploadPlatform): string | null {
  const email = raw.trim().toLowerCase();
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1 || /\s/.test(email)) return null;
  const [local, domain] = [email.slice(0, at), email.slice(at + 1)];
  if (platform === 'google_ads' && (domain === 'gmail.com' || domain === 'googlemail.com'))
    return `${local.replaceAll('.', '')}@${domain}`;
  return email;
}

/**
 * A phone number with its country code (written +49..., or 0049...); spaces, dashes, dots and
 * brackets dropped. Google wants E.164 ("+14155552671"), Meta digits only with the country code
 * ("14155552671"). A number without a country code cannot be normalized without guessing the
 * country, so it is not sent (null).
 */
export function normalizePhone(raw: string, platform: UploadPlatform): string | null {
  const compact = raw.trim().replace(/[\s\-.()/]/g, '');
  const international = compact.startsWith('+') ? compact.slice(1) : compact.startsWith('00') ? compact.slice(2) : null;
  if (international === null || !/^[1-9]\d{6,14}$/.test(international)) return null;
  return platform === 'google_ads' ? `+${international}` : international;
}

export interface HashedUserData {
  email: string | null;
  phone: string | null;
}

const stringOf = (source: Record<string, unknown>, keys: readonly string[]): string | null => {
  for (const key of keys) {
    const v = source[key];
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  return null;
};

/**
 * The email and phone the app gave: the conversion's properties first, then identify traits
 * (latest first); each normalized for the platform and hashed. Nothing unhashed leaves here.
 */
export function hashedUserData(
  sources: ReadonlyArray<Record<string, unknown>>,
  platform: UploadPlatform,
): HashedUserData {
  let email: string | null = null;
  let phone: string | null = null;
  for (const source of sources) {
    const e = stringOf(source, ['email']);
    if (email === null && e !== null) email = normalizeEmail(e, platform);
    const p = stringOf(source, ['phone', 'phone_number']);
    if (phone === null && p !== null) phone = normalizePhone(p, platform);
  }
  return { email: email === null ? null : sha256Hex(email), phone: phone === null ? null : sha256Hex(phone) };
}

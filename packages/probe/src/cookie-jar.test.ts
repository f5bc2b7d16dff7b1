// The virtual browser's jar: last Set-Cookie wins per name, Max-Age beats Expires, expired cookies go.
import { describe, expect, it } from 'vitest';
import { createCookieJar, isDeletion, parseSetCookie } from './cookie-jar.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const parse = (header: string) => {
  const cookie = parseSetCookie(header, NOW);
  if (cookie === null) throw new Error(`unparsable ${header}`);
  return cookie;
};

describe('parseSetCookie', () => {
  it('reads name, value and lifetime', () => {
    expect(parseSetCookie('sid=abc; Path=/; HttpOnly', NOW)).toEqual({ name: 'sid', value: 'abc', expiresAt: null });
    expect(parseSetCookie('sid="q=1"; Max-Age=60', NOW)).toEqual({
      name: 'sid',
      value: 'q=1',
      expiresAt: NOW + 60_000,
    });
    expect(parseSetCookie('a=1; Expires=Thu, 01 Jan 2026 00:01:00 GMT', NOW)?.expiresAt).toBe(NOW + 60_000);
    expect(parseSetCookie('a=1; Expires=Thu, 01 Jan 2026 00:01:00 GMT; Max-Age=1', NOW)?.expiresAt).toBe(NOW + 1000);
  });

  it('ignores headers without a name', () => {
    expect(parseSetCookie('=abc', NOW)).toBeNull();
    expect(parseSetCookie('garbage', NOW)).toBeNull();
  });

  it('knows a deletion', () => {
    expect(isDeletion(parse('a=; Max-Age=0'), NOW)).toBe(true);
    expect(isDeletion(parse('a=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT'), NOW)).toBe(true);
    expect(isDeletion(parse('a=1'), NOW)).toBe(false);
  });
});

describe('createCookieJar', () => {
  it('keeps the last value per name and sends them all', () => {
    const jar = createCookieJar();
    expect(jar.header(NOW)).toBeUndefined();
    jar.apply([parse('a=1'), parse('b=2'), parse('a=3')], NOW);
    expect(jar.header(NOW)).toBe('a=3; b=2');
  });

  it('drops deleted and expired cookies', () => {
    const jar = createCookieJar();
    jar.apply([parse('a=1; Max-Age=10'), parse('b=2')], NOW);
    jar.apply([parse('b=; Max-Age=0')], NOW);
    expect(jar.header(NOW)).toBe('a=1');
    expect(jar.get('a', NOW + 10_000)).toBeUndefined();
    expect(jar.header(NOW + 10_000)).toBeUndefined();
  });
});

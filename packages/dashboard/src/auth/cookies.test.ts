// Cookie reading and the session cookie's attributes.
import { describe, expect, it } from 'vitest';
import { readCookie, sessionCookie } from './cookies.js';

describe('cookies', () => {
  it('reads one cookie out of a header, exactly by name', () => {
    expect(readCookie('a=1; tl_dash=tok-en; x_tl_dash=no', 'tl_dash')).toBe('tok-en');
    expect(readCookie('xtl_dash=1', 'tl_dash')).toBeNull();
    expect(readCookie(undefined, 'tl_dash')).toBeNull();
    // A longer name with the same start is another cookie; the first of a repeated name wins, as cookie.parse reads.
    expect(readCookie('tl_dash_old=stale; tl_dash=tok; tl_dash=later', 'tl_dash')).toBe('tok');
  });

  it('writes HttpOnly, SameSite=Strict, Max-Age, and Secure only when asked', () => {
    expect(sessionCookie('t', { maxAgeSeconds: 60, secure: false })).toBe(
      'tl_dash=t; Path=/; HttpOnly; SameSite=Strict; Max-Age=60',
    );
    expect(sessionCookie('', { maxAgeSeconds: 0, secure: true })).toBe(
      'tl_dash=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure',
    );
  });
});

// Tests the page URL: one parse where it is safe, always the same URL as resolving against the origin.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pageUrl } from './page-url.js';
import type { RequestInfo } from './request-info.js';

function info(url: string, headers: Record<string, string>, encrypted = false): RequestInfo {
  return {
    method: 'GET',
    url,
    header: (name) => headers[name],
    remoteAddress: undefined,
    encrypted,
    appendSetCookie: () => true,
  };
}

/** The reference: resolve the target against the origin, as the WHATWG URL parser does. */
function reference(url: string, proto: string, host: string): string | null {
  try {
    return new URL(url, `${proto}://${host}`).href;
  } catch {
    return null;
  }
}

const part = fc.constantFrom(
  '/',
  '//',
  '\\',
  '/\\',
  'a',
  'é',
  '%2F',
  '..',
  '.',
  '?',
  '#',
  '@',
  ':',
  ' ',
  '\t',
  '\n',
  'x.y',
  '=',
  '&',
  '[',
  ']',
  '80',
);
const target = fc.array(part, { maxLength: 8 }).map((parts) => parts.join(''));
const host = fc.oneof(
  fc.constantFrom(
    'localhost',
    'localhost:3000',
    'a.example',
    'A.Example:80',
    '127.0.0.1:8080',
    '[::1]:3000',
    '[::1]',
    'xn--bcher-kva.example',
  ),
  fc.array(part, { minLength: 1, maxLength: 5 }).map((parts) => `h${parts.join('')}`),
);

describe('pageUrl', () => {
  it('is the target resolved against the request origin, for any target and Host header', () => {
    fc.assert(
      fc.property(target, host, fc.boolean(), (url, h, encrypted) => {
        expect(pageUrl(info(url, { host: h }, encrypted), false)?.href ?? null).toBe(
          reference(url, encrypted ? 'https' : 'http', h),
        );
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps another host named by the target out of a plain path: //evil and /\\evil resolve as the parser says', () => {
    expect(pageUrl(info('//evil.example/x', { host: 'a.example' }), false)?.href).toBe('http://evil.example/x');
    expect(pageUrl(info('/\\evil.example/x', { host: 'a.example' }), false)?.href).toBe('http://evil.example/x');
    expect(pageUrl(info('/p?utm_source=x', { host: 'a.example:8080' }), false)?.href).toBe(
      'http://a.example:8080/p?utm_source=x',
    );
  });

  it('takes absolute targets as they are, X-Forwarded-* only when trusted, and gives null without a host', () => {
    expect(pageUrl(info('https://b.example/p', { host: 'a.example' }), false)?.href).toBe('https://b.example/p');
    const forwarded = { host: 'internal:8080', 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'shop.example' };
    expect(pageUrl(info('/p', forwarded), true)?.href).toBe('https://shop.example/p');
    expect(pageUrl(info('/p', forwarded), false)?.href).toBe('http://internal:8080/p');
    expect(pageUrl(info('/p', {}), false)).toBeNull();
    expect(pageUrl(info('/p', { host: 'a b' }), false)).toBeNull();
  });
});

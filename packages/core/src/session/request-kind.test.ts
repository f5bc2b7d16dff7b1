// Table tests for navigation detection from fetch metadata, purpose headers and the fallback.
import { describe, expect, it } from 'vitest';
import { classifyRequest, type RequestKind } from './request-kind.js';

const get = (headers: Record<string, string>) => (name: string) => headers[name];

describe('classifyRequest', () => {
  it.each<[string, string, Record<string, string>, RequestKind]>([
    [
      'Chrome top-level navigation',
      'GET',
      { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', accept: 'text/html' },
      'navigation',
    ],
    ['form POST navigation', 'POST', { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' }, 'navigation'],
    [
      'iframe document is not a top-level navigation',
      'GET',
      { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'iframe' },
      'asset',
    ],
    ['fetch() call', 'GET', { 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' }, 'api'],
    ['image', 'GET', { 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image', accept: 'image/avif' }, 'asset'],
    ['script', 'GET', { 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script' }, 'asset'],
    [
      'Chrome prefetch (Sec-Purpose)',
      'GET',
      { 'sec-purpose': 'prefetch', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
      'prefetch',
    ],
    [
      'Chrome prerender',
      'GET',
      { 'sec-purpose': 'prefetch;prerender', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' },
      'prefetch',
    ],
    ['legacy Purpose: prefetch', 'GET', { purpose: 'prefetch', accept: 'text/html' }, 'prefetch'],
    ['Firefox X-Moz: prefetch', 'GET', { 'x-moz': 'prefetch', accept: 'text/html' }, 'prefetch'],
    ['Safari link preview', 'GET', { 'x-purpose': 'preview', accept: 'text/html' }, 'prefetch'],
    ['fallback: old browser page load', 'GET', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }, 'navigation'],
    ['fallback: jQuery XHR', 'GET', { 'x-requested-with': 'XMLHttpRequest', accept: 'text/html' }, 'api'],
    ['fallback: JSON client', 'GET', { accept: 'application/json' }, 'api'],
    ['fallback: JSON-API vendor type', 'GET', { accept: 'application/vnd.api+json' }, 'api'],
    ['fallback: curl with no Accept', 'GET', {}, 'asset'],
    ['fallback: curl */*', 'GET', { accept: '*/*' }, 'asset'],
    ['fallback: DELETE with html accept is not a navigation', 'DELETE', { accept: 'text/html' }, 'asset'],
    ['fallback: HEAD page load', 'HEAD', { accept: 'text/html' }, 'navigation'],
    ['fallback: form POST page load', 'post', { accept: 'text/html' }, 'navigation'],
    ['fallback: JSON only counts when listed first', 'GET', { accept: 'text/html, application/json' }, 'navigation'],
    ['fallback: JSON after leading spaces', 'GET', { accept: '  application/json' }, 'api'],
    [
      'a purpose header naming something else is no prefetch',
      'GET',
      { 'x-moz': 'microsummary', accept: 'text/html' },
      'navigation',
    ],
    ['Sec-Fetch-Mode: navigate without a destination', 'GET', { 'sec-fetch-mode': 'navigate' }, 'navigation'],
    ['Sec-Fetch-Mode other than navigate without a destination', 'GET', { 'sec-fetch-mode': 'cors' }, 'api'],
    ['Sec-Fetch-Dest: empty without a mode', 'GET', { 'sec-fetch-dest': 'empty' }, 'api'],
    [
      'Sec-Fetch-Dest: empty is an API call whatever the mode',
      'GET',
      { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'empty' },
      'api',
    ],
    [
      'a document fetched without navigate mode mints nothing',
      'GET',
      { 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'document', accept: 'text/html' },
      'api',
    ],
    [
      'unknown destination when navigating',
      'GET',
      { 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'fencedframe' },
      'asset',
    ],
  ])('%s -> %s', (_label, method, headers, expected) => {
    expect(classifyRequest(method, get(headers))).toBe(expected);
  });

  // Outside navigate mode an unlisted destination is an API call, so each listed one must be seen as an asset.
  it.each([
    'audio',
    'audioworklet',
    'font',
    'image',
    'manifest',
    'paintworklet',
    'report',
    'script',
    'serviceworker',
    'sharedworker',
    'style',
    'track',
    'video',
    'worker',
    'xslt',
    'embed',
    'object',
    'iframe',
    'frame',
  ])('Sec-Fetch-Dest: %s -> asset', (dest) => {
    expect(classifyRequest('GET', get({ 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': dest }))).toBe('asset');
  });
});

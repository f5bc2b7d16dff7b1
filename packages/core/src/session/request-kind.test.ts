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
  ])('%s -> %s', (_label, method, headers, expected) => {
    expect(classifyRequest(method, get(headers))).toBe(expected);
  });
});

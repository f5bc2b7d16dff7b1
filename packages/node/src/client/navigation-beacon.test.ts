// The navigation beacon script stays within its size budget, and only its exact path is taken for it.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isNavigationBeaconRequest, navigationBeaconScript } from './navigation-beacon.js';

describe('navigationBeaconScript', () => {
  it('is at most 1 KB gzipped (issue 18 target), and parses as JavaScript', () => {
    const source = navigationBeaconScript('/_touchline/view');
    const gzipped = gzipSync(Buffer.from(source), { level: 9 }).length;
    expect(gzipped).toBeLessThanOrEqual(1024);
    expect(() => new Function(source)).not.toThrow();
  });

  it('carries the configured path as a JSON string, so no path can break out of it', () => {
    expect(navigationBeaconScript('/t/v')).toContain('var p="/t/v"');
    expect(navigationBeaconScript("/a'b")).toContain('var p="/a\'b"');
  });
});

describe('isNavigationBeaconRequest', () => {
  const path = '/_touchline/beacon.js';
  it.each([
    ['GET', '/_touchline/beacon.js', true],
    ['HEAD', '/_touchline/beacon.js', true],
    ['GET', '/_touchline/beacon.js?v=2', true],
    ['GET', 'https://shop.example/_touchline/beacon.js', true],
    ['POST', '/_touchline/beacon.js', false],
    ['GET', '/_touchline/beacon.json', false],
    ['GET', '/x/_touchline/beacon.js', false],
    ['GET', '/page?next=/_touchline/beacon.js', false],
    ['GET', '/', false],
  ])('%s %s -> %s', (method, url, expected) => {
    expect(isNavigationBeaconRequest(method, url, path)).toBe(expected);
  });
});

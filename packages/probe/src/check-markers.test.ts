// Check 1 in isolation: own marker fine, another browser's marker is a crossed response or foreign cookie.
import { describe, expect, it } from 'vitest';
import { checkMarkers } from './check-markers.js';
import { createMarkerSet } from './identity-marker.js';

const markers = createMarkerSet('abcd');
const request = { method: 'GET', path: '/', seq: 7 };

describe('checkMarkers', () => {
  it('accepts the own marker and unrelated text', () => {
    expect(
      checkMarkers({
        markers,
        ownIndex: 1,
        request,
        headers: { 'x-user': 'probe-abcd-1' },
        body: 'hi probe-abcd-1 probe-ffff-2',
      }),
    ).toEqual([]);
  });

  it('does not confuse marker 1 with marker 12', () => {
    const found = checkMarkers({ markers, ownIndex: 1, request, headers: {}, body: '{"user":"probe-abcd-12"}' });
    expect(found).toEqual([
      {
        kind: 'crossed-response',
        user: 'probe-abcd-1',
        request,
        expected: 'only marker probe-abcd-1 (or none) in body',
        received: 'probe-abcd-12 in body',
      },
    ]);
  });

  it('reports body, header and Set-Cookie leaks separately, once per marker', () => {
    const found = checkMarkers({
      markers,
      ownIndex: 0,
      request,
      body: 'probe-abcd-3 probe-abcd-3',
      headers: { 'x-user': 'probe-abcd-3', 'set-cookie': ['uid=probe-abcd-4; Path=/'] },
    });
    expect(found.map((v) => `${v.kind}: ${v.received}`)).toEqual([
      'crossed-response: probe-abcd-3 in body',
      'crossed-response: probe-abcd-3 in header x-user',
      'foreign-cookie: probe-abcd-4 in Set-Cookie',
    ]);
  });
});

// Check 1: a response may carry its own browser's marker, never another browser's.
import type { IncomingHttpHeaders } from 'node:http';
import type { MarkerSet } from './identity-marker.js';
import { violation, type RequestRef, type Violation } from './violation.js';

export interface MarkerCheckInput {
  markers: MarkerSet;
  ownIndex: number;
  request: RequestRef;
  headers: IncomingHttpHeaders;
  body: string;
}

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * Markers in the body or in ordinary headers mean the response was built from another request's
 * state (crossed-response); markers in Set-Cookie mean the browser is being handed someone else's
 * cookie (foreign-cookie). One violation per foreign marker and place, so a crossed page counts once.
 */
export function checkMarkers(input: MarkerCheckInput): Violation[] {
  const { markers, ownIndex, request } = input;
  const own = markers.markerOf(ownIndex);
  const found: Violation[] = [];
  const report = (kind: 'crossed-response' | 'foreign-cookie', where: string, text: string): void => {
    const foreign = new Set(
      markers
        .find(text)
        .filter((m) => m.index !== ownIndex)
        .map((m) => m.marker),
    );
    for (const marker of foreign) {
      found.push(violation(kind, own, request, `only marker ${own} (or none) in ${where}`, `${marker} in ${where}`));
    }
  };
  report('crossed-response', 'body', input.body);
  for (const [name, value] of Object.entries(input.headers)) {
    if (name === 'set-cookie') continue;
    report('crossed-response', `header ${name}`, asList(value).join(', '));
  }
  for (const cookie of asList(input.headers['set-cookie'])) report('foreign-cookie', 'Set-Cookie', cookie);
  return found;
}

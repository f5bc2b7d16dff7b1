// Check 4: a response looks like the endpoint asked for, judged against that endpoint's first 2xx answer.
import type { IncomingHttpHeaders } from 'node:http';
import { violation, type RequestRef, type Violation } from './violation.js';

interface Shape {
  mediaType: string;
  /** Sorted top-level keys when the body is a JSON object, else null. */
  jsonKeys: string[] | null;
}

const firstHeader = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

function shapeOf(headers: IncomingHttpHeaders, body: string): Shape {
  const mediaType = (firstHeader(headers['content-type']) ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  let jsonKeys: string[] | null = null;
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
        jsonKeys = Object.keys(parsed).sort();
    } catch {
      jsonKeys = null;
    }
  }
  return { mediaType, jsonKeys };
}

const describe = (s: Shape): string =>
  s.jsonKeys === null
    ? `content-type ${s.mediaType || '(none)'}`
    : `${s.mediaType} with keys {${s.jsonKeys.join(', ')}}`;

export interface ShapeLedger {
  observe(
    user: string,
    request: RequestRef,
    pathname: string,
    status: number,
    headers: IncomingHttpHeaders,
    body: string,
  ): Violation[];
}

/**
 * Deliberately simple, so it has no false positives on ordinary apps:
 * - an `x-probe-path` response header, when present, must equal the requested pathname;
 * - per `METHOD pathname`, every 2xx response must have the media type of the first 2xx one, and
 *   if that was a JSON object, the same top-level keys. Non-2xx responses are not compared.
 */
export function createShapeLedger(): ShapeLedger {
  const baselines = new Map<string, Shape>();
  return {
    observe(user, request, pathname, status, headers, body) {
      const found: Violation[] = [];
      const echo = firstHeader(headers['x-probe-path']);
      if (echo !== undefined && echo.split('?')[0] !== pathname) {
        found.push(violation('shape-mismatch', user, request, `x-probe-path ${pathname}`, `x-probe-path ${echo}`));
      }
      if (status < 200 || status > 299) return found;
      const endpoint = `${request.method} ${pathname}`;
      const shape = shapeOf(headers, body);
      const baseline = baselines.get(endpoint);
      if (baseline === undefined) {
        baselines.set(endpoint, shape);
        return found;
      }
      if (describe(baseline) !== describe(shape)) {
        found.push(
          violation(
            'shape-mismatch',
            user,
            request,
            `${describe(baseline)} (first answer of ${endpoint})`,
            describe(shape),
          ),
        );
      }
      return found;
    },
  };
}

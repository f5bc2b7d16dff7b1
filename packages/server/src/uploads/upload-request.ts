// The HTTP request that delivers a batch of stored payloads to a destination, and how its answer maps to each payload (pure).
import type { UploadDestination } from '@touchline/storage';

export interface UploadRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Google Ads: UploadClickConversionsRequest over REST, `{conversions, partialFailure: true}` (the
 * API requires partial failure on), OAuth bearer token and developer-token header.
 * Meta: the Conversions API's `{data: [events], access_token}` (the token in the body, not the URL,
 * which proxies and logs keep).
 */
export function uploadRequest(d: UploadDestination, payloads: readonly string[]): UploadRequest {
  const items = `[${payloads.join(',')}]`;
  if (d.platform === 'google_ads') {
    return {
      url: d.endpointUrl,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${d.token}`,
        'developer-token': d.developerToken ?? '',
        'user-agent': 'touchline-conversion-uploads',
      },
      body: `{"conversions":${items},"partialFailure":true}`,
    };
  }
  return {
    url: d.endpointUrl,
    headers: { 'content-type': 'application/json', 'user-agent': 'touchline-conversion-uploads' },
    body: `{"data":${items},"access_token":${JSON.stringify(d.token)}}`,
  };
}

/**
 * Google answers 200 even when some conversions failed, naming them in `partialFailureError`:
 * its details' errors carry `location.fieldPathElements` [{fieldName: "conversions", index}].
 * Returns index -> message for those; an error without an index fails them all (index -1).
 */
export function googlePartialFailures(body: unknown): Map<number, string> {
  const failures = new Map<number, string>();
  const error = (body as { partialFailureError?: { message?: unknown; details?: unknown } } | null)
    ?.partialFailureError;
  if (error === undefined || error === null) return failures;
  const details = Array.isArray(error.details) ? (error.details as Array<{ errors?: unknown }>) : [];
  for (const detail of details) {
    for (const e of Array.isArray(detail.errors) ? (detail.errors as Array<Record<string, unknown>>) : []) {
      const path =
        (e.location as { fieldPathElements?: Array<{ fieldName?: string; index?: number }> } | undefined)
          ?.fieldPathElements ?? [];
      const index = path.find((p) => p.fieldName === 'conversions' && typeof p.index === 'number')?.index;
      failures.set(index ?? -1, typeof e.message === 'string' ? e.message : JSON.stringify(e.errorCode ?? e));
    }
  }
  if (failures.size === 0) failures.set(-1, typeof error.message === 'string' ? error.message : 'partial failure');
  return failures;
}

/** A platform's error text, shortened for the log: Meta's error.message, Google's error.message, else the body's start. */
export function errorText(status: number | null, body: string): string {
  if (status === null) return body;
  let message = body.slice(0, 300);
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') message = parsed.error.message;
  } catch {
    /* not JSON: keep the text */
  }
  return `HTTP ${status}: ${message}`.slice(0, 500);
}

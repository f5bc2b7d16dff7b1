// The pure parts of conversion uploads, table-tested: retry decisions, user data normalization (the platforms' own examples), exact money text, Google partial failures.
import { describe, expect, it } from 'vitest';
import { decimalOfMicros, googleDateTime, lastClick, metaEventName, revenueText } from './build-upload-payload.js';
import { googlePartialFailures } from './upload-request.js';
import { decideUploadRetry, delivered, giveUp, retry, retryAfterMs } from './upload-retry.js';
import { hashedUserData, normalizeEmail, normalizePhone } from './user-data.js';

const policy = { maxAttempts: 4, backoffMs: 1000, maxBackoffMs: 5000 };

describe('decideUploadRetry', () => {
  it.each([
    [{ status: 200, attempt: 1 }, delivered()],
    [{ status: 204, attempt: 4 }, delivered()],
    [{ status: 400, attempt: 1 }, giveUp('HTTP 400, not retried')],
    [{ status: 404, attempt: 1 }, giveUp('HTTP 404, not retried')],
    [{ status: 401, attempt: 1 }, retry(1000)], // an expired token: the operator replaces it, the payload was fine
    [{ status: 403, attempt: 2 }, retry(2000)],
    [{ status: 500, attempt: 1 }, retry(1000)],
    [{ status: 503, attempt: 2 }, retry(2000)],
    [{ status: 408, attempt: 3 }, retry(4000)],
    [{ status: null, attempt: 3 }, retry(4000)],
    [{ status: 429, attempt: 4 }, giveUp('HTTP 429 after 4 attempt(s)')],
    [{ status: null, attempt: 4 }, giveUp('no response (network error or timeout) after 4 attempt(s)')],
    // Retry-After is a floor; the cap still holds.
    [{ status: 429, attempt: 1, retryAfter: '3', now: 0 }, retry(3000)],
    [{ status: 429, attempt: 1, retryAfter: '3600', now: 0 }, retry(5000)],
    [{ status: 503, attempt: 3, retryAfter: '1', now: 0 }, retry(4000)],
  ])('%j -> %j', (attempt, decision) => {
    expect(decideUploadRetry(attempt, policy)).toEqual(decision);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('7', 0)).toBe(7000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs('soon', 0)).toBeNull();
    expect(retryAfterMs(null, 0)).toBeNull();
  });
});

describe('user data, normalized and hashed as each platform documents', () => {
  it.each([
    ['  John_Smith@gmail.com ', 'meta', 'john_smith@gmail.com'],
    ['John.Smith@Gmail.com', 'google_ads', 'johnsmith@gmail.com'],
    ['john.smith@googlemail.com', 'google_ads', 'johnsmith@googlemail.com'],
    ['john.smith@example.com', 'google_ads', 'john.smith@example.com'],
    ['John.Smith@gmail.com', 'meta', 'john.smith@gmail.com'],
    ['not an address', 'meta', null],
    ['@example.com', 'google_ads', null],
  ] as const)('email %j for %s -> %j', (raw, platform, normalized) => {
    expect(normalizeEmail(raw, platform)).toBe(normalized);
  });

  it.each([
    ['+1 (650) 555-1212', 'meta', '16505551212'],
    ['+1 (650) 555-1212', 'google_ads', '+16505551212'],
    ['0049 30 1234567', 'google_ads', '+49301234567'],
    ['(650)555-1212', 'meta', null], // no country code: not guessed
    ['+0 123', 'meta', null],
  ] as const)('phone %j for %s -> %j', (raw, platform, normalized) => {
    expect(normalizePhone(raw, platform)).toBe(normalized);
  });

  it('hashes with SHA-256 (Meta documentation examples) and prefers the conversion over identify traits', () => {
    expect(
      hashedUserData(
        [{ email: 'John_Smith@gmail.com' }, { phone: '+1 650 555 1212', email: 'other@example.com' }],
        'meta',
      ),
    ).toEqual({
      email: '62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f',
      phone: 'e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176',
    });
    expect(hashedUserData([{ email: 42 }, {}], 'google_ads')).toEqual({ email: null, phone: null });
  });
});

describe('payload pieces', () => {
  it('writes money as exact decimal text from micro-units', () => {
    expect(decimalOfMicros(19_990_000)).toBe('19.99');
    expect(decimalOfMicros(-500_000)).toBe('-0.5');
    expect(decimalOfMicros(1_000_000_000_000_000)).toBe('1000000000');
    expect(revenueText(0.1 + 0.2)).toBe('0.3'); // 0.30000000000000004 read to the micro-unit
    expect(revenueText(2948248.75)).toBe('2948248.75');
    expect(revenueText(null)).toBeNull();
  });

  it("formats Google's conversion_date_time in UTC and names Meta's standard events", () => {
    expect(googleDateTime(Date.UTC(2026, 11, 1, 13, 45, 7, 999))).toBe('2026-12-01 13:45:07+00:00');
    expect(metaEventName('purchase')).toBe('Purchase');
    expect(metaEventName('sign_up')).toBe('CompleteRegistration');
    expect(metaEventName('quote_requested')).toBe('quote_requested');
  });

  it('takes the latest click at or before the conversion', () => {
    const s = (id: string, startedAt: number, clickIds: Record<string, string>) => ({
      id,
      visitorId: 'v',
      startedAt,
      landingUrl: null,
      clickIds,
    });
    const journey = {
      sessions: [
        s('a', 10, { gclid: 'old' }),
        s('b', 20, { gclid: 'new' }),
        s('c', 40, { gclid: 'after' }),
        s('d', 30, { fbclid: 'f' }),
      ],
      traits: [],
    };
    expect(lastClick(journey, 'gclid', 35)?.clickIds.gclid).toBe('new');
    expect(lastClick(journey, 'fbclid', 35)?.id).toBe('d');
    expect(lastClick(journey, 'gclid', 5)).toBeNull();
  });

  it("reads the conversions Google's partial failure names, and fails all when it names none", () => {
    const failure = (errors: unknown[]) => ({
      partialFailureError: { code: 3, message: 'some failed', details: [{ errors }] },
    });
    expect(googlePartialFailures({ results: [{}] })).toEqual(new Map());
    expect(
      googlePartialFailures(
        failure([{ message: 'too old', location: { fieldPathElements: [{ fieldName: 'conversions', index: 2 }] } }]),
      ),
    ).toEqual(new Map([[2, 'too old']]));
    expect(googlePartialFailures(failure([]))).toEqual(new Map([[-1, 'some failed']]));
  });
});

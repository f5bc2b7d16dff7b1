// Property test of the session protocol over random interleavings of sends, arrivals and idle gaps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SESSION_CONVENTIONS } from './session-convention.js';
import { parseSessionSettings } from './session-settings.js';
import { play, type Action, type RequestSpec } from './test-support/browser-sim.js';
import { allViolations } from './test-support/session-properties.js';
import { naiveSingleCookieProtocol, touchlineProtocol } from './test-support/protocols.js';

const TIMEOUT_MIN = 30;
const TIMEOUT_MS = TIMEOUT_MIN * 60_000;
/** DESIGN/issue: at least 10,000 generated runs in CI. */
const RUNS = Number(process.env.TOUCHLINE_PROTOCOL_RUNS ?? 10_000);

const spec: fc.Arbitrary<RequestSpec> = fc
  .record({
    kind: fc.constantFrom('navigation', 'navigation', 'navigation', 'api', 'api', 'asset', 'prefetch'),
    query: fc.constantFrom('', '', '', '', '', '?utm_source=news&utm_campaign=a', '?gclid=abc', '?fbclid=zz'),
    // Own pages (internal clicks), none (typed, bookmarks) and other sites, for the referrer convention.
    referrer: fc.constantFrom(
      undefined,
      undefined,
      'https://shop.example/a',
      'https://www.shop.example/b',
      'https://www.google.com/',
      'https://news.example/post',
    ),
    logout: fc.integer({ min: 0, max: 9 }).map((n) => n < 1),
    bot: fc.integer({ min: 0, max: 30 }).map((n) => n === 0),
  })
  .map(({ referrer, ...s }) => ({
    ...s,
    ...(referrer === undefined ? {} : { referrer }),
    ...(s.logout ? { kind: 'navigation' as const } : {}),
  }));

/** Gaps concentrate around the timeout, where the races that matter happen. */
const gap = fc.oneof(
  fc.integer({ min: 0, max: 2_000 }),
  fc.integer({ min: 1_000, max: 10 * 60_000 }),
  fc.integer({ min: TIMEOUT_MS - 3_000, max: TIMEOUT_MS + 3_000 }),
  fc.integer({ min: TIMEOUT_MS, max: 4 * TIMEOUT_MS }),
);

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 5, arbitrary: spec.map((s) => ({ t: 'send' as const, spec: s })) },
  { weight: 4, arbitrary: fc.nat().map((pick) => ({ t: 'deliver' as const, pick })) },
  { weight: 2, arbitrary: gap.map((ms) => ({ t: 'wait' as const, ms })) },
);

const actions = fc.array(action, { minLength: 1, maxLength: 60 });

describe('session protocol properties (DESIGN.md "Session protocol: required properties")', () => {
  const settings = parseSessionSettings({ timeoutMinutes: TIMEOUT_MIN });

  it.each(SESSION_CONVENTIONS)(
    `Touchline's protocol under %s satisfies no-flapping, agreement, continuity, expiry, navigation-only identity and new-source starts over ${RUNS} interleavings`,
    (convention) => {
      const protocol = touchlineProtocol(parseSessionSettings({ timeoutMinutes: TIMEOUT_MIN, convention }));
      fc.assert(
        fc.property(actions, (acts) => {
          const violations = allViolations(play(protocol, acts, TIMEOUT_MS, 'tl_vid'), convention);
          expect(violations).toEqual([]);
        }),
        { numRuns: RUNS },
      );
    },
  );

  it('a naive single random session cookie fails the same properties', () => {
    const result = fc.check(
      fc.property(
        actions,
        (acts) => allViolations(play(naiveSingleCookieProtocol(TIMEOUT_MS), acts, TIMEOUT_MS, 'vid')).length === 0,
      ),
      { numRuns: 2_000 },
    );
    expect(result.failed).toBe(true);
  });

  it('the naive design fails on the classic race: two concurrent navigations after expiry', () => {
    const nav: RequestSpec = { kind: 'navigation', query: '', logout: false, bot: false };
    const acts: Action[] = [
      { t: 'send', spec: nav },
      { t: 'deliver', pick: 0 },
      { t: 'wait', ms: TIMEOUT_MS + 1 },
      { t: 'send', spec: nav },
      { t: 'send', spec: nav },
      { t: 'deliver', pick: 1 },
      { t: 'deliver', pick: 0 },
      { t: 'send', spec: nav },
    ];
    const naive = allViolations(play(naiveSingleCookieProtocol(TIMEOUT_MS), acts, TIMEOUT_MS, 'vid'));
    expect(naive.some((v) => v.startsWith('P2'))).toBe(true);
    expect(naive.some((v) => v.startsWith('P1'))).toBe(true);
    expect(allViolations(play(touchlineProtocol(settings), acts, TIMEOUT_MS, 'tl_vid'))).toEqual([]);
  });
});

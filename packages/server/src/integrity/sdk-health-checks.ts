// The checks over what SDK instances report with their batches (sdk.health): dropped items, 401/403s, and the share of bot navigations.
import type { SdkHealthFacts } from '@touchline/storage';
import type { CheckFacts, IntegrityCheck, Measurement } from './integrity-check.js';

const percent = (part: number, whole: number): number | null => (whole === 0 ? null : (100 * part) / whole);

const NO_REPORTS =
  'no SDK reported delivery health in the last 24 h (an SDK older than this collector, or reportHealth: false)';

/** The window's SDK facts, or null when no instance reported (then the check says so rather than "not enough data"). */
const reported = (f: CheckFacts): SdkHealthFacts | null =>
  f.sdkHealthDay === undefined || f.sdkHealthDay.instances === 0 ? null : f.sdkHealthDay;

/** With no reports there is nothing to wait for: the sample is "enough" and the measurement explains. */
const sampleOr = (f: CheckFacts, sample: (h: SdkHealthFacts) => number): number => {
  const h = reported(f);
  return h === null ? Number.POSITIVE_INFINITY : sample(h);
};

const measureOr = (f: CheckFacts, measure: (h: SdkHealthFacts) => Measurement): Measurement => {
  const h = reported(f);
  return h === null ? { value: null, note: NO_REPORTS } : measure(h);
};

const summary = (h: SdkHealthFacts): string =>
  `${h.instances} SDK instance(s): ${h.delivered} delivered, ${h.dropped} dropped, ` +
  `${h.retries} retried attempt(s), ${h.authFailures} 401/403 answer(s)`;

export const SDK_HEALTH_CHECKS: readonly IntegrityCheck[] = [
  {
    id: 'sdk-drops',
    title: 'SDK items dropped',
    explanation:
      '% of the items SDK instances finished with in the last 24 h that they gave up on instead of delivering (queue full ' +
      'during an outage, retry budget spent, rejected as invalid or too large, undelivered at shutdown). Any drop is data lost before ' +
      "it reached the collector: look at the SDK's onError output and at collector availability. Thresholds are Touchline's own.",
    unit: '%',
    window: '24 h (SDK reports)',
    thresholds: { above: { warn: 0, alert: 5 } },
    minSample: 20,
    sample: (f) => sampleOr(f, (h) => h.delivered + h.dropped),
    measure: (f) => measureOr(f, (h) => ({ value: percent(h.dropped, h.delivered + h.dropped), note: summary(h) })),
  },
  {
    id: 'sdk-auth-failures',
    title: 'SDK requests refused with 401/403',
    explanation:
      '401/403 answers SDK instances received in the last 24 h. The SDK keeps the items and probes again (DESIGN.md L5), ' +
      'so nothing is lost yet, but a revoked or mistyped key, or a collector that answered 401 before loading its keys, delays ' +
      "everything and fills the SDK's bounded queue. Alert at 60: about an hour of a refused key at the SDK's slowest probe rate.",
    unit: 'count',
    window: '24 h (SDK reports)',
    thresholds: { above: { warn: 0, alert: 60 } },
    // One refusal is worth a warning whatever the volume.
    minSample: 1,
    sample: (f) => sampleOr(f, (h) => h.instances),
    measure: (f) => measureOr(f, (h) => ({ value: h.authFailures, note: summary(h) })),
  },
  {
    id: 'sdk-clock-skew',
    title: 'SDK host clock skew (minutes)',
    explanation:
      "The largest difference, in minutes, between an SDK host's clock and the collector's in the last 24 h, measured from " +
      "each batch's sent_at. Up to 24 h (maxClockCorrectionMs) the collector corrects item times by it, so nothing is lost, but " +
      'a skewed host usually has other time problems (TLS, logs, cron): fix its clock (NTP). Beyond 24 h items are judged as sent, ' +
      "and those more than 1 h ahead or 30 days back are refused. Warn above 1 min (the collector's default tolerance), alert above 24 h.",
    unit: 'count',
    window: '24 h (SDK reports)',
    thresholds: { above: { warn: 1, alert: 24 * 60 } },
    minSample: 1,
    sample: (f) => sampleOr(f, (h) => h.instances),
    measure: (f) =>
      measureOr(f, (h) => ({
        value: Math.round(h.maxClockSkewMs / 6_000) / 10,
        note: `${h.skewedInstances} of ${h.instances} SDK instance(s) more than 1 min off the collector's clock`,
      })),
  },
  {
    id: 'bot-share',
    title: 'Bot-like navigations',
    explanation:
      '% of the navigations the SDK middleware saw in the last 24 h whose user agent is a known bot (isbot). Bots get no ' +
      'identity and record nothing, so they never inflate the numbers; a high share means crawlers or scrapers dominate the ' +
      'traffic reaching the app. Bots that disguise their user agent are not counted here: they show up as extreme visitors, ' +
      "ghost sessions or a session-rate jump. Thresholds (60% / 90%) are Touchline's own.",
    unit: '%',
    window: '24 h (SDK reports)',
    thresholds: { above: { warn: 60, alert: 90 } },
    sample: (f) => sampleOr(f, (h) => h.navigations + h.botNavigations),
    measure: (f) =>
      measureOr(f, (h) => ({
        value: percent(h.botNavigations, h.navigations + h.botNavigations),
        note: `${h.botNavigations} bot navigation(s) of ${h.navigations + h.botNavigations}`,
      })),
  },
];

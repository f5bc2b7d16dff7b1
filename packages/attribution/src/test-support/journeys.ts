// Test helpers: compact journey literals and credit read-back as plain records.
import { DAY_MS } from '../attribution-options.js';
import type { AttributionResult } from '../attribution-result.js';
import type { Journey, Touchpoint } from '../journey.js';

export const CONVERTED_AT = Date.UTC(2026, 0, 31);

/** `path('a>b>c')`: touches one day apart ending one day before conversion ('' is an empty path). */
export function path(spec: string, daysBefore?: readonly number[]): Touchpoint[] {
  const channels = spec === '' ? [] : spec.split('>');
  return channels.map((channel, i) => ({
    channel,
    timestamp: CONVERTED_AT - (daysBefore?.[i] ?? channels.length - i) * DAY_MS,
  }));
}

export function journey(id: string, spec: string, revenue = 1, daysBefore?: readonly number[]): Journey {
  return { conversionId: id, revenue, convertedAt: CONVERTED_AT, touchpoints: path(spec, daysBefore) };
}

/** Credits of conversion `index` as { channel: credit }, summing duplicates defensively. */
export function creditsOf(result: AttributionResult, index = 0): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of result.conversions.creditsAt(index)) out[c.channel] = (out[c.channel] ?? 0) + c.credit;
  return out;
}

/** Channel totals as { channel: conversions }. */
export function totalsOf(result: AttributionResult): Record<string, number> {
  return Object.fromEntries(result.channels.map((c) => [c.channel, c.conversions]));
}

/** True when two credit records match key-for-key (missing = 0) within 10^-digits. */
export function closeRecord(actual: Record<string, number>, expected: Record<string, number>, digits = 12): boolean {
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  for (const key of keys) {
    if (Math.abs((actual[key] ?? 0) - (expected[key] ?? 0)) > 10 ** -digits) return false;
  }
  return true;
}

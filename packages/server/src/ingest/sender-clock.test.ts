// senderClock: within the tolerance nothing changes, up to the bound the skew is corrected, beyond it the items are judged as sent.
import { describe, expect, it } from 'vitest';
import { correctionMs, describeOffset, senderClock, type SenderClock } from './sender-clock.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const RULES = { clockToleranceMs: MIN, maxClockCorrectionMs: 24 * HOUR };
const NOW = Date.parse('2026-12-06T03:00:00Z');

describe('senderClock', () => {
  it.each<[string, number, SenderClock]>([
    ['a clock in sync', NOW, { kind: 'in_sync', offsetMs: 0 }],
    ['network time (sent 300 ms before arrival)', NOW - 300, { kind: 'in_sync', offsetMs: -300 }],
    ['exactly the tolerance', NOW + MIN, { kind: 'in_sync', offsetMs: MIN }],
    ['a clock 2 h fast', NOW + 2 * HOUR, { kind: 'corrected', offsetMs: 2 * HOUR }],
    ['a clock 3 h slow', NOW - 3 * HOUR, { kind: 'corrected', offsetMs: -3 * HOUR }],
    ['exactly the bound', NOW + 24 * HOUR, { kind: 'corrected', offsetMs: 24 * HOUR }],
    ['a clock 25 h fast', NOW + 25 * HOUR, { kind: 'too_far', offsetMs: 25 * HOUR }],
    ['an unreadable sent_at', Number.NaN, { kind: 'in_sync', offsetMs: 0 }],
  ])('%s', (_, sentAt, expected) => {
    expect(senderClock(sentAt, NOW, RULES)).toEqual(expected);
  });

  it('corrects by the offset only when it is within the bound', () => {
    expect(correctionMs(senderClock(NOW + 2 * HOUR, NOW, RULES))).toBe(2 * HOUR);
    expect(correctionMs(senderClock(NOW + 30 * 1000, NOW, RULES))).toBe(0);
    expect(correctionMs(senderClock(NOW + 25 * HOUR, NOW, RULES))).toBe(0);
    expect(correctionMs(null)).toBe(0);
  });

  it('describes the skew', () => {
    expect(describeOffset(2 * HOUR + 5 * MIN)).toBe('2 h 5 min ahead of');
    expect(describeOffset(-40_000)).toBe('40 s behind');
    expect(describeOffset(25 * HOUR)).toBe('25 h ahead of');
  });
});

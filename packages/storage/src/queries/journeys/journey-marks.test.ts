// Which session changes mark a visitor's journeys: inserted, removed, or moved in start or channel; not a session that only gained items.
import { describe, expect, it } from 'vitest';
import type { SessionShape } from '../rollups/rollup-deltas.js';
import { pathChanges } from '../rollups/path-steps.js';
import { pathMarks, uniqueMarks } from './journey-marks.js';

const sessionMarks = (before: SessionShape[], after: SessionShape[]) => pathMarks(pathChanges(before, after));

const shape = (visitorId: string, id: string, startedAt: number, more: Partial<SessionShape> = {}): SessionShape => ({
  accountKey: 1,
  visitorId,
  id,
  startedAt,
  lastSeenAt: startedAt,
  channel: '',
  landingPath: '',
  referrerHost: '',
  utmSource: '',
  utmMedium: '',
  utmCampaign: '',
  ...more,
});

describe('pathMarks', () => {
  it('marks the visitors of new, moved, reclassified and removed sessions only', () => {
    const before = [
      shape('kept', 's1', 10),
      shape('moved', 's2', 20),
      shape('gone', 's3', 30),
      shape('landed', 's5', 50),
    ];
    const after = [
      shape('kept', 's1', 10, { lastSeenAt: 99, landingPath: '/x' }),
      shape('moved', 's2', 15),
      shape('new', 's4', 40),
      shape('landed', 's5', 50, { channel: 'email' }),
    ];
    expect(
      sessionMarks(before, after)
        .map((m) => m.visitorId)
        .sort(),
    ).toEqual(['gone', 'landed', 'moved', 'new']);
  });

  it('tells sessions of two visitors with one id apart', () => {
    expect(sessionMarks([shape('a', 's', 10)], [shape('a', 's', 10), shape('b', 's', 10)])).toEqual([
      { accountKey: 1, visitorId: 'b' },
    ]);
  });
});

describe('uniqueMarks', () => {
  it('keeps each mark once, in account then visitor order', () => {
    const marks = [
      { accountKey: 10, visitorId: 'a' },
      { accountKey: 2, visitorId: 'b' },
      { accountKey: 2, visitorId: 'a' },
      { accountKey: 10, visitorId: 'a' },
    ];
    expect(uniqueMarks(marks)).toEqual([
      { accountKey: 2, visitorId: 'a' },
      { accountKey: 2, visitorId: 'b' },
      { accountKey: 10, visitorId: 'a' },
    ]);
  });
});

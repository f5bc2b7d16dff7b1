// Test-only suite every adapter runs: the slow-app race, one assertion group per protocol property.
import { beforeAll, describe, expect, it } from 'vitest';
import { runRace, summarize, type RaceReport, type StartApp } from './race-harness.js';

const CLEAN = { count: 0, first: [] };

/** Runs the race once (200 browsers x 4 concurrent rounds, plus assets) and asserts each group. */
export function describeAdapterRace(adapter: string, startApp: StartApp): void {
  describe(`${adapter} adapter: slow-app race, 200 concurrent browsers`, () => {
    let report: RaceReport;
    beforeAll(async () => {
      report = await runRace(startApp);
    });

    it('round 1: each first navigation mints a distinct visitor, set only in its own Set-Cookie and context', () => {
      expect(report.requests).toBeGreaterThanOrEqual(4 * 200);
      expect(summarize(report, 'mint')).toEqual(CLEAN);
    });

    it('round 2: each browser reads its own visitor and session back from its jar, across a parsed POST body', () => {
      expect(summarize(report, 'read')).toEqual(CLEAN);
    });

    it('rounds 3-4: endSession() in a handler moves that browser, and only it, to a new session', () => {
      expect(summarize(report, 'logout')).toEqual(CLEAN);
    });

    it('an asset request without cookies gets no Set-Cookie and records nothing', () => {
      expect(summarize(report, 'asset')).toEqual(CLEAN);
    });

    it("after flush, every item carries its own browser's visitor and session; none lost or duplicated", () => {
      expect(report.items).toBe(200 * 10);
      expect(summarize(report, 'delivery')).toEqual(CLEAN);
      expect(summarize(report, 'errors')).toEqual(CLEAN);
    });
  });
}

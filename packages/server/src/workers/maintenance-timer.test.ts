// The maintenance timer: one run at start, then periodic runs that never overlap; failures are reported, not thrown.
import { describe, expect, it } from 'vitest';
import type { MaintenanceOptions, Storage } from '@touchline/storage';
import { parseServerSettings } from '../server-settings.js';
import { startMaintenance } from './maintenance-timer.js';

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('startMaintenance', () => {
  it('runs at once with the retention setting, then every interval, one run at a time, reporting failures', async () => {
    const calls: MaintenanceOptions[] = [];
    let active = 0;
    let maxActive = 0;
    const storage = {
      maintain: async (options: MaintenanceOptions) => {
        calls.push(options);
        active += 1;
        maxActive = Math.max(maxActive, active);
        await tick(30); // longer than the interval: the next ticks must not start a second run
        active -= 1;
        if (calls.length === 2) throw new Error('disk full');
        return { partitionsCreated: [], partitionsDropped: [], rowsDeleted: 0 };
      },
    } as unknown as Storage;
    const errors: Error[] = [];
    const settings = parseServerSettings({ retentionDays: 90, maintenanceIntervalMs: 5 });
    const timer = startMaintenance({ storage, settings, now: () => 42, onError: (e) => errors.push(e) });
    expect(calls).toEqual([{ now: 42, retentionDays: 90 }]);
    while (calls.length < 3) await tick(5);
    await timer.stop();
    const after = calls.length;
    await tick(30);
    expect(calls.length).toBe(after);
    expect(maxActive).toBe(1);
    expect(errors.map((e) => e.message)).toEqual(['disk full']);
  });
});

// Test helper: the per-day sums of person-path rows as stored (person_path_day_*, kept by triggers) and as summed from the person rows themselves.
import { rawRows } from './raw-sql.js';
import type { TestStorage } from './storage-factories.js';

const STEP_KEY = 'account_key, day, prev_day, prev_channel, channel';
const END_KEY = 'account_key, day, next_day, channel';
const stored = (table: string, key: string): string =>
  `SELECT ${key}, sessions FROM ${table} WHERE sessions <> 0 ORDER BY ${key}`;
const summed = (table: string, key: string): string =>
  `SELECT ${key}, CAST(SUM(sessions) AS integer) AS sessions FROM ${table} GROUP BY ${key}
    HAVING SUM(sessions) <> 0 ORDER BY ${key}`;

/** The stored sums and the sums of the person rows, steps then ends (equal when the triggers kept them). */
export async function personPathDaySums(
  db: Pick<TestStorage, 'url' | 'storage'>,
): Promise<{ stored: unknown[][]; summed: unknown[][] }> {
  return {
    stored: [
      await rawRows(db, stored('person_path_day_steps', STEP_KEY)),
      await rawRows(db, stored('person_path_day_ends', END_KEY)),
    ],
    summed: [
      await rawRows(db, summed('person_path_steps', STEP_KEY)),
      await rawRows(db, summed('person_path_ends', END_KEY)),
    ],
  };
}

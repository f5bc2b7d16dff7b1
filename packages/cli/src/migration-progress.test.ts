// The serve log's migration lines: every step of an upgrade, a new database in one line plus any slow step.
import { describe, expect, it } from 'vitest';
import { migrationProgressLine } from './migration-progress.js';

describe('migrationProgressLine', () => {
  it('shows each step of an upgrade before and after it runs', () => {
    expect(migrationProgressLine({ phase: 'start', name: '009-rollups.sql', index: 2, total: 5, upgrade: true })).toBe(
      '[touchline] migrating the database: 009-rollups.sql (2 of 5)...',
    );
    expect(
      migrationProgressLine({ phase: 'done', name: '009-rollups.sql', index: 2, total: 5, upgrade: true, ms: 41_234 }),
    ).toBe('[touchline] migrated 009-rollups.sql in 41.2 s (2 of 5)');
    expect(migrationProgressLine({ phase: 'done', name: '010-x.sql', index: 3, total: 5, upgrade: true, ms: 3 })).toBe(
      '[touchline] migrated 010-x.sql in 0.0 s (3 of 5)',
    );
  });

  it('summarizes a new database in one line and reports only slow steps', () => {
    expect(
      migrationProgressLine({ phase: 'start', name: '001-initial.sql', index: 1, total: 21, upgrade: false }),
    ).toBe('[touchline] new database: applying 21 migrations');
    expect(
      migrationProgressLine({ phase: 'start', name: '002-x.sql', index: 2, total: 21, upgrade: false }),
    ).toBeNull();
    expect(
      migrationProgressLine({ phase: 'done', name: '002-x.sql', index: 2, total: 21, upgrade: false, ms: 999 }),
    ).toBeNull();
    expect(
      migrationProgressLine({ phase: 'done', name: '003-x.sql', index: 3, total: 21, upgrade: false, ms: 1500 }),
    ).toBe('[touchline] migrated 003-x.sql in 1.5 s (3 of 21)');
    expect(migrationProgressLine({ phase: 'start', name: '001-initial.sql', index: 1, total: 1, upgrade: false })).toBe(
      '[touchline] new database: applying 1 migration',
    );
  });
});

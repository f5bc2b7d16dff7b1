// What `touchline serve` prints while it migrates the database: each step of an upgrade, a new database in one line.
import type { MigrationProgress } from '@touchline/storage';

/** A migration that takes longer than this is reported even on a new database. */
const SLOW_MS = 1000;

/**
 * The log line for one migration step, or null for none. On an existing database every step is
 * shown before it runs (a migration that builds the read model from stored rows can take minutes,
 * and a kill during it loses only that one: the next start resumes there); on a new database only
 * the first step (as a summary) and any slow one.
 */
export function migrationProgressLine(step: MigrationProgress): string | null {
  const of = `(${step.index} of ${step.total})`;
  if (step.phase === 'start') {
    if (step.upgrade) return `[touchline] migrating the database: ${step.name} ${of}...`;
    return step.index === 1
      ? `[touchline] new database: applying ${step.total} migration${step.total === 1 ? '' : 's'}`
      : null;
  }
  if (!step.upgrade && step.ms < SLOW_MS) return null;
  return `[touchline] migrated ${step.name} in ${(step.ms / 1000).toFixed(1)} s ${of}`;
}

// A test run without PostgreSQL or Chromium: refused unless TOUCHLINE_ALLOW_PARTIAL=1, and then counted for one loud line at the end (vitest.global-setup.ts).
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where test files note what they left out; the global setup empties it first and reads it last. */
export const PARTIAL_DIR = fileURLToPath(
  new URL('../../../../node_modules/.cache/touchline-partial/', import.meta.url),
);

/**
 * True when a test file may leave out what needs a missing service. Never under CI=true; locally
 * only with TOUCHLINE_ALLOW_PARTIAL=1, so a plain `npm test` without PostgreSQL fails instead of
 * quietly running half the suite.
 */
export function partialAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI !== 'true' && env.CI !== '1' && env.TOUCHLINE_ALLOW_PARTIAL === '1';
}

/** Notes that `file` left out `what` (e.g. "PostgreSQL half"), for the end-of-run summary. */
export function recordPartial(what: string, file: string): void {
  mkdirSync(PARTIAL_DIR, { recursive: true });
  appendFileSync(join(PARTIAL_DIR, `${process.pid}.txt`), `${what}\t${file}\n`);
}

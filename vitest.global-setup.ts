// Vitest global setup: after the run, one loud line when test files left out what needs PostgreSQL or Chromium (TOUCHLINE_ALLOW_PARTIAL=1).
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PARTIAL_DIR } from './packages/storage/src/test-support/partial-run.js';

export function setup(): () => void {
  rmSync(PARTIAL_DIR, { recursive: true, force: true });
  mkdirSync(PARTIAL_DIR, { recursive: true });
  return function summarizePartialRun() {
    const lines = readdirSync(PARTIAL_DIR).flatMap((f) =>
      readFileSync(join(PARTIAL_DIR, f), 'utf8').split('\n').filter(Boolean),
    );
    if (lines.length === 0) return;
    const byWhat = new Map<string, Set<string>>();
    for (const line of lines) {
      const [what = '', file = ''] = line.split('\t');
      byWhat.set(what, (byWhat.get(what) ?? new Set()).add(file));
    }
    const parts = [...byWhat].map(([what, files]) => `${files.size} test file(s) without their ${what}`);
    process.stderr.write(
      `\n[touchline tests] PARTIAL RUN (TOUCHLINE_ALLOW_PARTIAL=1): ${parts.join('; ')}. This is not a full test run.\n\n`,
    );
  };
}

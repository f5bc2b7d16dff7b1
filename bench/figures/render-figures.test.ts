// The README's generated benchmark blocks match the result files behind them; a hand-edited figure or a block without a result fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('./render-figures.mjs', import.meta.url));
const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'touchline-figures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(readme: string): { code: number | null; out: string } {
  const run = spawnSync(process.execPath, [SCRIPT, '--check', '--readme', readme], { encoding: 'utf8' });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

describe('README benchmark figures', () => {
  const text = readFileSync(README, 'utf8');
  const blocks = [...text.matchAll(/<!-- figures: (\S+) (\S+) -->/g)];

  it('every generated block matches the result file it names', () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(check(README)).toMatchObject({ code: 0 });
  });

  it('a figure edited by hand fails the check, naming the result file', () => {
    const [first] = blocks;
    const start = text.indexOf((first as RegExpMatchArray)[0]);
    // Change the first table row's p50 figure inside the first block.
    const row = /\n\| [^|\n]+ \| ([\d,.]+) \|/.exec(text.slice(start));
    expect(row).not.toBeNull();
    const at = start + (row as RegExpExecArray).index + (row as RegExpExecArray)[0].lastIndexOf((row as RegExpExecArray)[1] as string);
    const edited = `${text.slice(0, at)}9${text.slice(at)}`;
    const file = join(dir, 'edited.md');
    writeFileSync(file, edited);
    const result = check(file);
    expect(result.code).toBe(1);
    expect(result.out).toContain(`${(first as RegExpMatchArray)[2]}: the README block differs`);
  });

  it('a block whose result file does not exist fails the check', () => {
    const file = join(dir, 'missing.md');
    writeFileSync(file, '# x\n<!-- figures: read-api bench/figures/results/no-such-run.json -->\n| made up | 1 |\n<!-- /figures -->\n');
    const result = check(file);
    expect(result.code).toBe(1);
    expect(result.out).toContain('bench/figures/results/no-such-run.json: no result behind this block');
  });
});

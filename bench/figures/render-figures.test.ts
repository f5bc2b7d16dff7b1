// The README's generated benchmark blocks match the result files behind them; a hand-edited figure, a block without a result, or a figure copied by hand into the benchmark and read-model sections fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('./render-figures.mjs', import.meta.url));
const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'touchline-figures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(readme: string): { code: number | null; out: string } {
  const run = spawnSync(process.execPath, [SCRIPT, '--check', '--readme', readme], { encoding: 'utf8' });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

function checkText(name: string, text: string): { code: number | null; out: string } {
  const file = join(dir, name);
  writeFileSync(file, text);
  return check(file);
}

describe('README benchmark figures', () => {
  const text = readFileSync(README, 'utf8');
  const blocks = [...text.matchAll(/<!-- figures: (\S+) (\S+) -->\n([\s\S]*?)<!-- \/figures -->/g)];

  it('every generated block matches the result file it names, and no figure is copied by hand into the benchmark sections', () => {
    const kinds = new Set(blocks.map((b) => b[1]));
    for (const kind of ['run', 'postgres-ingest', 'read-api', 'wal-soak', 'peer-sdks']) expect(kinds).toContain(kind);
    expect(check(README)).toMatchObject({ code: 0 });
  });

  it('every committed result file is behind a block of the README or a docs page', () => {
    const docs = readdirSync(DOCS).filter((f) => f.endsWith('.md'));
    const all = [text, ...docs.map((f) => readFileSync(join(DOCS, f), 'utf8'))].flatMap((t) => [
      ...t.matchAll(/<!-- figures: (\S+) (\S+) -->/g),
    ]);
    const named = new Set(all.flatMap((b) => (b[2] as string).split(',')));
    for (const file of readdirSync(RESULTS)) expect(named).toContain(`bench/figures/results/${file}`);
  });

  it("a figure edited by hand in any block fails the check, naming the block's result file", () => {
    for (const block of blocks) {
      const start = (block.index as number) + block[0].indexOf('\n|');
      // The first table row under the header and the |---| line: change its first figure.
      const row = /\n\| [^\n]*?(\d[\d,.]*) \|/.exec(text.slice(start).split('\n').slice(2).join('\n'));
      expect(row).not.toBeNull();
      const rowText = (row as RegExpExecArray)[0];
      const at = text.indexOf(rowText, start) + rowText.lastIndexOf((row as RegExpExecArray)[1] as string);
      const result = checkText('edited.md', `${text.slice(0, at)}9${text.slice(at)}`);
      expect(result.code).toBe(1);
      expect(result.out).toContain(`${block[2]}: the README.md block differs`);
    }
  });

  it('a block whose result file does not exist fails the check', () => {
    const result = checkText(
      'missing.md',
      '# x\n<!-- figures: read-api bench/figures/results/no-such-run.json -->\n| made up | 1 |\n<!-- /figures -->\n',
    );
    expect(result.code).toBe(1);
    expect(result.out).toContain('bench/figures/results/no-such-run.json: no result behind this block');
  });

  it("a block naming another bench's result fails the check", () => {
    const result = checkText(
      'wrong-bench.md',
      '# x\n<!-- figures: peer-sdks bench/figures/results/run.json -->\n<!-- /figures -->\n',
    );
    expect(result.code).toBe(1);
    expect(result.out).toContain('bench/figures/results/run.json: a result of bench "run", not of "peer-sdks"');
  });

  it('a table or a measured figure copied by hand into the benchmark sections fails the check, naming the line', () => {
    const lines = text.split('\n');
    const benchmarks = lines.indexOf('## Benchmarks');
    const disk = lines.indexOf('## Bounded disk');
    expect(benchmarks).toBeGreaterThan(0);
    expect(disk).toBeGreaterThan(0);
    const insert = (at: number, line: string) =>
      [...lines.slice(0, at + 1), '', line, ...lines.slice(at + 1)].join('\n');
    const table = checkText('table.md', insert(disk, '| run | WAL peak |'));
    expect(table.code).toBe(1);
    expect(table.out).toContain(`README.md:${disk + 3}: a table in "Bounded disk" outside a generated block`);
    const prose = checkText('prose.md', insert(benchmarks, 'Batched ingest reached 124.7k items/s acknowledged.'));
    expect(prose.code).toBe(1);
    expect(prose.out).toContain(
      `README.md:${benchmarks + 3}: a measured figure in the prose of "Benchmarks" ("124.7k items/s")`,
    );
  });

  it('the read model, bytes at rest and materialized journeys sections are checked too, subsections included', () => {
    const lines = text.split('\n');
    const insert = (at: number, line: string) =>
      [...lines.slice(0, at + 1), '', line, ...lines.slice(at + 1)].join('\n');
    const cases = [
      [
        '### Read model, part 3: series on whole hours, utm dimensions, PostgreSQL stats',
        'stats 30 d p50 31 ms',
        '31 ms',
      ],
      ['## Bytes at rest per item (issue 15, item 4)', 'the facts tables take ~540 B/item', '540 B/item'],
      ['## Materialized journeys (issue 15, item 2)', 'the refresher builds every journey in 1.2-1.6 s', '1.6 s'],
    ] as const;
    for (const [heading, line, figure] of cases) {
      const at = lines.indexOf(heading);
      expect(at).toBeGreaterThan(0);
      const result = checkText('section.md', insert(at, line));
      expect(result.code).toBe(1);
      expect(result.out).toContain(`README.md:${at + 3}: a measured figure in the prose of`);
      expect(result.out).toContain(`("${figure}")`);
    }
    const table = checkText('journeys-table.md', insert(lines.indexOf(cases[2][0]), '| model | live | materialized |'));
    expect(table.code).toBe(1);
    expect(table.out).toContain('a table in "Materialized journeys (issue 15, item 2)" outside a generated block');
  });

  it('the docs pages are rendered and checked too: a hand-edited docs block or a figure in a docs Cost section fails', async () => {
    const run = spawnSync(process.execPath, [SCRIPT, '--check'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/render-figures: \d+ block\(s\) match their result files/);
    const page = readFileSync(join(DOCS, 'conversion-uploads.md'), 'utf8');
    const block = '<!-- figures: conversion-uploads bench/figures/results/conversion-uploads.json -->';
    expect(page).toContain(block);
    const row =
      page.indexOf('| conversions per second through a whole pass | ') +
      '| conversions per second through a whole pass | '.length;
    const edited = checkText('docs-edited.md', `${page.slice(0, row)}9${page.slice(row)}`);
    expect(edited.code).toBe(1);
    expect(edited.out).toContain('bench/figures/results/conversion-uploads.json: the README.md block differs');
    // A docs page goes through the same check when named as the file: its Cost section is one of the checked ones.
    const { handCopiedFigures } = await import('./hand-copied-figures.mjs');
    const at = page.split('\n').indexOf('## Cost');
    const lines = page.split('\n');
    const prose = [...lines.slice(0, at + 1), '', 'a pass took 642 ms', ...lines.slice(at + 1)].join('\n');
    expect(handCopiedFigures(prose, 'docs/conversion-uploads.md')).toContain(
      `docs/conversion-uploads.md:${at + 3}: a measured figure in the prose of "Cost" ("642 ms"): put it in a generated block or point at one`,
    );
  });

  it('a checked section renamed away fails the check, naming the section', () => {
    const renamed = checkText('renamed.md', text.replace('## Bytes at rest per item (issue 15, item 4)', '## Bytes'));
    expect(renamed.code).toBe(1);
    expect(renamed.out).toContain('README.md: no section "## Bytes at rest per item (issue 15, item 4)"');
  });
});

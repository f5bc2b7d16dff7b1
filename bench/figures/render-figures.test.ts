// The README's generated benchmark blocks match the result files behind them; a hand-edited figure, a block without a result, a
// figure copied by hand anywhere in the README or the wholly checked docs pages (unless allow-listed as a constant) fails.
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
      ['## Materialized journeys (issue 15, item 2)', 'the refresher builds every journey in 1.2-1.6 s', '1.2'],
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
      `docs/conversion-uploads.md:${at + 3}: a measured figure in the prose of "Cost" ("642 ms"): put it in a generated block, point at one, move it to docs/benchmark-history.md, or allow-list a constant in figure-allow-list.mjs`,
    );
  });

  it('a checked section renamed away fails the check, naming the section', () => {
    const renamed = checkText('renamed.md', text.replace('## Bytes at rest per item (issue 15, item 4)', '## Bytes'));
    expect(renamed.code).toBe(1);
    expect(renamed.out).toContain('README.md: no section "## Bytes at rest per item (issue 15, item 4)"');
  });

  it('a measured figure anywhere in the README fails the check, not only in the benchmark sections, naming its section', () => {
    const lines = text.split('\n');
    const insert = (at: number, line: string) =>
      [...lines.slice(0, at + 1), '', line, ...lines.slice(at + 1)].join('\n');
    const cases = [
      ['## Supported Node versions', 'every test passed in 450 s', '450 s'],
      ['## Privacy', 'erasing a person took 362-433 ms', '433 ms'],
      ['## Failure modes', 'the loop stalled 1.2 s', '1.2 s'],
      ['### Tabs opened together: racing first navigations', 'x1.17 with the minted-id cookie', 'x1.17'],
      ['## Proof suite / security', 'the apply step took 2.8x as long', '2.8x'],
      ['## Bounded disk', 'at 16-51 MiB/s of log', '51 MiB/s'],
    ] as const;
    for (const [heading, line, figure] of cases) {
      const at = lines.indexOf(heading);
      expect(at).toBeGreaterThan(0);
      const result = checkText('anywhere.md', insert(at, line));
      expect(result.code).toBe(1);
      expect(result.out).toContain(
        `README.md:${at + 3}: a measured figure in the prose of "${heading.replace(/^#+ /, '')}" ("${figure}")`,
      );
    }
  });

  it('a constant passes only through the allow-list, as written there: another number in its place fails', () => {
    const allowed = 'revocation reaches running collectors within 5 s';
    expect(text).toContain(allowed);
    expect(check(README).code).toBe(0);
    const changed = checkText('constant.md', text.replace(allowed, 'revocation reaches running collectors within 7 s'));
    expect(changed.code).toBe(1);
    expect(changed.out).toContain('a measured figure in the prose of "The collector (`touchline serve`)" ("7 s")');
    expect(changed.out).toContain(`the allow-list entry "${allowed}" matches no checked line`);
  });

  it('every allow-list entry names a checked file, gives a reason and matches a line of that file', async () => {
    const { FIGURE_ALLOW_LIST } = await import('./figure-allow-list.mjs');
    const root = fileURLToPath(new URL('../../', import.meta.url));
    for (const entry of FIGURE_ALLOW_LIST) {
      expect(entry.file).toMatch(/^(README\.md|docs\/[a-z-]+\.md)$/);
      expect(entry.reason.length).toBeGreaterThan(10);
      expect(readFileSync(join(root, entry.file), 'utf8')).toContain(entry.text);
    }
  });

  it('the docs pages named by the issue are checked whole: a figure in any of their sections fails', async () => {
    const { handCopiedFigures, NOT_WHOLE } = await import('./hand-copied-figures.mjs');
    const root = fileURLToPath(new URL('../../', import.meta.url));
    for (const file of [
      'docs/storage-bytes.md',
      'docs/wal-bound.md',
      'docs/privacy.md',
      'docs/reads.md',
      'docs/hand-written.md',
      'docs/read-model.md',
    ]) {
      expect(NOT_WHOLE.map((n) => n.file)).not.toContain(file);
      const page = readFileSync(join(root, file), 'utf8');
      expect(handCopiedFigures(page, file)).toEqual([]);
      const lines = page.split('\n');
      const at = lines.findIndex((l) => l.startsWith('## '));
      const edited = [...lines.slice(0, at + 1), '', 'one run took 642 ms', ...lines.slice(at + 1)].join('\n');
      expect(handCopiedFigures(edited, file)).toContain(
        `${file}:${at + 3}: a measured figure in the prose of "${lines[at]?.slice(3)}" ("642 ms"): put it in a generated block, point at one, move it to docs/benchmark-history.md, or allow-list a constant in figure-allow-list.mjs`,
      );
    }
  });

  it('a docs page not listed in NOT_WHOLE, a new one included, is checked whole', async () => {
    const { handCopiedFigures } = await import('./hand-copied-figures.mjs');
    expect(handCopiedFigures('# A new page\n\n## Cost\n\nthe pass took 1.4 s\n', 'docs/new-page.md')).toEqual([
      'docs/new-page.md:5: a measured figure in the prose of "Cost" ("1.4 s"): put it in a generated block, point at one, move it to docs/benchmark-history.md, or allow-list a constant in figure-allow-list.mjs',
    ]);
    expect(handCopiedFigures('# History\n\nthe pass took 1.4 s\n', 'docs/benchmark-history.md')).toEqual([]);
  });

  it('the rule: numbers with a unit of time, rate or size, percentages, ratios and decimals; not HTTP statuses, versions, names or counts', async () => {
    const { MEASURED } = await import('./hand-copied-figures.mjs');
    for (const figure of [
      '10 s',
      '433 ms',
      '8.7 µs',
      '15 min',
      '124.7k items/s',
      '14,000 requests/s',
      '51 MiB/s',
      '290 B',
      '48.7 GB',
      '540 B/item',
      '2.4x',
      'x1.17',
      '18 ×',
      '41%',
      '-1.6%',
      '290-byte',
      '0.97',
    ])
      expect(MEASURED.exec(`took ${figure} here`)?.[0]).toBe(figure);
    for (const other of [
      '429s by limit',
      'better-sqlite3 12.x',
      'Linux x64',
      'p95s',
      'SHA-256',
      '1,436 mutants',
      'Apache-2.0',
      'better-sqlite3 12.11.1',
      'Node 20.19+',
      'Node 24',
    ])
      expect(MEASURED.test(other)).toBe(false);
  });
});

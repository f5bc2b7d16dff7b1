// Finds figures copied by hand into the README and docs where only generated ones belong: measured quantities anywhere in the
// wholly checked files, and tables and measured quantities in the checked sections of the other docs pages.
// Generated blocks (<!-- figures: ... --> ... <!-- /figures -->) and fenced code are skipped; what a block holds is checked
// against its result file. A constant that looks like a measurement (a default, a limit, a test's setting) is allowed only
// through figure-allow-list.mjs, with its reason.
import { FIGURE_ALLOW_LIST } from './figure-allow-list.mjs';

/**
 * The docs pages not checked whole, each with the reason; README.md and every other docs/*.md have every line outside
 * generated blocks checked for measured figures (a new page is checked from its first commit).
 */
export const NOT_WHOLE = [
  { file: 'docs/DESIGN.md', reason: "the design rules; L13 quotes issue 26's report as the rule's motivation" },
  { file: 'docs/benchmark-history.md', reason: 'the history itself: hand-copied figures, dated, with their commands' },
];

/**
 * Sections whose tables must all be generated (and, in the pages listed in NOT_WHOLE, whose prose must quote no measured quantity).
 * A section includes its subsections.
 */
const SECTIONS = [
  { file: 'README.md', heading: '## Read model: rollups (issue 15, item 2; first part)' },
  { file: 'README.md', heading: '## Bytes at rest per item (issue 15, item 4)' },
  { file: 'README.md', heading: '## Materialized journeys (issue 15, item 2)' },
  { file: 'README.md', heading: '## Benchmarks' },
  { file: 'README.md', heading: '## Bounded disk' },
  { file: 'docs/conversion-uploads.md', heading: '## Cost' },
  { file: 'docs/sdk-spool.md', heading: '## Cost' },
  { file: 'docs/read-model.md', heading: '## Measured' },
  { file: 'docs/storage-bytes.md', heading: '## After compaction' },
  { file: 'docs/read-model.md', heading: '#### Measured (materialized journeys)' },
];

/**
 * A measured quantity: a number with a unit of time, rate or size (`290 B`, `290-byte`), a percentage, a ratio written
 * 2.4x / x1.17, or a bare decimal (0.97: a ratio, almost always). Not a name like "p95s", not an HTTP status in the plural
 * ("429s": seconds take a space, "10 s"), not a dotted version (12.11.1, 20.19+), not a whole count (too many of those are
 * settings and test sizes to tell apart by their shape).
 */
export const MEASURED =
  /(?<![\w.])(?:\d[\d,.]*\s?(?:k|M)?\s?(?:µs|ms|min\b|items\/s|events\/s|req\/s|requests\/s|conversions\/s|calls\/s|[KMG]i?B\/s|[KMG]i?B\b|B\/item|B\b)|\d[\d,.]*\ss\b|\d(?:[\d.]*\d)?x\b|x\d+\.\d+\b|\d(?:[\d.]*\d)?\s?×|[-+]?\d[\d,.]*\s?%|\d[\d,.]*-byte\b|(?<!-)\d+\.\d+(?![\w./%+]))/;

/** The lines of one section (up to the next heading of the same or a higher level), with their line numbers. */
function sectionLines(lines, heading) {
  const start = lines.indexOf(heading);
  if (start === -1) return [];
  const level = heading.indexOf(' ');
  const out = [];
  for (let i = start + 1; i < lines.length; i++) {
    const m = /^(#+) /.exec(lines[i]);
    if (m && m[1].length <= level) break;
    out.push({ n: i + 1, line: lines[i] });
  }
  return out;
}

/** The title of the nearest heading above line index `i` (outside fenced code), or the file's start. */
function headingAbove(lines, i) {
  let inCode = false;
  let title = '(top of the file)';
  for (let j = 0; j < i; j++) {
    if (/^\s*```/.test(lines[j])) inCode = !inCode;
    const m = /^#+ (.*)$/.exec(lines[j]);
    if (m && !inCode) title = m[1];
  }
  return title;
}

/** The lines outside generated blocks and fenced code, with their line numbers. */
function proseLines(numbered) {
  const out = [];
  let inBlock = false;
  let inCode = false;
  for (const { n, line } of numbered) {
    if (line.startsWith('<!-- figures: ')) inBlock = true;
    if (line.startsWith('<!-- /figures -->')) {
      inBlock = false;
      continue;
    }
    if (/^\s*```/.test(line)) inCode = !inCode;
    if (!inBlock && !inCode) out.push({ n, line });
  }
  return out;
}

/** The line without allowed texts and code spans (blanked so the rest keeps its shape), marking each allow-list entry used. */
function unallowed(line, allowed, used) {
  let out = line;
  for (const entry of allowed)
    if (out.includes(entry.text)) {
      used.add(entry);
      out = out.split(entry.text).join(' ');
    }
  return out.replace(/`[^`]*`/g, '');
}

/** Problems naming each line of `file` (README.md or docs/NAME.md), outside generated blocks, that holds a hand-copied table or measured figure. */
export function handCopiedFigures(text, file = 'README.md') {
  const lines = text.split('\n');
  const problems = [];
  const whole = !NOT_WHOLE.some((n) => n.file === file);
  const allowed = FIGURE_ALLOW_LIST.filter((a) => a.file === file);
  const used = new Set();
  const flagged = new Set();
  const measured = (n, line, where) => {
    const figure = MEASURED.exec(unallowed(line, allowed, used));
    if (figure === null || flagged.has(n)) return;
    flagged.add(n);
    problems.push(
      `${file}:${n}: a measured figure in the prose of ${where()} ("${figure[0]}"): put it in a generated block, point at one, move it to docs/benchmark-history.md, or allow-list a constant in figure-allow-list.mjs`,
    );
  };
  for (const { heading } of SECTIONS.filter((s) => s.file === file)) {
    if (!lines.includes(heading)) {
      problems.push(`${file}: no section "${heading}" (renamed? update SECTIONS in hand-copied-figures.mjs)`);
      continue;
    }
    for (const { n, line } of proseLines(sectionLines(lines, heading))) {
      if (line.startsWith('|'))
        problems.push(
          `${file}:${n}: a table in "${heading.replace(/^#+ /, '')}" outside a generated block (render it from a result file)`,
        );
      else if (!whole) measured(n, line, () => `"${heading.replace(/^#+ /, '')}"`);
    }
  }
  if (whole)
    for (const { n, line } of proseLines(lines.map((line, i) => ({ n: i + 1, line }))))
      measured(n, line, () => `"${headingAbove(lines, n - 1)}"`);
  for (const entry of allowed)
    if (!used.has(entry))
      problems.push(
        `${file}: the allow-list entry "${entry.text}" matches no checked line (edited away? remove it from figure-allow-list.mjs)`,
      );
  return problems;
}

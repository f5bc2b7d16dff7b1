// Finds figures copied by hand into the README and docs where only generated ones belong: tables in the checked sections, and measured quantities in their prose.
// Generated blocks (<!-- figures: ... --> ... <!-- /figures -->) are skipped; what they hold is checked against their result files.

/**
 * Sections whose tables must all be generated, and whether their prose may quote measured quantities
 * (the Bounded disk prose quotes issue 26's figures and settings). A section includes its subsections.
 */
const SECTIONS = [
  { file: 'README.md', heading: '## Read model: rollups (issue 15, item 2; first part)', prose: false },
  { file: 'README.md', heading: '## Bytes at rest per item (issue 15, item 4)', prose: false },
  { file: 'README.md', heading: '## Materialized journeys (issue 15, item 2)', prose: false },
  { file: 'README.md', heading: '## Benchmarks', prose: false },
  { file: 'README.md', heading: '## Bounded disk', prose: true },
  { file: 'docs/conversion-uploads.md', heading: '## Cost', prose: false },
  { file: 'docs/sdk-spool.md', heading: '## Cost', prose: false },
  { file: 'docs/read-model.md', heading: '## Measured', prose: false },
  { file: 'docs/storage-bytes.md', heading: '## After compaction', prose: false },
  { file: 'docs/read-model.md', heading: '#### Measured (materialized journeys)', prose: false },
];

/** A measured quantity: a number followed by a unit of time, rate or size (not a name like "p95s"). */
const MEASURED =
  /(?<![\w.])\d[\d,.]*\s?(?:k|M)?\s?(?:µs|ms|s\b|items\/s|events\/s|req\/s|conversions\/s|calls\/s|MiB|GiB|KiB|MB|GB|KB|B\/item)/;

/** The lines of one section (up to the next heading of the same or a higher level), with their README line numbers. */
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

/** Problems naming each line of `file` (README.md or docs/NAME.md), outside generated blocks, that holds a table row or (where not allowed) a measured quantity. */
export function handCopiedFigures(text, file = 'README.md') {
  const lines = text.split('\n');
  const problems = [];
  for (const { heading, prose } of SECTIONS.filter((s) => s.file === file)) {
    if (!lines.includes(heading)) {
      problems.push(`${file}: no section "${heading}" (renamed? update SECTIONS in hand-copied-figures.mjs)`);
      continue;
    }
    let inBlock = false;
    let inCode = false;
    for (const { n, line } of sectionLines(lines, heading)) {
      if (line.startsWith('<!-- figures: ')) inBlock = true;
      if (line.startsWith('<!-- /figures -->')) {
        inBlock = false;
        continue;
      }
      if (line.startsWith('```')) inCode = !inCode;
      if (inBlock || inCode) continue;
      if (line.startsWith('|'))
        problems.push(
          `${file}:${n}: a table in "${heading.slice(3)}" outside a generated block (render it from a result file)`,
        );
      else if (!prose && MEASURED.test(line.replace(/`[^`]*`/g, '')))
        problems.push(
          `${file}:${n}: a measured figure in the prose of "${heading.slice(3)}" ("${MEASURED.exec(line.replace(/`[^`]*`/g, ''))[0]}"): put it in a generated block or point at one`,
        );
    }
  }
  return problems;
}

// Renders the README's (and docs/*.md's) benchmark tables from the result files the benches write, so every figure in a generated block traces to a result.
// A block in README.md or a docs/*.md file looks like:
//   <!-- figures: read-api bench/figures/results/read-api-sqlite.json -->
//   ...generated text, never edited by hand...
//   <!-- /figures -->
// A block may name several files, comma-separated (the wal-soak table has a row per run). Kinds: run (bench/run.mjs),
// postgres-ingest (a run's PostgreSQL rows), read-api, wal-soak (its own files or a run's soak row), peer-sdks, next-overhead,
// conversion-uploads, bytes-per-item, journeys, read-model, racing-identity, first-request, mutation; each names the benches whose files it reads.
// Usage: node bench/figures/render-figures.mjs            rewrites every block of README.md and docs/*.md from its result file
//        node bench/figures/render-figures.mjs --check    exits 1 naming each block that differs or whose file is missing,
//                                                          each hand-copied table in the checked sections, and each measured
//                                                          figure outside a block in the README, the wholly checked docs pages
//                                                          and the checked sections (constants: figure-allow-list.mjs)
//        [--readme FILE] (that file alone, checked as the README, for tests)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { handCopiedFigures } from './hand-copied-figures.mjs';
import { renderBytesPerItem } from './renderers/bytes-per-item.mjs';
import { renderConversionUploads } from './renderers/conversion-uploads.mjs';
import { renderFirstRequest } from './renderers/first-request.mjs';
import { renderJourneys } from './renderers/journeys.mjs';
import { renderMutation } from './renderers/mutation.mjs';
import { renderPostgresIngest } from './renderers/postgres-ingest.mjs';
import { renderRacingIdentity } from './renderers/racing-identity.mjs';
import { renderNextOverhead } from './renderers/next-overhead.mjs';
import { renderPeerSdks } from './renderers/peer-sdks.mjs';
import { renderReadApi } from './renderers/read-api.mjs';
import { renderReadModel } from './renderers/read-model.mjs';
import { renderRun } from './renderers/run.mjs';
import { renderWalSoak } from './renderers/wal-soak.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BLOCK = /<!-- figures: (\S+) (\S+) -->\n([\s\S]*?)<!-- \/figures -->/g;

/** Each kind of block: its renderer and the `bench` values its result files may carry. */
const RENDERERS = {
  run: { render: renderRun, benches: ['run'] },
  'read-api': { render: ([r]) => renderReadApi(r), benches: ['read-api'] },
  'wal-soak': { render: renderWalSoak, benches: ['wal-soak', 'run'] },
  'peer-sdks': { render: renderPeerSdks, benches: ['peer-sdks'] },
  'next-overhead': { render: ([r]) => renderNextOverhead(r), benches: ['next-overhead'] },
  'postgres-ingest': { render: renderPostgresIngest, benches: ['run'] },
  'conversion-uploads': { render: ([r]) => renderConversionUploads(r), benches: ['conversion-uploads'] },
  'bytes-per-item': { render: ([r]) => renderBytesPerItem(r), benches: ['bytes-per-item'] },
  journeys: { render: renderJourneys, benches: ['journeys'] },
  'read-model': { render: ([r]) => renderReadModel(r), benches: ['read-model'] },
  'racing-identity': { render: ([r]) => renderRacingIdentity(r), benches: ['racing-identity'] },
  'first-request': { render: ([r]) => renderFirstRequest(r), benches: ['first-request'] },
  mutation: { render: ([r]) => renderMutation(r), benches: ['mutation'] },
};

/** Reads a block's result files; a missing or unreadable file, or one from another bench, is a problem named by its path. */
function readResults(files, benches, root, problems) {
  const results = [];
  for (const file of files) {
    let result;
    try {
      result = JSON.parse(readFileSync(resolve(root, file), 'utf8'));
    } catch (error) {
      problems.push(`${file}: no result behind this block (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    if (!benches.includes(result.bench))
      problems.push(
        `${file}: a result of bench "${result.bench}", not of ${benches.map((b) => `"${b}"`).join(' or ')}`,
      );
    else results.push(result);
  }
  return results.length === files.length ? results : null;
}

/** The README with every block rendered, and the problems found (a missing file, an unknown kind, a result the renderer cannot read). */
export function renderReadme(text, root = ROOT) {
  const problems = [];
  const out = text.replace(BLOCK, (whole, kind, list) => {
    const renderer = RENDERERS[kind];
    if (renderer === undefined) {
      problems.push(`${list}: unknown kind "${kind}" (known: ${Object.keys(RENDERERS).join(', ')})`);
      return whole;
    }
    const results = readResults(list.split(','), renderer.benches, root, problems);
    if (results === null) return whole;
    try {
      return `<!-- figures: ${kind} ${list} -->\n${renderer.render(results)}<!-- /figures -->`;
    } catch (error) {
      problems.push(`${list}: the ${kind} renderer failed (${error instanceof Error ? error.message : String(error)})`);
      return whole;
    }
  });
  return { text: out, problems };
}

/** The files whose blocks are rendered and sections checked: README.md and every docs/*.md, or the one --readme file (as README.md). */
function targets(readme) {
  if (readme !== undefined) return [{ path: resolve(readme), name: 'README.md' }];
  const docs = readdirSync(resolve(ROOT, 'docs')).filter((f) => f.endsWith('.md'));
  return ['README.md', ...docs.map((f) => `docs/${f}`)].map((f) => ({ path: resolve(ROOT, f), name: f }));
}

/** Check mode for one file: its blocks against their results, and its checked sections for hand-copied figures. */
function checkFile(name, before, { text, problems }) {
  const after = [...text.matchAll(BLOCK)];
  const stale = [...before.matchAll(BLOCK)].filter((m, i) => m[0] !== after[i]?.[0]).map((m) => m[2]);
  for (const file of stale)
    problems.push(
      `${file}: the ${name} block differs from what its result renders (edited by hand, or the result changed: run node bench/figures/render-figures.mjs)`,
    );
  return [...problems, ...handCopiedFigures(before, name)];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { check: { type: 'boolean' }, readme: { type: 'string' } } });
  const problems = [];
  let blocks = 0;
  for (const target of targets(values.readme)) {
    const before = readFileSync(target.path, 'utf8');
    const rendered = renderReadme(before);
    blocks += [...before.matchAll(BLOCK)].length;
    if (values.check) problems.push(...checkFile(target.name, before, rendered));
    else {
      problems.push(...rendered.problems);
      if (rendered.text !== before) writeFileSync(target.path, rendered.text);
    }
  }
  for (const p of problems) console.error(`render-figures: ${p}`);
  if (problems.length > 0) process.exit(1);
  console.log(
    values.check
      ? `render-figures: ${blocks} block(s) match their result files`
      : `render-figures: rendered ${blocks} block(s)`,
  );
}

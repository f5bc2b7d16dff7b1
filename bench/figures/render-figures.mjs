// Renders the README's benchmark tables from the result files the benches write, so every figure in a generated block traces to a result.
// A block in README.md looks like:
//   <!-- figures: read-api bench/figures/results/read-api-sqlite.json -->
//   ...generated text, never edited by hand...
//   <!-- /figures -->
// Usage: node bench/figures/render-figures.mjs            rewrites every block from its result file
//        node bench/figures/render-figures.mjs --check    exits 1 naming each block that differs or whose file is missing
//        [--readme FILE] (another README, for tests)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BLOCK = /<!-- figures: (\S+) (\S+) -->\n([\s\S]*?)<!-- \/figures -->/g;

/** The read-api bench's defaults: a result's settings that differ from them are disclosed. */
const READ_API_DEFAULTS = { days: 30, sessionsPerDay: 2000, repeat: 10, latencySamples: 200, mix: 'realistic', latencyOnly: false, readThreadNice: 'default' };

const ms = (n) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : Number(n.toFixed(1)).toString());

function machineLine(r) {
  const m = r.machine;
  return `${m.cpus} x ${m.model}, ${m.memGiB} GiB, Node ${m.node.replace(/^v/, '')}, load average ${m.load1.toFixed(1)} at the end of the run`;
}

function nonDefault(settings, defaults) {
  const changed = Object.entries(defaults).filter(([k, v]) => settings[k] !== undefined && settings[k] !== v).map(([k]) => `${k} ${settings[k]}`);
  return changed.length === 0 ? 'none' : changed.join(', ');
}

/** bench/read-api.mjs: one table of reads (p50/p95 against targets) and one of ingest latency under queries. */
function renderReadApi(r) {
  const s = r.settings;
  const d = r.data;
  const size = d.bytesPerItem === null ? '' : `, ${(d.bytes / 2 ** 30).toFixed(2)} GiB file, ${d.bytesPerItem} B/item`;
  const lines = [
    `Run ${r.date.slice(0, 16).replace('T', ' ')} UTC, ${machineLine(r)}. ${s.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'}, `
      + `\`touchline demo\` ${s.days} days x ${s.sessionsPerDay.toLocaleString('en-US')} sessions/day (${s.mix} mix): `
      + `${d.items === null ? '?' : d.items.toLocaleString('en-US')} items${size}. Each read ${s.repeat} times in a row over HTTP; `
      + `settings that differ from the bench's defaults: ${nonDefault(s, READ_API_DEFAULTS)}.`,
    '',
    '| read | p50 ms | p95 ms | target (p95) | |',
    '|---|---|---|---|---|',
    ...r.rows.map((row) => `| ${row.name} | ${ms(row.p50)} | ${ms(row.p95)} | < ${row.target} ms | ${row.pass ? 'ok' : 'MISSED'} |`),
  ];
  if (r.latency !== null) {
    const l = r.latency;
    const row = (name, base, loaded, target) => `| ${name} | ${ms(base.p50)} / ${ms(base.p99)} | ${ms(loaded.p50)} / ${ms(loaded.p99)} | < ${target} ms | ${loaded.p99 < target ? 'ok' : 'MISSED'} |`;
    lines.push(
      '',
      `Ingest while 4 linear attribution queries run back to back (${l.with4Queries.queries} answered during the ${l.samples} samples), against the same without queries:`,
      '',
      '| request | no queries p50 / p99 ms | 4 queries p50 / p99 ms | target (p99, with queries) | |',
      '|---|---|---|---|---|',
      row('1-item batch (`POST /api/v1/batch`)', l.baseline.ingest, l.with4Queries.ingest, 50),
      row('`GET /healthz`', l.baseline.health, l.with4Queries.health, 20),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** bench/next-overhead.mjs: `next start` with the Touchline proxy, an empty proxy and none, per page: requests/s, ratios, CPU per request. */
function renderNextOverhead(r) {
  const s = r.settings;
  const n = (x) => Math.round(x).toLocaleString('en-US');
  const lines = [
    `Run ${r.date.slice(0, 16).replace('T', ' ')} UTC, ${machineLine(r)} (at each round: ${r.machine.load1PerRound.map((l) => l.toFixed(1)).join(', ')}). `
      + `Next.js ${s.next}, \`examples/${s.example}\` \`${s.proxyFile}\` (${s.runtime} runtime); ${s.rounds} rotated rounds of ${s.seconds} s per page `
      + `and variant, ${s.connections} connections; ${n(r.delivery.deliveredItems)} items reached the collector stand-in for `
      + `${n(r.delivery.proxiedRequests)} proxied loads. Ratios are medians of same-round ratios (range in brackets).`,
    '',
    '| page | req/s with | req/s empty | req/s without | with/without | empty/without | with/empty | CPU µs/req with / empty / without | target (with/without) | |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...r.rows.map((x) => `| \`${x.page}\` | ${n(x.rpsWith)} | ${n(x.rpsEmpty)} | ${n(x.rpsWithout)} | ${x.ratio.toFixed(2)} (${x.ratioMin.toFixed(2)}-${x.ratioMax.toFixed(2)}) | `
      + `${x.emptyRatio.toFixed(2)} | ${x.touchlineRatio.toFixed(2)} | ${n(x.cpuMicrosWith)} / ${n(x.cpuMicrosEmpty)} / ${n(x.cpuMicrosWithout)} | `
      + `>= ${x.target} | ${x.pass ? 'ok' : 'MISSED'} |`),
    '',
    `\`touchlineNext\` by itself, called in the bench's process with the same requests: ${r.inProcess.touchlineMicros.toFixed(0)} µs per request `
      + `(delivery to a stub included), against ${r.inProcess.floorMicros.toFixed(0)} µs for a function that only returns the continue Response.`,
  ];
  return `${lines.join('\n')}\n`;
}

const RENDERERS = { 'read-api': renderReadApi, 'next-overhead': renderNextOverhead };

/** The README with every block rendered, and the problems found (a missing file, an unknown kind). */
export function renderReadme(text, root = ROOT) {
  const problems = [];
  const out = text.replace(BLOCK, (whole, kind, file) => {
    const render = RENDERERS[kind];
    if (render === undefined) { problems.push(`${file}: unknown kind "${kind}" (known: ${Object.keys(RENDERERS).join(', ')})`); return whole; }
    let result;
    try {
      result = JSON.parse(readFileSync(resolve(root, file), 'utf8'));
    } catch (error) {
      problems.push(`${file}: no result behind this block (${error instanceof Error ? error.message : String(error)})`);
      return whole;
    }
    return `<!-- figures: ${kind} ${file} -->\n${render(result)}<!-- /figures -->`;
  });
  return { text: out, problems };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { check: { type: 'boolean' }, readme: { type: 'string' } } });
  const path = resolve(values.readme ?? resolve(ROOT, 'README.md'));
  const before = readFileSync(path, 'utf8');
  const { text, problems } = renderReadme(before);
  const blocks = [...before.matchAll(BLOCK)].length;
  if (values.check) {
    const stale = [...before.matchAll(BLOCK)].filter((m, i) => m[0] !== [...text.matchAll(BLOCK)][i]?.[0]).map((m) => m[2]);
    for (const file of stale) problems.push(`${file}: the README block differs from what its result renders (edited by hand, or the result changed: run node bench/figures/render-figures.mjs)`);
    for (const p of problems) console.error(`render-figures: ${p}`);
    if (problems.length > 0) process.exit(1);
    console.log(`render-figures: ${blocks} block(s) match their result files`);
  } else {
    for (const p of problems) console.error(`render-figures: ${p}`);
    writeFileSync(path, text);
    console.log(`render-figures: rendered ${blocks} block(s) into ${path}`);
    if (problems.length > 0) process.exit(1);
  }
}

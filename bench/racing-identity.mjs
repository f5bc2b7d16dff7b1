// Bench: what the minted-id cookie (DESIGN.md L10) costs resolveIdentity on a settled navigation, as a same-run ratio; --out writes a result file.
import { parseArgs } from 'node:util';
import { parseSessionSettings, resolveIdentity } from '../packages/core/dist/index.js';
import { visitorTag } from '../packages/core/dist/session/identity-cookies.js';
import { machine, writeResult } from './figures/result-file.mjs';

// Usage: node bench/racing-identity.mjs [--out FILE]   (after npm run build; --out writes the result file the README's
// "Tabs opened together" block is rendered from)
const { values: args } = parseArgs({ options: { out: { type: 'string' } } });
const DEFAULTS = { rounds: 9, warmupRounds: 2, callsPerRound: 50_000 };
const startedAt = new Date().toISOString();

const settings = parseSessionSettings({});
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const url = new URL('https://shop.example/p');
const vid = '019aef12-3456-7abc-8def-0123456789ab';
const ghost = '019aef12-3456-7abc-8def-0123456789ac';
const tag = visitorTag(vid);
const app = 'session=abc123; _ga=GA1.2.3.4; theme=dark';
/** The baseline: the jar a visitor had before minted-id cookies (what every pre-L10 browser still sends). */
const JARS = {
  'no tl_m (baseline)': `${app}; tl_vid=${vid}; tl_s1=-.${tag}; tl_act=1`,
  'tl_m, one visitor': `${app}; tl_vid=${vid}; tl_m${tag}=${vid}; tl_s1=-.${tag}; tl_act=1`,
  'after a race, alias sent': `${app}; tl_vid=${ghost}; tl_m${tag}=${vid}; tl_m${visitorTag(ghost)}=${ghost}; tl_x${visitorTag(ghost)}_${tag}=1; tl_s1=-.${visitorTag(ghost)}; tl_act=1`,
};
const isBot = () => false;

function nsPerCall(cookieHeader, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++)
    resolveIdentity({ cookieHeader, kind: 'navigation', url, userAgent: UA, now: 1, settings, isBot });
  return Number(process.hrtime.bigint() - start) / n;
}

// Interleaved rounds, the first two dropped as warm-up, median of the rest: the machine is shared, so only ratios inside one
// round mean anything, and each jar's ratio is the median of its same-round ratios to the baseline.
const names = Object.keys(JARS);
const rounds = [];
for (let r = 0; r < DEFAULTS.rounds; r++) {
  const round = Object.fromEntries(
    Object.entries(JARS).map(([name, jar]) => [name, nsPerCall(jar, DEFAULTS.callsPerRound)]),
  );
  if (r >= DEFAULTS.warmupRounds) rounds.push(round);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const jars = names.map((name) => ({
  name,
  nsPerNavigation: median(rounds.map((round) => round[name])),
  ratio: median(rounds.map((round) => round[name] / round[names[0]])),
  ratioRange: [
    Math.min(...rounds.map((round) => round[name] / round[names[0]])),
    Math.max(...rounds.map((round) => round[name] / round[names[0]])),
  ],
}));
for (const j of jars)
  console.log(`${j.name.padEnd(26)} ${j.nsPerNavigation.toFixed(0).padStart(6)} ns/navigation  x${j.ratio.toFixed(2)}`);
if (args.out !== undefined) {
  const path = writeResult(args.out, {
    bench: 'racing-identity',
    date: startedAt,
    machine: machine(),
    settings: DEFAULTS,
    defaults: DEFAULTS,
    jars,
    rounds,
  });
  console.log(`result: ${path}`);
}

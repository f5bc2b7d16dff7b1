// Bench: what the minted-id cookie (DESIGN.md L10) costs resolveIdentity on a settled navigation, as a same-run ratio.
import { parseSessionSettings, resolveIdentity } from '../packages/core/dist/index.js';
import { visitorTag } from '../packages/core/dist/session/identity-cookies.js';

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

// Interleaved rounds, median of 7: the machine is shared, so only ratios inside one round mean anything.
const rounds = Object.fromEntries(Object.keys(JARS).map((k) => [k, []]));
for (let r = 0; r < 9; r++) {
  for (const [name, jar] of Object.entries(JARS)) {
    const ns = nsPerCall(jar, 50_000);
    if (r >= 2) rounds[name].push(ns);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(rounds['no tl_m (baseline)']);
for (const [name, xs] of Object.entries(rounds)) {
  console.log(
    `${name.padEnd(26)} ${median(xs).toFixed(0).padStart(6)} ns/navigation  x${(median(xs) / base).toFixed(2)}`,
  );
}

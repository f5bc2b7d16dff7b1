// Bench: what the beacon routes (view beacon, navigation beacon script) cost requests that are not for them: client.handle() with both paths on vs both off, same run.
import { createClient } from '@touchline/node';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const PER_ROUND = Number(process.env.BENCH_PER_ROUND ?? 50_000);

/** Navigations of a returning visitor and API calls: the requests every app gets, none for a beacon path. */
function requests() {
  const headers = {
    host: 'shop.example',
    'user-agent': CHROME,
    accept: 'text/html',
    'sec-fetch-mode': 'navigate',
    'sec-fetch-dest': 'document',
    cookie: 'tl_vid=0190f7c2-0000-7000-8000-000000000001; tl_s1=-; tl_act=1',
  };
  const api = { ...headers, accept: 'application/json', 'sec-fetch-mode': 'cors', 'sec-fetch-dest': 'empty' };
  return Array.from({ length: 10 }, (_, i) => ({
    method: 'GET',
    url: i % 2 === 0 ? `/products/${i}?ref=home` : `/api/cart/${i}`,
    remoteAddress: '127.0.0.1',
    encrypted: false,
    header: (name) => (i % 2 === 0 ? headers : api)[name],
    appendSetCookie: () => true,
  }));
}

/** No delivery: the cost measured is the request path alone. */
const common = {
  apiKey: 'bench',
  trackPageviews: false,
  reportHealth: false,
  fetch: async () => new Response('{}', { status: 202 }),
};
const on = createClient({ ...common });
const off = createClient({ ...common, viewBeaconPath: false, beaconScriptPath: false });
const list = requests();

function run(client, n) {
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i += 1) client.handle(list[i % list.length]);
  return Number(process.hrtime.bigint() - started) / n;
}

run(on, PER_ROUND);
run(off, PER_ROUND); // warm-up
const ratios = [];
let nsOn = 0;
let nsOff = 0;
for (let r = 0; r < ROUNDS; r += 1) {
  // Alternate which goes first, so drift on a shared machine falls on both.
  const a = r % 2 === 0 ? run(on, PER_ROUND) : null;
  const b = run(off, PER_ROUND);
  const c = a ?? run(on, PER_ROUND);
  ratios.push(b / c);
  nsOn += c;
  nsOff += b;
}
ratios.sort((x, y) => x - y);
const median = ratios[Math.floor(ratios.length / 2)];
console.log(
  `handle() per request: beacon routes on ${(nsOn / ROUNDS).toFixed(0)} ns, off ${(nsOff / ROUNDS).toFixed(0)} ns`,
);
console.log(
  `throughput ratio on/off (median of ${ROUNDS} rounds, 1.00 = no cost): ${median.toFixed(3)} (range ${ratios[0].toFixed(3)}-${ratios[ratios.length - 1].toFixed(3)})`,
);
await on.close();
await off.close();

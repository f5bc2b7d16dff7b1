// Bench: requests/s and CPU per request of `next start` serving the Next.js example's pages with its Touchline proxy, an empty proxy and none, rotated in one run.
// Usage: npm run build && node bench/next-overhead.mjs [--example next16-app] [--pages /hello,/about] [--rounds 6] [--seconds 5]
//        [--connections 10] [--reuse-build] [--out bench/figures/results/next-overhead.json]
// Builds three copies of the example under examples/<example>/.bench/ (its proxy.ts or middleware.ts, an empty one, none),
// starts each with `next start`, sends every pageview to a collector stand-in, and drives them with autocannon in rotated
// rounds; then times touchlineNext alone in this process. --example next-app measures Next 15's middleware.ts (edge runtime).
import { execFileSync, fork, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SINK = join(ROOT, 'bench/apps/collector-sink.mjs');
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36';
const PROXY_FILES = ['proxy.ts', 'middleware.ts'];

const { values: opts } = parseArgs({
  options: {
    example: { type: 'string', default: 'next16-app' },
    pages: { type: 'string', default: '/hello,/about' },
    rounds: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    'reuse-build': { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/figures/results/next-overhead.json' },
  },
});
const settings = {
  example: opts.example,
  pages: opts.pages.split(',').filter(Boolean),
  rounds: Number(opts.rounds),
  seconds: Number(opts.seconds),
  connections: Number(opts.connections),
};
for (const [name, value] of Object.entries({
  rounds: settings.rounds,
  seconds: settings.seconds,
  connections: settings.connections,
})) {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a whole number >= 1, got ${JSON.stringify(opts[name])}`);
}

const APP = join(ROOT, 'examples', settings.example);
const proxyFile = PROXY_FILES.find((f) => existsSync(join(APP, f)));
if (proxyFile === undefined)
  throw new Error(`examples/${settings.example} has none of ${PROXY_FILES.join(', ')}: nothing to compare`);
// The example's own Next.js (Next 16 is installed inside examples/next16-app), else the workspace's.
const NEXT_BIN = [join(APP, 'node_modules/next/dist/bin/next'), join(ROOT, 'node_modules/next/dist/bin/next')].find(
  (p) => existsSync(p),
);
const nextVersion = JSON.parse(readFileSync(join(NEXT_BIN, '../../../package.json'), 'utf8')).version;

/** What an empty proxy of the same file, export name and matcher looks like: the floor Next.js itself adds. */
function emptyProxy(source) {
  const config = /export const config = [^\n]*;/.exec(source)?.[0] ?? '';
  const name = proxyFile.replace(/\.ts$/, '');
  return (
    `// Bench floor: the example's ${proxyFile} with nothing in it but NextResponse.next(), same matcher.\n` +
    `import { NextResponse } from 'next/server';\n\nexport function ${name}() {\n  return NextResponse.next();\n}\n\n${config}\n`
  );
}

/**
 * A copy of the example in one variant (`with` its proxy, an `empty` proxy, `without` one), inside
 * the example's folder so it resolves the same Next.js, React and @touchline/node. Sources only:
 * no test file, no earlier build.
 */
function prepareCopy(variant) {
  const dir = join(APP, '.bench', variant);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const entry of readdirSync(APP)) {
    if (['node_modules', '.next', '.bench', 'cache', 'next-env.d.ts'].includes(entry) || entry.endsWith('.test.ts'))
      continue;
    if (variant !== 'with' && entry === proxyFile) continue;
    cpSync(join(APP, entry), join(dir, entry), { recursive: true });
  }
  if (variant === 'empty') writeFileSync(join(dir, proxyFile), emptyProxy(readFileSync(join(APP, proxyFile), 'utf8')));
  return dir;
}

function runNext(dir, args, env = {}, ready = undefined) {
  const child = spawn(process.execPath, [NEXT_BIN, ...args], {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const done = new Promise((resolveDone, reject) => {
    const onData = (chunk) => {
      output += chunk.toString('utf8');
      if (ready?.test(output)) resolveDone(output);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) =>
      code === 0 ? resolveDone(output) : reject(new Error(`next ${args[0]} in ${dir} exited ${code}:\n${output}`)),
    );
  });
  return { child, done, output: () => output };
}

async function startSink() {
  const child = fork(SINK, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { url } = await new Promise((resolveUrl, reject) => {
    child.once('message', resolveUrl);
    child.once('error', reject);
  });
  const items = () =>
    new Promise((resolveItems) => {
      const onMessage = (msg) => {
        if (msg.items !== undefined) {
          child.off('message', onMessage);
          resolveItems(msg.items);
        }
      };
      child.on('message', onMessage);
      child.send('items');
    });
  return { url, items, close: () => child.kill() };
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address();
        server.close(() => resolvePort(port));
      })
      .on('error', reject);
  });
}

/** The runtime Next.js built the proxy for: Node.js functions are listed in functions-config-manifest, edge ones in middleware-manifest. */
function proxyRuntime(dir) {
  const read = (name) => {
    try {
      return JSON.parse(readFileSync(join(dir, '.next/server', name), 'utf8'));
    } catch {
      return {};
    }
  };
  const node = read('functions-config-manifest.json').functions?.['/_middleware']?.runtime;
  if (node !== undefined) return node;
  return Object.keys(read('middleware-manifest.json').middleware ?? {}).length > 0 ? 'edge' : 'none';
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU seconds (user + system) used so far by a process and its descendants, from /proc (Linux). */
function treeCpuSeconds(rootPid) {
  const stats = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which sits in parentheses and may hold spaces.
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      /* the process ended while we looked */
    }
  }
  let ticks = 0;
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.pop();
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) queue.push(child);
  }
  return ticks / CLOCK_TICKS;
}

/** 9 of 10 requests are a returning visitor's document loads, 1 is a first visit that mints identity (as bench/middleware-overhead.mjs). */
function requestsFor(path) {
  const nav = {
    'sec-fetch-mode': 'navigate',
    'sec-fetch-dest': 'document',
    'sec-fetch-site': 'none',
    accept: 'text/html',
    'user-agent': CHROME,
  };
  const returning = { ...nav, cookie: 'tl_vid=0190f7c2-0000-7000-8000-000000000001; tl_s1=-; tl_act=1' };
  return [
    ...Array.from({ length: 9 }, () => ({ method: 'GET', path, headers: returning })),
    { method: 'GET', path: `${path}?utm_source=bench&utm_medium=cpc`, headers: nav },
  ];
}

async function round(server, path, seconds) {
  const cpuBefore = treeCpuSeconds(server.child.pid);
  const result = await autocannon({
    url: server.origin,
    connections: settings.connections,
    duration: seconds,
    requests: requestsFor(path),
  });
  const cpu = treeCpuSeconds(server.child.pid) - cpuBefore;
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `${server.variant} ${path}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return {
    rps: result.requests.average,
    total: result.requests.total,
    p99: result.latency.p99,
    cpuMicrosPerRequest: (cpu * 1e6) / result.requests.total,
  };
}

/** The proxy answers a first document load with identity cookies; the bare copy must not, or the comparison is void. */
async function checkVariant(server, path) {
  // node:http, not fetch: fetch sets Sec-Fetch-Mode itself, and a cors request is no navigation.
  const { status, cookies } = await new Promise((resolveCheck, reject) => {
    http
      .get(`${server.origin}${path}`, { headers: requestsFor(path)[9].headers }, (res) => {
        res.resume();
        res.on('end', () =>
          resolveCheck({
            status: res.statusCode,
            cookies: (res.headers['set-cookie'] ?? []).filter((c) => c.startsWith('tl_')),
          }),
        );
      })
      .on('error', reject);
  });
  if (status !== 200) throw new Error(`${server.variant} ${path}: status ${status}`);
  if ((server.variant === 'with') !== cookies.length > 0)
    throw new Error(
      `${server.variant} ${path}: ${cookies.length} Touchline cookies, the variant is not what it claims`,
    );
}

/**
 * touchlineNext alone, called in this process with Web Requests like the load's, against a floor that
 * only builds the continue Response: Touchline's own CPU per request (delivery to a stub included),
 * which the loaded machine disturbs far less than a whole `next start`.
 */
async function inProcessCost() {
  const { createClient } = await import('@touchline/node');
  const { touchlineNext } = await import('@touchline/node/next');
  const client = createClient({ apiKey: 'bench', fetch: async () => new Response('{}', { status: 202 }) });
  const proxy = touchlineNext(client);
  const floor = async () => new Response(null, { headers: { 'x-middleware-next': '1' } });
  const list = requestsFor('/hello').map(
    (r) => new Request(`http://localhost:3000${r.path}`, { headers: { host: '127.0.0.1:3000', ...r.headers } }),
  );
  const run = async (fn, n) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i += 1) (await fn(list[i % list.length])).headers.get('set-cookie');
    return Number(process.hrtime.bigint() - started) / n / 1000;
  };
  await run(proxy, 20_000);
  await run(floor, 20_000);
  const rounds = [];
  for (let r = 0; r < 6; r += 1) rounds.push({ touchline: await run(proxy, 20_000), floor: await run(floor, 20_000) });
  await client.close({ timeoutMs: 1000 });
  return { touchlineMicros: median(rounds.map((x) => x.touchline)), floorMicros: median(rounds.map((x) => x.floor)) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const VARIANTS = ['with', 'empty', 'without'];

/** Builds (unless reused) and starts one `next start` per variant, all sending to the sink. */
async function startServers(sinkUrl, servers, buildMs) {
  for (const variant of VARIANTS) {
    const dir = join(APP, '.bench', variant);
    if (!opts['reuse-build'] || !existsSync(join(dir, '.next'))) {
      prepareCopy(variant);
      const started = Date.now();
      await runNext(dir, ['build']).done;
      buildMs[variant] = Date.now() - started;
      console.log(`built ${settings.example} (${variant} proxy) in ${(buildMs[variant] / 1000).toFixed(0)} s`);
    }
    const port = await freePort();
    const env = { TOUCHLINE_KEY: 'bench', TOUCHLINE_ENDPOINT: sinkUrl, TOUCHLINE_DEBUG: '0' };
    const run = runNext(dir, ['start', '-p', String(port), '-H', '127.0.0.1'], env, /Ready in/);
    servers.push({ variant, child: run.child, origin: `http://127.0.0.1:${port}` });
    await run.done;
  }
}

/** Rounds of every page on every server; the order of the servers rotates each round, so drift on a shared machine falls on all. */
async function measureRounds(servers) {
  const load = [os.loadavg()[0]];
  const runs = Object.fromEntries(settings.pages.map((p) => [p, Object.fromEntries(VARIANTS.map((v) => [v, []]))]));
  let proxiedRequests = 0;
  for (let r = 0; r < settings.rounds; r += 1) {
    const order = servers.map((_, i) => servers[(i + r) % servers.length]);
    for (const path of settings.pages) {
      const got = {};
      for (const server of order) got[server.variant] = await round(server, path, settings.seconds);
      proxiedRequests += got.with.total;
      for (const v of VARIANTS) runs[path][v].push(got[v]);
      console.log(
        `round ${r + 1} ${path}: ${VARIANTS.map((v) => `${v} ${got[v].rps.toFixed(0)} req/s ${got[v].cpuMicrosPerRequest.toFixed(0)} µs`).join(', ')}; ` +
          `with/without ${(got.with.rps / got.without.rps).toFixed(3)}`,
      );
    }
    load.push(os.loadavg()[0]);
  }
  return { runs, load, proxiedRequests };
}

/** Medians per variant, and the per-round ratios: with/without (the target), empty/without (Next.js's own floor), with/empty (Touchline's part). */
function summarize(path, byVariant) {
  const per = Object.fromEntries(
    VARIANTS.map((v) => [
      v,
      {
        rps: median(byVariant[v].map((x) => x.rps)),
        cpuMicros: median(byVariant[v].map((x) => x.cpuMicrosPerRequest)),
        p99: median(byVariant[v].map((x) => x.p99)),
      },
    ]),
  );
  const ratios = (a, b) => byVariant[a].map((x, i) => x.rps / byVariant[b][i].rps).sort((x, y) => x - y);
  const withWithout = ratios('with', 'without');
  return {
    page: path,
    rpsWith: per.with.rps,
    rpsEmpty: per.empty.rps,
    rpsWithout: per.without.rps,
    cpuMicrosWith: per.with.cpuMicros,
    cpuMicrosEmpty: per.empty.cpuMicros,
    cpuMicrosWithout: per.without.cpuMicros,
    p99With: per.with.p99,
    p99Empty: per.empty.p99,
    p99Without: per.without.p99,
    ratio: median(withWithout),
    ratioMin: withWithout[0],
    ratioMax: withWithout[withWithout.length - 1],
    emptyRatio: median(ratios('empty', 'without')),
    touchlineRatio: median(ratios('with', 'empty')),
    target: 0.85,
    pass: median(withWithout) >= 0.85,
  };
}

function report(rows, runtime, delivered, proxiedRequests, load) {
  console.log(
    `\nNext.js ${nextVersion}, examples/${settings.example}: its ${proxyFile} (${runtime} runtime), an empty one, none; ` +
      `${settings.rounds} rotated rounds of ${settings.seconds} s, ${settings.connections} connections`,
  );
  console.log(
    '| page | req/s with / empty / without | with/without (median, range) | empty/without | with/empty | CPU µs/req with / empty / without | |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const x of rows) {
    console.log(
      `| ${x.page} | ${x.rpsWith.toFixed(0)} / ${x.rpsEmpty.toFixed(0)} / ${x.rpsWithout.toFixed(0)} | ${x.ratio.toFixed(2)} (${x.ratioMin.toFixed(2)}-${x.ratioMax.toFixed(2)}) | ` +
        `${x.emptyRatio.toFixed(2)} | ${x.touchlineRatio.toFixed(2)} | ${x.cpuMicrosWith.toFixed(0)} / ${x.cpuMicrosEmpty.toFixed(0)} / ${x.cpuMicrosWithout.toFixed(0)} | ` +
        `${x.pass ? 'ok' : 'MISSED'} (target >= ${x.target}) |`,
    );
  }
  console.log(
    `items delivered to the collector stand-in: ${delivered} for ${proxiedRequests} proxied document loads; load average ${load.map((l) => l.toFixed(1)).join(' -> ')}`,
  );
}

async function main() {
  const sink = await startSink();
  const servers = [];
  const buildMs = {};
  try {
    await startServers(sink.url, servers, buildMs);
    const runtime = proxyRuntime(join(APP, '.bench', 'with'));
    if (runtime === 'none') throw new Error(`the "with" build of ${settings.example} has no proxy: nothing to compare`);
    for (const server of servers) for (const path of settings.pages) await checkVariant(server, path);
    // Warm-up: JIT, route caches, keep-alive agents; then let its last batches arrive before counting.
    for (const server of servers) for (const path of settings.pages) await round(server, path, 2);
    await new Promise((r) => setTimeout(r, 2000));
    const itemsBefore = await sink.items();
    const { runs, load, proxiedRequests } = await measureRounds(servers);
    // Let the proxy's last batches arrive, then compare what reached the collector with what was served.
    await new Promise((r) => setTimeout(r, 3000));
    const delivered = (await sink.items()) - itemsBefore;
    const rows = settings.pages.map((path) => summarize(path, runs[path]));
    report(rows, runtime, delivered, proxiedRequests, load);
    const inProcess = await inProcessCost();
    console.log(
      `touchlineNext in-process: ${inProcess.touchlineMicros.toFixed(1)} µs per request, floor (continue Response only) ${inProcess.floorMicros.toFixed(1)} µs`,
    );

    const out = resolve(ROOT, opts.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify(
        {
          bench: 'next-overhead',
          date: new Date().toISOString(),
          machine: {
            cpus: os.cpus().length,
            model: os.cpus()[0]?.model ?? 'cpu',
            memGiB: Math.round(os.totalmem() / 2 ** 30),
            node: process.version,
            load1: os.loadavg()[0],
            load1PerRound: load,
          },
          settings: { ...settings, next: nextVersion, proxyFile, runtime, buildMs },
          delivery: { proxiedRequests, deliveredItems: delivered },
          inProcess,
          rows,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`wrote ${opts.out}`);
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
    sink.close();
  }
}

await main();

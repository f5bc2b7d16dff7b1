// Packs every publishable package, installs the tarballs into an empty folder outside the repository, and uses them as a user would.
// Usage: node scripts/test-packed-install.mjs   (after `npm run build`; needs the npm registry for third-party dependencies)
// Checks: `touchline keys create` and `touchline serve` from the installed bin, an Express app importing
// @touchline/node whose items reach that collector, and tsc on a consumer file with node16 and bundler resolution.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WORKSPACES = ['core', 'node', 'storage', 'attribution', 'server', 'probe', 'dashboard', 'cli'];
const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

function log(message) {
  process.stderr.write(`[packed-install] ${message}\n`);
}

function run(command, args, cwd, extra = {}) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...extra });
}

function pack(into) {
  const args = ['pack', '--json', '--pack-destination', into, ...WORKSPACES.flatMap((w) => ['-w', `packages/${w}`])];
  return JSON.parse(run('npm', args, ROOT)).map((p) => join(into, p.filename));
}

/** The user's folder: the tarballs plus what a user brings (Express, TypeScript, Node types). */
function install(app, tarballs) {
  const dev = rootPackage.devDependencies;
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'touchline-user', private: true, type: 'module' }, null, 2),
  );
  const wanted = [
    ...tarballs,
    `express@${dev.express}`,
    `typescript@${dev.typescript}`,
    `@types/node@${dev['@types/node']}`,
    `@types/express@${dev['@types/express']}`,
  ];
  run('npm', ['install', '--no-audit', '--no-fund', ...wanted], app, { stdio: ['ignore', 'inherit', 'inherit'] });
}

function freePort() {
  return 20000 + Math.floor(Math.random() * 20000);
}

async function waitFor(check, what, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// node:http rather than fetch: fetch (undici) overwrites sec-fetch-mode, and only navigations mint identity.
const SHOP = `import { get } from 'node:http';
import express from 'express';
import { createClient } from '@touchline/node';
import { touchlineExpress } from '@touchline/node/express';
const touchline = createClient({ apiKey: process.env.TOUCHLINE_KEY, endpoint: process.env.TOUCHLINE_ENDPOINT, batch: { flushIntervalMs: 100 },
  onError: (error) => { console.error('[shop]', error.message); process.exitCode = 1; } });
const app = express();
app.use(touchlineExpress(touchline));
app.get('/', (req, res) => { touchline.event('landing_seen', { from: 'packed-install' }); res.send('home'); });
app.get('/buy', (req, res) => { touchline.conversion('purchase', { revenue: 42, currency: 'EUR' }); res.send('thanks'); });
const nav = { accept: 'text/html,application/xhtml+xml', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36' };
const visit = (url, headers) => new Promise((resolve, reject) => get(url, { headers }, (res) => { res.resume(); res.on('end', () => resolve(res)); }).on('error', reject));
const server = app.listen(0, '127.0.0.1', async () => {
  const base = 'http://127.0.0.1:' + server.address().port;
  const first = await visit(base + '/?utm_source=newsletter&utm_medium=email', nav);
  const cookie = (first.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  await visit(base + '/buy', { ...nav, cookie });
  await touchline.close({ timeoutMs: 10000 });
  server.close();
  server.closeAllConnections();
});
`;

const CONSUMER = `import { createClient } from '@touchline/node';
import { touchlineExpress } from '@touchline/node/express';
import { withTouchline } from '@touchline/node/http';
const client = createClient({ apiKey: 'tl_test_x', endpoint: 'http://127.0.0.1:8710' });
const middleware = touchlineExpress(client);
const handler = withTouchline(client, (_req, res) => { res.end('ok'); });
client.event('typed', { ok: true });
// @ts-expect-error: conversion needs a name
client.conversion();
export { middleware, handler };
`;

function typecheck(app) {
  const base = { strict: true, noEmit: true, skipLibCheck: false, target: 'es2022', types: ['node'] };
  const configs = {
    'tsconfig.node16.json': { ...base, module: 'node16', moduleResolution: 'node16' },
    'tsconfig.bundler.json': { ...base, module: 'esnext', moduleResolution: 'bundler' },
  };
  writeFileSync(join(app, 'consumer.ts'), CONSUMER);
  for (const [file, compilerOptions] of Object.entries(configs)) {
    writeFileSync(join(app, file), JSON.stringify({ compilerOptions, files: ['consumer.ts'] }, null, 2));
    run(join(app, 'node_modules', '.bin', 'tsc'), ['-p', file], app, { stdio: ['ignore', 'inherit', 'inherit'] });
    log(`tsc ${compilerOptions.moduleResolution}: ok`);
  }
}

async function serveAndSend(app) {
  const bin = join(app, 'node_modules', '.bin', 'touchline');
  const db = join(app, 'touchline.db');
  const created = JSON.parse(run(bin, ['keys', 'create', '--account', 'shop', '--db', db, '--json'], app));
  log(`touchline keys create: ${created.key.slice(0, 12)}…`);
  const port = freePort();
  // detached: npx starts touchline as a child, so the whole process group is stopped at the end.
  const serve = spawn('npx', ['touchline', 'serve', '--db', db, '--port', String(port)], {
    cwd: app,
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  try {
    const endpoint = `http://127.0.0.1:${port}`;
    await waitFor(async () => ((await fetch(`${endpoint}/readyz`)).ok ? true : undefined), 'touchline serve /readyz');
    log('npx touchline serve: ready');
    run(process.execPath, ['shop.mjs'], app, {
      env: { ...process.env, TOUCHLINE_KEY: created.key, TOUCHLINE_ENDPOINT: endpoint },
    });
    const stats = await waitFor(async () => {
      const body = await (
        await fetch(`${endpoint}/api/v1/stats?from=0`, { headers: { authorization: `Bearer ${created.key}` } })
      ).json();
      return JSON.stringify(body).includes('"conversions":1') ? body : undefined;
    }, 'the shop items in /api/v1/stats');
    log(`items arrived: ${JSON.stringify(stats)}`);
  } finally {
    process.kill(-serve.pid, 'SIGTERM');
  }
}

async function main() {
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'touchline-packed-'));
  try {
    const app = join(work, 'app');
    mkdirSync(app);
    const tarballs = pack(work);
    log(`packed ${tarballs.length} packages`);
    install(app, tarballs);
    writeFileSync(join(app, 'shop.mjs'), SHOP);
    typecheck(app);
    await serveAndSend(app);
    log(`passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    if (process.env.TOUCHLINE_KEEP_PACKED === undefined) rmSync(work, { recursive: true, force: true });
  }
}

await main();

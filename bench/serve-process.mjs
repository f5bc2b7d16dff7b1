// Bench helper: a real `touchline serve` child process for a bench to load, the API key it is loaded with, and the URL it listens on.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** This checkout's CLI; a bench comparing builds passes another checkout's as `bin`. */
export const TOUCHLINE_BIN = fileURLToPath(new URL('../packages/cli/bin/touchline.mjs', import.meta.url));

/** Creates an account and a live key in `db` (`touchline keys create --json`); returns the secret key. */
export function createKey(db, { bin = TOUCHLINE_BIN, account = 'bench' } = {}) {
  const run = spawnSync(process.execPath, [bin, 'keys', 'create', '--account', account, '--db', db, '--json'], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`touchline keys create failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout).key;
}

/**
 * Spawns `touchline serve --port 0 --db DB [args]` with `env` added to this process's environment.
 * stdout is piped (listeningUrl reads it); stderr goes to this process's unless `stderr: 'pipe'`.
 */
export function spawnServe(db, { bin = TOUCHLINE_BIN, env = {}, stderr = 'inherit', args = [] } = {}) {
  return spawn(process.execPath, [bin, 'serve', '--port', '0', '--db', db, ...args], {
    stdio: ['ignore', 'pipe', stderr],
    env: { ...process.env, ...env },
  });
}

/**
 * Resolves with the URL a serve child prints ("listening on URL"); rejects when it exits first,
 * the message ending with `detail()` (for example its piped stderr), so a bench never waits forever.
 */
export function listeningUrl(child, detail = () => '') {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`touchline serve exited with ${code}${detail()}`)));
  });
}

/** SIGTERM, resolved when the child has exited. */
export function stopGracefully(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

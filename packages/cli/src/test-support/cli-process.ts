// Test helpers that run the built `touchline` executable as a user would: one-shot commands, serve as a child process, batch posts.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { newId } from '@touchline/core';

export const BIN = fileURLToPath(new URL('../../bin/touchline.mjs', import.meta.url));

export function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A key created with `touchline keys create --json` on `db`. */
export function createKey(db: string, account = 'shop'): { key: string; key_id: string } {
  const created = cli('keys', 'create', '--account', account, '--db', db, '--json');
  if (created.code !== 0) throw new Error(`keys create failed (${created.code}): ${created.stderr}`);
  return JSON.parse(created.stdout) as { key: string; key_id: string };
}

/** Starts `touchline serve --port 0 --db <db> ...extra`; resolves with its URL and what it printed up to then, once it listens. The caller kills it. */
export function serve(
  db: string,
  children: ChildProcess[],
  extra: string[] = [],
): Promise<{ child: ChildProcess; url: string; output: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 15_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: out });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited ${code}: ${out}`));
    });
  });
}

/** POSTs one batch; resolves with the HTTP status. */
export async function post(url: string, key: string, items: unknown[]): Promise<number> {
  const res = await fetch(`${url}/api/v1/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      batch_id: newId(),
      sent_at: new Date().toISOString(),
      sdk: { name: 't', version: '0' },
      items,
    }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Polls `fn` every 100 ms until `ok` or `ms` pass; returns the last value either way. */
export async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let last = await fn();
  while (!ok(last) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    last = await fn();
  }
  return last;
}

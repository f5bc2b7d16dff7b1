// `touchline admin set-password` and the dashboard served by `touchline serve`, run as the built executable.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/touchline.mjs', import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'touchline-admin-'));
  dirs.push(dir);
  return join(dir, 'touchline.db');
}

const cli = (input: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input,
    timeout: 20_000,
    env: { ...process.env, TOUCHLINE_ADMIN_PASSWORD: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

function serve(db: string, env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', db], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TOUCHLINE_ADMIN_PASSWORD: '', ...env },
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 15_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited ${code}: ${out}`));
    });
  });
}

const login = (url: string, password: string) =>
  fetch(`${url}/dashboard/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ password }),
  });

describe('touchline admin set-password', () => {
  it('stores a hash the served dashboard accepts; before it, the dashboard asks for one', async () => {
    const db = tempDb();
    const before = await serve(db);
    expect(await (await fetch(`${before}/dashboard/api/session`)).json()).toMatchObject({ state: 'setup' });
    const page = await fetch(`${before}/`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('/dashboard/assets/app/main.js');
    expect((await fetch(`${before}/dashboard/assets/app/main.js`)).status).toBe(200);
    expect((await fetch(`${before}/dashboard/assets/uplot.js`)).status).toBe(200);

    const set = cli('a long passphrase\n', 'admin', 'set-password', '--db', db);
    expect(set).toMatchObject({ code: 0, stdout: expect.stringContaining('Admin password set') });
    expect((await login(before, 'a long passphrase')).status).toBe(200);
    expect((await login(before, 'a long passphrase!')).status).toBe(401);
  });

  it('a sign-in survives a restart of the collector (sessions live in the database); a password change and "sign out everywhere" end them all', async () => {
    const db = tempDb();
    cli('a long passphrase\n', 'admin', 'set-password', '--db', db);
    const first = await serve(db);
    const signIn = async (url: string) => {
      const res = await login(url, 'a long passphrase');
      expect(res.status).toBe(200);
      const { csrf_token: csrf } = (await res.json()) as { csrf_token: string };
      return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] as string, csrf };
    };
    const state = async (url: string, cookie: string) =>
      ((await (await fetch(`${url}/dashboard/api/session`, { headers: { cookie } })).json()) as { state: string })
        .state;
    const a = await signIn(first);
    (children.pop() as ChildProcess).kill('SIGKILL');
    const second = await serve(db);
    expect(await state(second, a.cookie)).toBe('signed_in');
    expect(cli('another long passphrase\n', 'admin', 'set-password', '--db', db)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('1 dashboard session(s) signed out'),
    });
    expect(await state(second, a.cookie)).toBe('signed_out');

    cli('a long passphrase\n', 'admin', 'set-password', '--db', db);
    const b = await signIn(second);
    const c = await signIn(second);
    const everywhere = await fetch(`${second}/dashboard/api/logout-everywhere`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: second, cookie: b.cookie, 'x-csrf-token': b.csrf },
      body: '{}',
    });
    expect(await everywhere.json()).toEqual({ state: 'signed_out', sessions_signed_out: 2 });
    expect(await state(second, b.cookie)).toBe('signed_out');
    expect(await state(second, c.cookie)).toBe('signed_out');
  });

  it('rejects a short password and an unknown subcommand with usage errors', () => {
    const db = tempDb();
    expect(cli('short\n', 'admin', 'set-password', '--db', db)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('at least 10 characters'),
    });
    expect(cli('', 'admin', 'reset', '--db', db)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown subcommand "reset"'),
    });
  });

  it('lets TOUCHLINE_ADMIN_PASSWORD on serve take precedence', async () => {
    const db = tempDb();
    cli('a long passphrase\n', 'admin', 'set-password', '--db', db);
    const url = await serve(db, { TOUCHLINE_ADMIN_PASSWORD: 'the env passphrase' });
    expect((await login(url, 'a long passphrase')).status).toBe(401);
    expect((await login(url, 'the env passphrase')).status).toBe(200);
  });
});

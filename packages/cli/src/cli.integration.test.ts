// Runs the built `touchline` executable as a user would: keys, serve, kill -9 durability, revocation, usage errors.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import { cli, post, serve as serveProcess, waitFor } from './test-support/cli-process.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'touchline-cli-'));
  dirs.push(dir);
  return join(dir, 'touchline.db');
}

const serve = (db: string): Promise<{ child: ChildProcess; url: string; output: string }> => serveProcess(db, children);
const SQLITE_MIGRATIONS = new URL('../../storage/migrations/sqlite/', import.meta.url);

/** What `touchline serve` printed up to its "listening" line; then stops it. */
async function serveOutput(db: string): Promise<string> {
  const { child, output } = await serve(db);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  return output;
}

const event = (i: number) => ({
  type: 'event',
  id: newId(),
  timestamp: new Date().toISOString(),
  visitor_id: newId(),
  session_id: null,
  context: null,
  name: `e${i}`,
  properties: { i },
});

describe('touchline CLI', () => {
  it('creates a key shown once, stores only its hash, lists and revokes it', () => {
    const db = tempDb();
    const created = cli('keys', 'create', '--account', 'shop', '--test', '--db', db, '--json');
    expect(created.code).toBe(0);
    const {
      key,
      account,
      key_id: keyId,
    } = JSON.parse(created.stdout) as { key: string; account: string; key_id: string };
    expect(account).toBe('shop');
    expect(key).toMatch(/^tl_test_[A-Za-z0-9_-]{43}$/);
    const listed = cli('keys', 'list', '--db', db, '--json');
    expect(listed.stdout).not.toContain(key);
    expect(JSON.parse(listed.stdout).keys).toEqual([
      expect.objectContaining({ key_id: keyId, mode: 'test', revoked_at: null }),
    ]);
    for (const file of [db, `${db}-wal`]) {
      try {
        expect(readFileSync(file).includes(key)).toBe(false);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    expect(cli('keys', 'revoke', keyId, '--db', db).code).toBe(0);
    expect(cli('keys', 'revoke', 'no-such-key', '--db', db).code).toBe(1);
  });

  it('explains bad usage and exits 2', () => {
    const bad = cli('serve', '--port', 'abc');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--port must be an integer/);
    expect(cli('serve', '--retention-days', '0').stderr).toMatch(
      /--retention-days must be a positive integer, got "0"/,
    );
    expect(cli('keys', 'create').stderr).toMatch(/--account NAME is required/);
    expect(cli('keys', 'create', '--account', 'shop (test mode)').stderr).toMatch(
      /is a test-mode account's name; create the key for "shop" with --test/,
    );
    expect(cli('frobnicate').code).toBe(2);
    const hook = cli('serve', '--port', '0', '--db', tempDb(), '--alert-webhook', 'ftp://example.org/hook');
    expect(hook.code).toBe(2);
    expect(hook.stderr).toMatch(/integrity\.webhookUrl: must be an http\(s\) URL/);
  });

  it("prints one command's usage for COMMAND --help and exits 0", () => {
    for (const [command, usage] of [
      ['serve', /^Usage: touchline serve/],
      ['demo', /touchline demo/],
      ['spend', /^Usage: touchline spend import/],
      ['keys', /touchline keys create/],
    ] as const) {
      const r = cli(command, '--help');
      expect([command, r.code]).toEqual([command, 0]);
      expect(r.stdout).toMatch(usage);
      expect(r.stdout).not.toContain('Commands:');
    }
  });

  it('keeps every item it acknowledged with 202 across kill -9 and restart', { timeout: 90_000 }, async () => {
    const db = tempDb();
    const { key } = JSON.parse(cli('keys', 'create', '--account', 'shop', '--db', db, '--json').stdout) as {
      key: string;
    };
    let acked = 0;
    for (let round = 0; round < 3; round++) {
      const { child, url } = await serve(db);
      let alive = true;
      let ackedThisRound = 0;
      const killAfter = 3 + round * 2; // acknowledged batches before the SIGKILL, different each round
      child.once('exit', () => {
        alive = false;
      });
      const sender = async (): Promise<void> => {
        for (let b = 0; b < 40 && alive; b++) {
          const items = Array.from({ length: 50 }, (_, i) => event(i));
          const status = await post(url, key, items).catch(() => 0);
          if (status === 202) {
            acked += items.length;
            ackedThisRound += 1;
            if (ackedThisRound === killAfter) child.kill('SIGKILL'); // other senders are mid-request
          }
        }
      };
      await Promise.all([sender(), sender(), sender(), sender()]);
      if (alive) await new Promise((r) => child.once('exit', r));
    }
    expect(acked).toBeGreaterThan(0);
    // Durable at once: every acknowledged item is in the inbox right after the kill.
    const sqlite = new Database(db, { readonly: true });
    const inboxRows = (sqlite.prepare('SELECT COUNT(*) AS n FROM inbox').get() as { n: number }).n;
    sqlite.close();
    expect(inboxRows).toBeGreaterThanOrEqual(acked);
    // And processed once a restarted collector reclaims the rows the killed worker had leased (10 s lease).
    const { url } = await serve(db);
    const stats = await waitFor(
      async () =>
        (await (await fetch(`${url}/api/v1/stats`, { headers: { authorization: `Bearer ${key}` } })).json()) as {
          events: number;
        },
      (s) => s.events >= acked,
      30_000,
    );
    // >= because a request can be stored and the process killed before its 202 got out.
    expect(stats.events).toBeGreaterThanOrEqual(acked);
  });

  it('prints migration progress: a new database in one line, an upgrade migration by migration', async () => {
    const files = readdirSync(SQLITE_MIGRATIONS)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    const fresh = await serveOutput(tempDb());
    expect(fresh).toContain(`[touchline] new database: applying ${files.length} migrations`);
    expect(fresh).not.toContain('migrating the database');
    // A database from the release before the newest migration: every file but the last applied as the runner does.
    const db = tempDb();
    const old = new Database(db);
    old.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
    );
    for (const f of files.slice(0, -1)) {
      old.exec(readFileSync(new URL(f, SQLITE_MIGRATIONS), 'utf8'));
      old.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(Number.parseInt(f, 10), f, Date.now());
    }
    old.close();
    const last = files.at(-1) ?? '';
    const upgraded = await serveOutput(db);
    expect(upgraded).toContain(`[touchline] migrating the database: ${last} (1 of 1)...`);
    expect(upgraded).toMatch(
      new RegExp(`\\[touchline\\] migrated ${last.replace('.', '\\.')} in \\d+\\.\\d s \\(1 of 1\\)`),
    );
    const ledger = new Database(db, { readonly: true });
    expect(ledger.prepare('SELECT name FROM schema_migrations ORDER BY version').pluck().all()).toEqual(files);
    ledger.close();
  });

  it('shuts down gracefully on SIGTERM: finishes, closes the database, exits 0', async () => {
    const db = tempDb();
    const { key } = JSON.parse(cli('keys', 'create', '--account', 'shop', '--db', db, '--json').stdout) as {
      key: string;
    };
    const { child, url } = await serve(db);
    expect(await post(url, key, [event(0)])).toBe(202);
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toMatch(/Shutting down/);
  });

  it('stops accepting a revoked key within the refresh interval', async () => {
    const db = tempDb();
    const created = JSON.parse(cli('keys', 'create', '--account', 'shop', '--db', db, '--json').stdout) as {
      key: string;
      key_id: string;
    };
    const { url } = await serve(db);
    expect(await post(url, created.key, [event(0)])).toBe(202);
    cli('keys', 'revoke', created.key_id, '--db', db);
    expect(
      await waitFor(
        () => post(url, created.key, [event(1)]),
        (s) => s === 401,
        10_000,
      ),
    ).toBe(401);
  });
});

// Runs the built `touchline doctor` against a real SQLite file: exit codes 0 / 1 / 2, --json reports, --account selection.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openSqliteStorage, type SessionUpsert } from '@touchline/storage';

const BIN = fileURLToPath(new URL('../../bin/touchline.mjs', import.meta.url));
const HOUR = 3_600_000;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function cli(...args: string[]) {
  return cliWith({}, ...args);
}

function cliWith(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function session(accountId: string, id: string, visitorId: string, startedAt: number): SessionUpsert {
  return {
    accountId,
    id,
    visitorId,
    startedAt,
    lastSeenAt: startedAt + 1000,
    eventCount: 2,
    pageviewCount: 1,
    landing: {
      rank: 3,
      at: startedAt,
      itemId: `${id}-landing`,
      url: 'https://shop.example/',
      host: 'shop.example',
      referrer: null,
      channel: 'direct',
      utm: {},
      clickIds: {},
    },
  };
}

/** A database with a quiet account (too little data) and a leaky one (one visitor id with 300 sessions in 20 h). */
async function seed(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'touchline-doctor-'));
  dirs.push(dir);
  const db = join(dir, 'touchline.db');
  const storage = openSqliteStorage({ path: db });
  await storage.migrate();
  const now = Date.now();
  await storage.ensureAccount('quiet', now);
  const leaky = await storage.ensureAccount('leaky', now);
  const sessions = [
    ...Array.from({ length: 300 }, (_, i) =>
      session(leaky.id, `leak-${i}`, 'shared-visitor', now - 20 * HOUR + i * 4 * 60_000),
    ),
    ...Array.from({ length: 60 }, (_, i) => session(leaky.id, `ok-${i}`, `visitor-${i}`, now - 20 * HOUR + i * 60_000)),
  ];
  await storage.applyProcessed({
    visitors: [],
    sessions,
    events: [],
    conversions: [],
    identities: [],
    aliases: [],
    done: [],
    dead: [],
  });
  await storage.close();
  return db;
}

interface JsonOut {
  accounts: Array<{
    account: string;
    report: { state: string; checks: Array<{ id: string; state: string; note: string | null }> };
  }>;
}

describe('touchline doctor', () => {
  it('exits 1 with --json reports when a check is in alert, naming the offending visitor', async () => {
    const db = await seed();
    const r = cli('doctor', '--db', db, '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as JsonOut;
    expect(out.accounts.map((a) => [a.account, a.report.state])).toEqual([
      ['leaky', 'alert'],
      ['quiet', 'ok'],
    ]);
    const extreme = out.accounts[0]?.report.checks.find((c) => c.id === 'extreme-visitors');
    // 1 of 61 visitors: above "any" (warn) but under 5% (alert); 360 sessions for 61 visitors is the alert.
    expect(extreme).toMatchObject({ state: 'warn' });
    expect(out.accounts[0]?.report.checks.find((c) => c.id === 'session-inflation')).toMatchObject({ state: 'alert' });
    expect(extreme?.note).toContain('shared-visitor (300)');
  });

  it('exits 0 for an account without problems and prints each check in text', async () => {
    const db = await seed();
    const r = cli('doctor', '--db', db, '--account', 'quiet');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Account "quiet": OK');
    expect(r.stdout).toContain('Sessions per visitor');
    expect(r.stdout).toContain('not enough data');
    const leaky = cli('doctor', '--db', db, '--account', 'leaky');
    expect(leaky.code).toBe(1);
    expect(leaky.stdout).toMatch(/ALERT\s+Sessions per visitor: 5\.9/);
    expect(leaky.stdout).toMatch(/WARN\s+Visitors with more than 10 sessions in 24 h/);
  });

  it('exits 2 on usage errors: an unknown account, an unknown flag, a stray argument', async () => {
    const db = await seed();
    for (const args of [['--account', 'nobody'], ['--bogus'], ['extra']]) {
      const r = cli('doctor', '--db', db, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('touchline doctor');
    }
  });

  it('checks the disk: the write-ahead log against its bound, free space against the margin', async () => {
    const db = await seed();
    const clean = cliWith({}, 'doctor', '--db', db, '--json');
    const disk = (JSON.parse(clean.stdout) as { disk: { state: string; checks: Array<{ id: string; state: string }> } })
      .disk;
    expect(disk.checks.map((c) => c.id)).toEqual(['wal_size', 'free_disk']);
    expect(disk.checks.find((c) => c.id === 'wal_size')?.state).toBe('ok');

    // A reader holds a snapshot from before 2 MiB of writes: no checkpoint can shrink the log while it stays.
    const reader = new Database(db, { readonly: true });
    const writer = new Database(db);
    try {
      writer.pragma('wal_autocheckpoint = 0');
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM accounts').get();
      writer.exec('CREATE TABLE filler (x TEXT)');
      const insert = writer.prepare('INSERT INTO filler VALUES (?)');
      writer.transaction(() => {
        for (let i = 0; i < 600; i++) insert.run('x'.repeat(4000));
      })();
      const r = cliWith(
        { TOUCHLINE_WAL_LIMIT_MB: '1', TOUCHLINE_MIN_FREE_DISK_MB: String(1024 * 1024 * 1024) },
        'doctor',
        '--db',
        db,
      );
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('Disk: ALERT');
      expect(r.stdout).toMatch(/ALERT\s+write-ahead log size: \d+(\.\d+)?% \(now/);
      expect(r.stdout).toMatch(/ALERT\s+free disk \(MiB\)/);
    } finally {
      reader.exec('COMMIT');
      reader.close();
      writer.close();
    }
  });
});

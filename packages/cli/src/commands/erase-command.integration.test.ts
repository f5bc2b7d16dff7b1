// Runs the built `touchline erase` against a real SQLite file: usage errors named, a user and their devices erased, a repeat finding nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '@touchline/storage';

const BIN = fileURLToPath(new URL('../../bin/touchline.mjs', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('touchline erase', () => {
  it('refuses unclear requests, erases a user with both devices, and is idempotent; keys create --admin makes the key for the API', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'touchline-erase-'));
    dirs.push(dir);
    const db = join(dir, 'touchline.db');
    const storage = openSqliteStorage({ path: db });
    await storage.migrate();
    const shop = await storage.ensureAccount('shop', Date.now());
    const at = Date.now() - 60_000;
    await storage.applyProcessed({
      visitors: ['phone-visitor', 'laptop-visitor', 'kept-visitor'].map((id) => ({
        accountId: shop.id,
        id,
        firstSeenAt: at,
        lastSeenAt: at,
      })),
      sessions: [],
      events: [],
      conversions: [],
      done: [],
      dead: [],
      aliases: [],
      identities: [
        {
          accountId: shop.id,
          userId: 'erin@example.com',
          visitorId: 'phone-visitor',
          timestamp: at,
          traits: '{}',
          traitsAt: at,
        },
        {
          accountId: shop.id,
          userId: 'erin@example.com',
          visitorId: 'laptop-visitor',
          timestamp: at,
          traits: '{}',
          traitsAt: at,
        },
      ],
    });
    await storage.close();

    expect(cli('erase', '--account', 'shop', '--db', db)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('give exactly one of --visitor ID or --user ID'),
    });
    expect(cli('erase', '--account', 'shop', '--visitor', 'a', '--user', 'b', '--db', db).code).toBe(2);
    expect(cli('erase', '--account', 'nobody', '--user', 'erin@example.com', '--db', db)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no account named "nobody"'),
    });

    const done = cli('erase', '--account', 'shop', '--user', 'erin@example.com', '--db', db, '--json');
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({
      erased: true,
      visitor_ids: 2,
      user_ids: 1,
      removed: { visitors: 2, identities: 2 },
    });
    const bytes = [db, `${db}-wal`]
      .map((f) => {
        try {
          return readFileSync(f).toString('latin1');
        } catch {
          return '';
        }
      })
      .join('');
    for (const id of ['phone-visitor', 'laptop-visitor', 'erin@example.com'])
      expect(bytes.includes(id), id).toBe(false);
    expect(bytes.includes('kept-visitor')).toBe(true);

    // The key an HTTP erasure needs: --admin adds the admin scope; it cannot be read-only as well.
    expect(cli('keys', 'create', '--account', 'shop', '--admin', '--read-only', '--db', db)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--admin and --read-only exclude each other'),
    });
    expect(cli('keys', 'create', '--account', 'shop', '--admin', '--db', db).code).toBe(0);
    const listed = JSON.parse(cli('keys', 'list', '--account', 'shop', '--db', db, '--json').stdout) as {
      keys: Array<{ scopes: string[] }>;
    };
    expect(listed.keys.map((k) => k.scopes)).toEqual([['ingest', 'read', 'admin']]);

    const again = cli('erase', '--account', 'shop', '--user', 'erin@example.com', '--db', db);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Removed 0 visitors, 0 sessions, 0 events');
  });
});

// Runs the built `touchline spend import` against a real SQLite file: bad rows named by file and line with nothing stored, then a good import.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

describe('touchline spend import', () => {
  it('names every bad row by file and line and stores nothing; a good file is stored and summed exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'touchline-spend-'));
    dirs.push(dir);
    const db = join(dir, 'touchline.db');
    const storage = openSqliteStorage({ path: db });
    await storage.migrate();
    const shop = await storage.ensureAccount('shop', Date.now());
    await storage.close();

    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      'date,channel,campaign,amount,currency\n2026-11-01,paid_search,a,0.10,EUR\n2026-11-01,paid_search,b,-3,EUR\n',
    );
    const refused = cli('spend', 'import', bad, '--account', 'shop', '--db', db);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad}:3: amount: "-3" is not a non-negative decimal with at most 6 decimals`);
    expect(refused.stderr).toContain('1 problem(s)');

    const good = join(dir, 'good.csv');
    writeFileSync(
      good,
      'date,channel,campaign,amount,currency\n2026-11-01,paid_search,a,0.10,EUR\n2026-11-02,paid_search,a,0.20,EUR\n2026-11-02,email,,5,EUR\n',
    );
    expect(cli('spend', 'import', good, '--account', 'shop', '--db', db, '--json')).toMatchObject({
      code: 0,
      stdout: '{"account":"shop","written":3,"currency":"EUR"}\n',
    });
    expect(cli('spend', 'import', good, '--account', 'nobody', '--db', db).code).toBe(2);

    const check = openSqliteStorage({ path: db });
    expect(
      await check.spendTotals(shop.id, { firstDay: '2026-11-01', lastDay: '2026-11-30', groupBy: 'channel' }),
    ).toEqual(
      expect.arrayContaining([
        { key: 'paid_search', currency: 'EUR', amount: 0.3 },
        { key: 'email', currency: 'EUR', amount: 5 },
      ]),
    );
    expect(
      await check.spendTotals(shop.id, { firstDay: '2026-11-02', lastDay: '2026-11-02', groupBy: 'campaign' }),
    ).toEqual(
      expect.arrayContaining([
        { key: 'a', currency: 'EUR', amount: 0.2 },
        { key: null, currency: 'EUR', amount: 5 },
      ]),
    );
    await check.close();
  });
});

// The SDK spool end to end: the collector is down, the app (a real child process) records far more than its memory queue
// holds and is SIGKILLed mid-stream; two restarted processes share the path, one adopts each of the dead one's files; when
// the collector comes back, every item whose call returned is stored exactly once and nothing is dropped.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '@touchline/node';
import { seededRandom } from './test-support/seeded-random.js';
import { BIN, freePort, serveChild, type ServeChild } from './test-support/serve-child.js';

const APP = fileURLToPath(new URL('./test-support/spool-app.mjs', import.meta.url));
const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A running spool-app: its stdout lines as they come, and when it has exited. */
function startApp(args: string[]) {
  const child: ChildProcess = spawn(process.execPath, [APP, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // 'close' comes after the pipes drained: every line the app wrote before dying is in `lines`.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  cleanup.push(() => child.kill('SIGKILL'));
  const waitFor = async (test: (line: string) => boolean, timeoutMs = 60_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.find(test);
      if (found !== undefined) return found;
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`app: no matching line (exit ${child.exitCode}): ${stderr}`);
      await sleep(5);
    }
  };
  return { child, lines, closed, waitFor, stderr: () => stderr };
}

const lastAcked = (lines: string[]): number =>
  Math.max(-1, ...lines.filter((l) => l.startsWith('acked ')).map((l) => Number(l.slice(6))));

describe('SDK spool across an outage and a SIGKILL of the app', () => {
  const seed = Number(process.env.TOUCHLINE_SPOOL_SEED ?? Date.now() % 100_000);
  it(`stores every recorded item exactly once and drops none (seed ${seed}; replay with TOUCHLINE_SPOOL_SEED=${seed})`, {
    timeout: 240_000,
  }, async () => {
    const random = seededRandom(seed);
    const dir = mkdtempSync(join(tmpdir(), 'touchline-spool-crash-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const db = join(dir, 'touchline.db');
    const spoolPath = join(dir, 'spool');
    const created = spawnSync(process.execPath, [BIN, 'keys', 'create', '--account', 'spool', '--db', db, '--json'], {
      encoding: 'utf8',
    });
    const { key } = JSON.parse(created.stdout) as { key: string };
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    // Sized by volume, not by time: the kill comes after a seeded number of returned calls, 15-30x the
    // memory queue (100), whatever the CPU speed; the collector stays down until both runs are done.
    const killAfter = 1500 + Math.floor(random() * 1500);
    const secondRun = 1000;

    // Negative control: the same settings without a spool drop most of an outage.
    const memoryOnly = createClient({
      apiKey: key,
      endpoint,
      maxQueueItems: 100,
      batch: { maxItems: 50, flushIntervalMs: 10 },
      retry: { baseDelayMs: 10, maxDelayMs: 50, maxAttempts: 3, budgetMs: 500 },
    });
    for (let n = 0; n < 1000; n++)
      memoryOnly.event('control', {}, { visitorId: '0190f0c0-0000-7000-8000-000000000000' });
    const control = await memoryOnly.close({ timeoutMs: 1000 });
    // In one synchronous burst: two batches of 50 leave, 100 wait in memory, the other 800 are refused.
    expect(control.stats.dropped.queue_full).toBe(800);

    // Run 1: records without end while the collector is down, and is killed mid-stream.
    const first = startApp([endpoint, key, spoolPath, '1', 'forever']);
    await first.waitFor((l) => l === `acked ${killAfter}`);
    first.child.kill('SIGKILL');
    await first.closed;
    const acked1 = lastAcked(first.lines);
    expect(acked1).toBeGreaterThanOrEqual(killAfter);
    expect(readdirSync(spoolPath).length).toBeGreaterThan(0);

    // Runs 2 and 3: two new processes start at once on the same path (an app with two workers). They race to adopt
    // run 1's files (the rename decides: each file goes to exactly one), then record more, still with the collector down.
    const restarted = [
      startApp([endpoint, key, spoolPath, '2', String(secondRun)]),
      startApp([endpoint, key, spoolPath, '3', String(secondRun)]),
    ];
    type Ready = { adopted: number; skipped: number };
    const ready = await Promise.all(
      restarted.map(async (app) => JSON.parse((await app.waitFor((l) => l.startsWith('ready '))).slice(6)) as Ready),
    );
    const adopted = ready.reduce((sum, r) => sum + r.adopted, 0);
    // Every call that returned is on disk; at most one more was written after the last line got out.
    expect(adopted - (acked1 + 1)).toBeGreaterThanOrEqual(0);
    expect(adopted - (acked1 + 1)).toBeLessThanOrEqual(1);
    await Promise.all(restarted.map((app) => app.waitFor((l) => l === 'produced')));

    // The collector comes back; both flush everything, their own items and the adopted ones.
    let collector: ServeChild | null = await serveChild(db, port);
    cleanup.push(() => collector?.child.kill('SIGKILL'));
    type Result = {
      settled: boolean;
      droppedEvents: unknown[];
      stats: {
        delivered: number;
        queued: number;
        inFlight: number;
        dropped: Record<string, number>;
        spool: { backlog: number; adopted: number; skipped: number };
      };
    };
    const results = await Promise.all(
      restarted.map(async (app) => {
        app.child.stdin?.write('flush\n');
        const result = JSON.parse((await app.waitFor((l) => l.startsWith('result '), 150_000)).slice(7)) as Result;
        await app.closed;
        return result;
      }),
    );
    results.forEach((result, i) => {
      expect(result.settled).toBe(true);
      expect(result.stats.dropped).toEqual({});
      expect(result.droppedEvents).toEqual([]);
      expect(result.stats).toMatchObject({
        queued: 0,
        inFlight: 0,
        delivered: (ready[i] as Ready).adopted + secondRun,
        spool: { backlog: 0, skipped: 0 },
      });
    });
    expect(readdirSync(spoolPath)).toEqual([]);

    const sqlite = new Database(db, { readonly: true });
    cleanup.push(() => sqlite.close());
    const expected = adopted + 2 * secondRun;
    const count = (sql: string): number => (sqlite.prepare(sql).get() as { n: number }).n;
    const deadline = Date.now() + 60_000;
    while (count("SELECT COUNT(*) AS n FROM events WHERE name = 'spool-test'") < expected && Date.now() < deadline)
      await sleep(200);
    const rows = sqlite
      .prepare(
        "SELECT json_extract(properties, '$.run') AS run, json_extract(properties, '$.n') AS n FROM events WHERE name = 'spool-test'",
      )
      .all() as Array<{ run: string; n: number }>;
    const ns = (run: string): number[] =>
      rows
        .filter((r) => r.run === run)
        .map((r) => r.n)
        .sort((a, b) => a - b);
    // Exactly once: run 1's items are 0..acked1 (plus the one written before the kill, if any), runs 2 and 3 all of 0..999.
    expect(ns('1')).toEqual(Array.from({ length: adopted }, (_, i) => i));
    expect(ns('2')).toEqual(Array.from({ length: secondRun }, (_, i) => i));
    expect(ns('3')).toEqual(Array.from({ length: secondRun }, (_, i) => i));
    expect(count('SELECT COUNT(*) AS n FROM inbox_dead')).toBe(0);
    console.info(
      `sdk spool (seed ${seed}): killed after ${acked1 + 1} returned calls, adopted ${ready.map((r) => r.adopted).join(' + ')}, then ${secondRun} items from each of 2 processes`,
    );
    collector.child.kill('SIGKILL');
    await collector.exited;
    collector = null;
  });
});

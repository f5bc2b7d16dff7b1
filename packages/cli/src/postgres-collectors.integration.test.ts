// Several `touchline serve` processes on one PostgreSQL schema: keys via the CLI, and exactly-once storage when one is SIGKILLed under load.
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { newId } from '@touchline/core';
import {
  queryTestSchema as query,
  storageFactories,
  type TestStorage,
} from '../../storage/src/test-support/storage-factories.js';
import { cli, createKey, post, serve, waitFor } from './test-support/cli-process.js';

const postgres = (await storageFactories(process.env, import.meta.url)).find((f) => f.dialect === 'postgres');

describe.skipIf(postgres === undefined)('touchline on PostgreSQL', () => {
  let db: TestStorage | null = null;
  const children: ChildProcess[] = [];
  const open = async (): Promise<TestStorage> => {
    db = await (postgres as NonNullable<typeof postgres>).open();
    return db;
  };
  afterEach(async () => {
    const exits = children
      .splice(0)
      .filter((c) => c.exitCode === null && c.signalCode === null)
      .map(
        (c) =>
          new Promise((resolve) => {
            c.once('exit', resolve);
            c.kill('SIGKILL');
          }),
      );
    await Promise.all(exits);
    await db?.remove();
    db = null;
  });

  it('creates, lists and revokes keys, and a serving collector stops accepting the revoked one', async () => {
    const { url } = await open();
    const created = createKey(url);
    expect(created.key).toMatch(/^tl_live_/);
    const listed = cli('keys', 'list', '--db', url, '--json');
    expect(listed.stdout).not.toContain(created.key);
    expect(JSON.parse(listed.stdout).keys).toEqual([
      expect.objectContaining({ key_id: created.key_id, revoked_at: null }),
    ]);
    const collector = await serve(url, children);
    expect(
      await post(collector.url, created.key, [
        {
          type: 'event',
          id: newId(),
          timestamp: new Date().toISOString(),
          visitor_id: randomUUID(),
          session_id: null,
          context: null,
          name: 'x',
          properties: {},
        },
      ]),
    ).toBe(202);
    expect(cli('keys', 'revoke', created.key_id, '--db', url).code).toBe(0);
    expect(
      await waitFor(
        () => post(collector.url, created.key, []),
        (s) => s === 401,
        10_000,
      ),
    ).toBe(401);
    expect(cli('doctor', '--db', url).code).toBe(0);
  });

  it('stores every acknowledged item exactly once across 3 collectors when one is SIGKILLed mid-load', {
    timeout: 90_000,
  }, async () => {
    const { url, storage } = await open();
    const { key } = createKey(url);
    // A short lease, so the killed collector's claimed rows come back quickly to the survivors.
    const collectors = await Promise.all([0, 1, 2].map(() => serve(url, children, ['--worker-lease-ms', '3000'])));
    // Shared sessions: the three workers upsert the same session rows concurrently, and session
    // counts add up, so a batch applied twice (or lost) shows as a wrong count.
    const sessions = Array.from({ length: 24 }, () => ({ visitor: randomUUID(), session: randomUUID() }));
    const acked = new Set<string>();
    let sent = 0;
    const victim = collectors[0] as { child: ChildProcess; url: string };
    let victimAcks = 0;
    let kill: Promise<number[]> | null = null;
    let killed = false;
    /** Inbox rows under one unexpired lease: seq -> leased_until. */
    const leases = async (): Promise<Map<string, string>> =>
      new Map(
        (
          await query<{ seq: string; leased_until: string }>(
            url,
            `SELECT seq, leased_until FROM inbox_pending WHERE leased_until > ${Date.now()}`,
          )
        ).map((r) => [r.seq, r.leased_until]),
      );
    /**
     * Freezes the victim (SIGSTOP) until it is caught holding claimed rows: leases that stay the
     * same for 500 ms while the survivors go on finishing theirs. Then SIGKILL, mid-pass for sure.
     * Returns the seqs it held.
     */
    const killMidPass = async (): Promise<number[]> => {
      for (let attempt = 0; attempt < 30; attempt++) {
        victim.child.kill('SIGSTOP');
        const before = await leases();
        await new Promise((r) => setTimeout(r, 500));
        const after = await leases();
        const held = [...after].filter(([seq, until]) => before.get(seq) === until).map(([seq]) => Number(seq));
        if (held.length > 0 || attempt === 29) {
          victim.child.kill('SIGKILL');
          return held;
        }
        victim.child.kill('SIGCONT'); // let it claim again: the survivors' senders keep the inbox busy
        await new Promise((r) => setTimeout(r, 150));
      }
      return [];
    };
    const sender = async (target: { url: string }): Promise<void> => {
      // At least 10 batches each, and more (at most 60) until the victim is dead, so it always has rows to claim.
      for (let b = 0; b < 60 && (b < 10 || (kill !== null && !killed)); b++) {
        const items = Array.from({ length: 100 }, (_, i) => {
          const s = sessions[(b * 100 + i) % sessions.length] as { visitor: string; session: string };
          return {
            type: 'event',
            id: newId(),
            timestamp: new Date().toISOString(),
            visitor_id: s.visitor,
            session_id: s.session,
            context: null,
            name: 'load',
            properties: { b, i },
          };
        });
        sent += items.length;
        const status = await post(target.url, key, items).catch(() => 0);
        if (status === 202) {
          for (const item of items) acked.add(item.id);
          if (target === victim && ++victimAcks === 4)
            kill = killMidPass().finally(() => {
              killed = true;
            }); // its other sender is mid-request
        }
      }
    };
    await Promise.all(collectors.flatMap((c) => [sender(c), sender(c)]));
    expect(kill).not.toBeNull();
    const held = await (kill as unknown as Promise<number[]>);
    expect(held.length).toBeGreaterThan(0);
    expect(acked.size).toBeGreaterThan(sent / 2);

    const health = await waitFor(
      () => storage.inboxHealth(),
      (h) => h.pending === 0,
      45_000,
    );
    expect(health).toMatchObject({ pending: 0, dead: 0 });
    const stored = await query<{ id: string }>(url, 'SELECT id FROM events');
    const storedIds = new Set(stored.map((r) => r.id));
    expect(storedIds.size).toBe(stored.length);
    const missing = [...acked].filter((id) => !storedIds.has(id));
    expect(missing).toEqual([]);
    // Exactly once: each session's count equals the events stored for it, and no inbox row is left or doubled.
    const counts = await query<{ id: string; event_count: number; stored: string }>(
      url,
      'SELECT s.id, s.event_count, (SELECT COUNT(*) FROM events AS e WHERE e.session_id = s.id) AS stored FROM sessions AS s',
    );
    expect(counts).toHaveLength(sessions.length);
    for (const c of counts) expect([c.id, c.event_count]).toEqual([c.id, Number(c.stored)]);
    const inbox = await query<{ n: string }>(url, 'SELECT COUNT(*) AS n FROM inbox');
    expect(Number(inbox[0]?.n)).toBe(stored.length);
    // The rows the killed worker held were given out again after its lease and processed by the survivors.
    const heldItems = await query<{ item_id: string }>(
      url,
      `SELECT item_id FROM inbox WHERE seq IN (${held.join(', ')})`,
    );
    expect(heldItems).toHaveLength(held.length);
    expect(heldItems.filter((r) => !storedIds.has(r.item_id))).toEqual([]);
  });
});

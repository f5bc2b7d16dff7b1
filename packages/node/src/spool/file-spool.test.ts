// The file spool on a real directory: order across segments, the byte bound, release, adoption of dead owners, torn tails, refusal.
import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openFileSpool, type FileSpoolDeps } from './file-spool.js';
import { SpoolError } from './spool-error.js';
import { decideOwnership, parseSpoolName } from './spool-owner.js';
import type { SpoolStore } from './spool-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'touchline-spool-'));
  dirs.push(d);
  return d;
};

const A = { pid: 1001, origin: 5000 };
const B = { pid: 1002, origin: 6000 };
const MB = 1024 * 1024;
const open = (path: string, deps: FileSpoolDeps, maxBytes = MB, errors: Error[] = []): SpoolStore =>
  openFileSpool({ path, maxBytes }, (e) => errors.push(e), { isAlive: () => false, segmentBytes: 200, ...deps });
const json = (i: number): string => JSON.stringify({ id: `item-${i}` });
const takeAll = (store: SpoolStore): string[] => store.take(1_000_000).map((e) => e.json);

describe('spool ownership', () => {
  it.each([
    ['free file', 'free-1001-5000-3.spool', 'adopt'],
    ['this process', '1001-5000-1.spool', 'mine'],
    ['same pid, earlier start (container restart)', '1001-4000-1.spool', 'adopt'],
    ['live other process', '1002-6000-1.spool', 'leave'],
  ] as const)('%s', (_, name, expected) => {
    const file = parseSpoolName(name);
    expect(file).not.toBeNull();
    expect(decideOwnership(file!, A, (pid) => pid === 1002)).toBe(expected);
  });

  it('ignores files that are not spool segments', () => {
    expect(parseSpoolName('notes.txt')).toBeNull();
    expect(parseSpoolName('1-2-3.spool.tmp')).toBeNull();
  });
});

describe('openFileSpool', () => {
  it('hands records back in write order across segment rotations, and not those handed out at append', () => {
    const store = open(tempDir(), { self: A });
    expect(store.append(json(0), true)).toMatchObject({ kind: 'appended' });
    for (let i = 1; i < 40; i++) store.append(json(i), false);
    // handOut is refused while a backlog exists: order would break.
    store.append(json(40), true);
    expect(store.stats().backlog).toBe(40);
    expect(store.take(5).map((e) => e.json)).toEqual([1, 2, 3, 4, 5].map(json));
    expect(takeAll(store)).toEqual(Array.from({ length: 35 }, (_, i) => json(i + 6)));
    expect(store.stats().backlog).toBe(0);
  });

  it('refuses appends past maxBytes and deletes settled segments', () => {
    const dir = tempDir();
    const store = open(dir, { self: A, segmentBytes: 64 * 1024 }, MB);
    const big = JSON.stringify({ id: 'x', pad: 'y'.repeat(10_000) });
    let appended = 0;
    while (store.append(big, false).kind === 'appended') appended += 1;
    expect(appended).toBe(Math.floor(MB / (big.length + 8)));
    const entries = store.take(1_000);
    expect(entries).toHaveLength(appended);
    store.settleBelow(Math.max(...entries.map((e) => e.segment)));
    expect(store.stats().bytes).toBeLessThan(64 * 1024 + big.length + 8);
    expect(store.append(big, true).kind).toBe('appended');
    expect(readdirSync(dir).length).toBeLessThanOrEqual(2);
  });

  it('refuses a second spool on one path in one process', () => {
    const dir = tempDir();
    open(dir, { self: A });
    expect(() => open(dir, { self: A })).toThrow(SpoolError);
    expect(() => open(dir, { self: A })).toThrow(/already open in this process/);
  });

  it('refuses a path that cannot be a directory', () => {
    const dir = tempDir();
    appendFileSync(join(dir, 'file'), 'x');
    expect(() => open(join(dir, 'file'), { self: A })).toThrow(/cannot use directory/);
  });

  it("leaves a live process its files and adopts a dead one's, oldest first, before its own items", () => {
    const dir = tempDir();
    const a = open(dir, { self: A });
    for (let i = 0; i < 30; i++) a.append(json(i), false); // A is "killed": never closed
    const whileAlive = open(dir, { self: B, isAlive: (pid) => pid === A.pid });
    expect(whileAlive.stats()).toMatchObject({ adopted: 0, backlog: 0 });
    whileAlive.close(true);
    const c = open(dir, { self: { pid: 1003, origin: 7000 } });
    expect(c.stats()).toMatchObject({ adopted: 30, backlog: 30, skipped: 0 });
    c.append(json(30), true);
    expect(takeAll(c)).toEqual(Array.from({ length: 31 }, (_, i) => json(i)));
  });

  it('adopts the files of a same-pid earlier start (container restart)', () => {
    const dir = tempDir();
    const before = open(dir, { self: { pid: 1, origin: 100 } });
    before.append(json(0), false);
    const after = open(dir, { self: { pid: 1, origin: 200 } });
    expect(takeAll(after)).toEqual([json(0)]);
  });

  it('skips a torn tail left by a killed writer, reports it, and keeps every record before it', () => {
    const dir = tempDir();
    const a = open(dir, { self: A, segmentBytes: MB });
    for (let i = 0; i < 3; i++) a.append(json(i), false);
    const [file] = readdirSync(dir);
    appendFileSync(join(dir, file!), Buffer.from([40, 0, 0, 0, 1, 2, 3, 4, 123, 34])); // header and 2 of 40 bytes
    const errors: Error[] = [];
    const b = open(dir, { self: B }, MB, errors);
    expect(b.stats()).toMatchObject({ adopted: 3, skipped: 1 });
    expect(errors.map((e) => (e as SpoolError).code)).toEqual(['spool_damaged']);
    expect(errors[0]?.message).toMatch(/torn tail/);
    expect(takeAll(b)).toEqual([0, 1, 2].map(json));
  });

  it('on close leaves undelivered files free for the next client of the same process, and removes settled ones', () => {
    const dir = tempDir();
    const first = open(dir, { self: A });
    first.append(json(0), false);
    first.close(false);
    expect(readdirSync(dir).every((n) => n.startsWith('free-'))).toBe(true);
    const second = open(dir, { self: A });
    expect(takeAll(second)).toEqual([json(0)]);
    second.settleBelow(Number.MAX_SAFE_INTEGER);
    second.close(true);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never adopts what a live process adopted: each dead file goes to exactly one process', () => {
    const dir = tempDir();
    const a = open(dir, { self: A });
    for (let i = 0; i < 50; i++) a.append(json(i), false);
    const alive = (pid: number): boolean => pid !== A.pid;
    const b = open(dir, { self: B, isAlive: alive });
    const c = open(dir, { self: { pid: 1003, origin: 7000 }, isAlive: alive });
    expect(b.stats().adopted + c.stats().adopted).toBe(50);
    expect([...takeAll(b), ...takeAll(c)].sort()).toEqual(Array.from({ length: 50 }, (_, i) => json(i)).sort());
  });

  it('cuts a record torn by a failed write (disk full) back off the file, so later records stay readable', () => {
    const dir = tempDir();
    let calls = 0;
    const write = (fd: number, buffer: Uint8Array, offset: number, length: number): number => {
      calls += 1;
      if (calls === 3) {
        writeSync(fd, buffer, offset, Math.floor(length / 2));
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      return writeSync(fd, buffer, offset, length);
    };
    const store = open(dir, { self: A, segmentBytes: MB, write });
    const outcomes = [0, 1, 2, 3].map((i) => store.append(json(i), false).kind);
    expect(outcomes).toEqual(['appended', 'appended', 'failed', 'appended']);
    expect(takeAll(store)).toEqual([0, 1, 3].map(json));
    const errors: Error[] = [];
    const adopter = open(dir, { self: B }, MB, errors);
    expect(errors).toEqual([]);
    expect(takeAll(adopter)).toEqual([0, 1, 3].map(json));
  });
});

// A SQLite file's footprint: database and WAL sizes, free disk on its file system, and the checkpointer's outcomes.
import { statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DiskUsage } from '../storage.js';
import type { Checkpointer } from './sqlite-checkpointer.js';
import { walFileBytes, type WalBound } from './wal-bound.js';

function freeBytes(path: string): number | null {
  try {
    const fs = statfsSync(dirname(path));
    return fs.bavail * fs.bsize;
  } catch {
    return null;
  }
}

/** `checkpointer` null: ':memory:' or a connection that leaves checkpoints to another one. */
export function sqliteDiskUsage(path: string, bound: WalBound | null, checkpointer: Checkpointer | null): DiskUsage {
  if (bound === null)
    return { databaseBytes: null, walBytes: null, walLimitBytes: null, freeBytes: null, checkpoints: null };
  const stats = checkpointer?.stats();
  return {
    databaseBytes: statSync(path, { throwIfNoEntry: false })?.size ?? 0,
    walBytes: walFileBytes(path),
    walLimitBytes: bound.limitBytes,
    freeBytes: freeBytes(path),
    checkpoints:
      stats === undefined
        ? null
        : {
            passive: stats.passive,
            complete: stats.complete,
            busy: stats.busy,
            failed: stats.failed,
            busyStreak: stats.busyStreak,
            lastHoldMs: stats.lastHoldMs,
            maxHoldMs: stats.maxHoldMs,
            totalHoldMs: stats.totalHoldMs,
          },
  };
}

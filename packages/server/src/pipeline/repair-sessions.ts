// Re-derives the landing of sessions stored before landing order existed, from the processed inbox rows.
import type { SessionRepairCursor, SessionRepairMove, Storage } from '@touchline/storage';
import { processInboxRows } from './process-inbox-rows.js';

export interface RepairSessionsOptions {
  /** Only this account's sessions and inbox rows; null: every account. */
  accountId: string | null;
  /** Report what would change, change nothing. */
  dryRun: boolean;
  /** Inbox rows per read and staged write. @default 5000 */
  pageRows?: number;
  /** Sessions per finishing transaction. @default 2000 */
  stepSessions?: number;
  /** Called after each page read (`seq` of `lastSeq`) and each finishing step. */
  onProgress?: (progress: RepairProgress) => void;
}

export type RepairProgress =
  | { phase: 'read'; seq: number; lastSeq: number; rows: number }
  | { phase: 'finish'; repaired: number };

export interface RepairSessionsResult {
  /** Sessions whose landing had no rank when the repair began. */
  legacySessions: number;
  /** Inbox rows read. */
  rowsRead: number;
  /** Sessions given their ranked landing (0 in a dry run: see `repairable`). */
  repaired: number;
  /** Sessions that could be repaired: every item still in the inbox. */
  repairable: number;
  /** Of those, how many get a different landing (url, referrer, channel, utm or click ids). */
  changed: number;
  /** Legacy sessions left as they are: some of their items are no longer in the inbox. */
  incomplete: number;
  /** Repairable sessions by stored and re-derived channel, most first. */
  moves: SessionRepairMove[];
}

function addMoves(into: Map<string, SessionRepairMove>, moves: readonly SessionRepairMove[]): void {
  for (const m of moves) {
    const key = `${m.from ?? ''}\u0000${m.to ?? ''}`;
    const seen = into.get(key);
    into.set(
      key,
      seen === undefined
        ? { ...m }
        : { ...seen, sessions: seen.sessions + m.sessions, changed: seen.changed + m.changed },
    );
  }
}

/**
 * Rebuilds every session the processed inbox rows describe into a staging table with the same
 * merge as live processing (processInboxRows, then the sessions upsert), then gives each legacy
 * session (a landing without a rank) the staged landing when the staged session holds all of its
 * items. Sessions processed with landing order are right already and are never touched; live
 * merges never touch a legacy landing, so a running collector and a repair do not race. Re-runnable:
 * a killed repair leaves nothing half-done but the staging table, which the next run empties.
 */
export async function repairSessions(storage: Storage, options: RepairSessionsOptions): Promise<RepairSessionsResult> {
  const { accountId, dryRun } = options;
  const scope = await storage.beginSessionRepair(accountId);
  const result: RepairSessionsResult = {
    legacySessions: scope.legacySessions,
    rowsRead: 0,
    repaired: 0,
    repairable: 0,
    changed: 0,
    incomplete: 0,
    moves: [],
  };
  if (scope.legacySessions === 0) return result;
  for (let after: number | null = 0; after !== null; ) {
    const page = await storage.readProcessedInbox({ accountId, afterSeq: after, limit: options.pageRows ?? 5000 });
    if (page.rows.length > 0) await storage.stageSessionRepair(processInboxRows(page.rows).sessions);
    result.rowsRead += page.rows.length;
    after = page.next;
    options.onProgress?.({ phase: 'read', seq: after ?? scope.lastSeq, lastSeq: scope.lastSeq, rows: result.rowsRead });
  }
  const moves = new Map<string, SessionRepairMove>();
  for (let cursor: SessionRepairCursor | null = null, first = true; first || cursor !== null; first = false) {
    const step = await storage.finishSessionRepair({
      accountId,
      after: cursor,
      limit: options.stepSessions ?? 2000,
      dryRun,
    });
    addMoves(moves, step.moves);
    result.repaired += step.repaired;
    cursor = step.next;
    options.onProgress?.({ phase: 'finish', repaired: result.repaired });
  }
  result.moves = [...moves.values()].sort((a, b) => b.sessions - a.sessions);
  result.repairable = result.moves.reduce((n, m) => n + m.sessions, 0);
  result.changed = result.moves.reduce((n, m) => n + m.changed, 0);
  result.incomplete = scope.legacySessions - result.repairable;
  return result;
}

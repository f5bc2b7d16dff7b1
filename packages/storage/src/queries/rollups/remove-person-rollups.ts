// Takes an erased person's sessions and items out of the read model with the worker's own deltas, before their rows are deleted.
//
// The one place erasure touches the read model (docs/read-model.md), so a change to the rollups
// changes this file only. It runs inside the erasure transaction, before the raw rows go, and moves
// the rollups exactly as a worker pass would if the person's sessions and items left:
// - each session's shape (session-shapes.ts) is the "before" and nothing is the "after", so
//   sessionRollupDeltas takes it out of its rollup_dims rows and its visitor out of visitor_hours;
//   writeRollups deletes the rows that reach zero, and the visitor's visitor_gaps pairs leave with
//   its hour set (visitor-sets.ts). No row keyed by an erased visitor id is left behind;
// - each event and conversion leaves rollup_items as the negation of the delta its insert added
//   (itemRollupDeltas, revenue split with apply-processed.ts' own expressions); an hour left with
//   no events and no conversions is deleted, as a build from the raw rows would not have it;
// - session_spans only has to bound session lengths, never to be tight: it stays (no personal data).
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';
import type { Plan } from '../privacy/person-step.js';
import {
  itemRollupDeltas,
  sessionRollupDeltas,
  type InsertedItem,
  type ItemRollupDelta,
  type SessionShape,
} from './rollup-deltas.js';
import { pgSessionShapes, sqliteSessionShapes, type SessionKey } from './session-shapes.js';
import { pgWriteRollups, sqliteWriteRollups, type RollupDeltas } from './write-rollups.js';

/** Sessions taken out of the read model, and rollup_items hours the person's items were subtracted from. */
export interface RollupsRemoved {
  rollupSessions: number;
  rollupHours: number;
}

const SESSION_KEYS = {
  sqlite:
    'SELECT visitor_id AS "visitorId", id FROM sessions WHERE account_key = ? AND visitor_id IN (SELECT value FROM json_each(?))',
  postgres:
    'SELECT visitor_id AS "visitorId", id FROM sessions WHERE account_key = $1 AND visitor_id = ANY($2::text[])',
};
const EVENTS = {
  sqlite:
    'SELECT occurred_at AS "occurredAt" FROM events WHERE account_key = ? AND visitor_id IN (SELECT value FROM json_each(?))',
  postgres: 'SELECT occurred_at AS "occurredAt" FROM events WHERE account_key = $1 AND visitor_id = ANY($2::text[])',
};
// The revenue parts exactly as apply-processed.ts' RETURNING computes them when the conversion is inserted.
const CONVERSIONS = {
  sqlite: `SELECT occurred_at AS "occurredAt", CAST(revenue AS INTEGER) AS units,
      CAST(ROUND((revenue - CAST(revenue AS INTEGER)) * 1000000) AS INTEGER) AS micros
    FROM conversions WHERE account_key = ? AND visitor_id IN (SELECT value FROM json_each(?))`,
  postgres: `SELECT occurred_at AS "occurredAt", trunc(revenue)::bigint AS units, round((revenue - trunc(revenue)) * 1000000)::bigint AS micros
    FROM conversions WHERE account_key = $1 AND visitor_id = ANY($2::text[])`,
};
const DROP_EMPTY_HOURS = {
  sqlite: `DELETE FROM rollup_items WHERE account_key = ? AND hour IN (SELECT value FROM json_each(?))
    AND events = 0 AND conversions = 0`,
  postgres: `DELETE FROM rollup_items WHERE account_key = $1 AND hour = ANY($2::bigint[])
    AND events = 0 AND conversions = 0`,
};

const item = (accountKey: number, row: Record<string, unknown>): InsertedItem => ({
  accountKey,
  occurredAt: Number(row.occurredAt),
  units: row.units === null || row.units === undefined ? null : Number(row.units),
  micros: row.micros === null || row.micros === undefined ? null : Number(row.micros),
});

/** What inserting the items added, taken away. */
const negated = (deltas: readonly ItemRollupDelta[]): ItemRollupDelta[] =>
  deltas.map((d) => ({
    ...d,
    events: -d.events,
    conversions: -d.conversions,
    revenueUnits: -d.revenueUnits,
    revenueMicros: -d.revenueMicros,
  }));

/** The deltas of the person's sessions and items leaving: every shape goes, nothing comes. */
function leaving(shapes: readonly SessionShape[], items: readonly ItemRollupDelta[]): RollupDeltas {
  return { sessions: sessionRollupDeltas(shapes, []), items, spans: [] };
}

/** A plan (person-step.ts) run in the erasure transaction; `visitors` are every visitor id of the person. */
export function* removePersonRollups(accountKey: number, visitors: readonly string[]): Plan<RollupsRemoved> {
  if (visitors.length === 0) return { rollupSessions: 0, rollupHours: 0 };
  const params = [accountKey, visitors];
  // No worker pass of the account runs meanwhile (the erasure lock, privacy/batch-tombstones.ts), so
  // no pass changes these visitors' sessions or hour sets between the reads and the writes.
  const keys: SessionKey[] = (yield { ...SESSION_KEYS, params }).rows.map((r) => ({
    account: accountKey,
    visitorId: String(r.visitorId),
    id: String(r.id),
  }));
  const events = (yield { ...EVENTS, params }).rows.map((r) => item(accountKey, r));
  const conversions = (yield { ...CONVERSIONS, params }).rows.map((r) => item(accountKey, r));
  const items = negated(itemRollupDeltas(events, conversions));
  let sessions = 0;
  yield {
    call: {
      sqlite: (c: SqliteConnection) => {
        const shapes = sqliteSessionShapes(c, keys);
        sessions = shapes.length;
        sqliteWriteRollups(c, leaving(shapes, items));
      },
      postgres: async (client: PgQueryable) => {
        const shapes = await pgSessionShapes(client, keys);
        sessions = shapes.length;
        await pgWriteRollups(client, leaving(shapes, items));
      },
    },
  };
  if (items.length > 0) yield { ...DROP_EMPTY_HOURS, params: [accountKey, items.map((d) => d.hour)] };
  return { rollupSessions: sessions, rollupHours: items.length };
}

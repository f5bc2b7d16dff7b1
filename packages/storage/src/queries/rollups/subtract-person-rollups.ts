// Takes an erased person's sessions, events and conversions out of the rollups, exactly, before their rows are deleted.
//
// The one place erasure touches the read model (docs/read-model.md), so a change to the rollups
// changes this file only. It runs inside the erasure transaction, before the raw rows go:
// - rollup_sessions is keyed by visitor, so the person's rows are theirs alone and are deleted whole;
// - rollup_items holds hourly totals of everyone, so the person's events, conversions and revenue of
//   each hour are counted from their raw rows with the expressions the worker adds them with
//   (apply-processed.ts: whole units and micro-unit remainders) and subtracted; an hour left with no
//   events and no conversions is deleted, as a build from scratch would not have it;
// - session_spans is an upper bound of session lengths that only has to bound, never to be tight:
//   it stays (it holds no personal data).
import type { Plan } from '../privacy/person-step.js';

export interface RollupsRemoved { rollupSessions: number; rollupHours: number }

const SQLITE_HOURS = `SELECT hour, SUM(events) AS events, SUM(conversions) AS conversions, SUM(units) AS units, SUM(micros) AS micros FROM (
    SELECT occurred_at / 3600000 AS hour, 1 AS events, 0 AS conversions, 0 AS units, 0 AS micros
      FROM events WHERE account_key = ? AND visitor_id IN (SELECT value FROM json_each(?))
    UNION ALL
    SELECT occurred_at / 3600000, 0, 1, COALESCE(CAST(revenue AS INTEGER), 0),
      COALESCE(CAST(ROUND((revenue - CAST(revenue AS INTEGER)) * 1000000) AS INTEGER), 0)
      FROM conversions WHERE account_key = ? AND visitor_id IN (SELECT value FROM json_each(?)))
  GROUP BY hour`;
const PG_HOURS = `SELECT hour, SUM(events)::bigint AS events, SUM(conversions)::bigint AS conversions,
    SUM(units)::bigint AS units, SUM(micros)::bigint AS micros FROM (
    SELECT occurred_at / 3600000 AS hour, 1 AS events, 0 AS conversions, 0::bigint AS units, 0::bigint AS micros
      FROM events WHERE account_key = $1 AND visitor_id = ANY($2::text[])
    UNION ALL
    SELECT occurred_at / 3600000, 0, 1, COALESCE(trunc(revenue)::bigint, 0),
      COALESCE(round((revenue - trunc(revenue)) * 1000000)::bigint, 0)
      FROM conversions WHERE account_key = $3 AND visitor_id = ANY($4::text[])) AS items
  GROUP BY hour`;

const SUBTRACT = {
  sqlite: `UPDATE rollup_items SET events = events - ?, conversions = conversions - ?, revenue_units = revenue_units - ?,
    revenue_micros = revenue_micros - ? WHERE account_key = ? AND hour = ?`,
  postgres: `UPDATE rollup_items SET events = events - $1, conversions = conversions - $2, revenue_units = revenue_units - $3,
    revenue_micros = revenue_micros - $4 WHERE account_key = $5 AND hour = $6`,
};
const DROP_EMPTY_HOUR = {
  sqlite: 'DELETE FROM rollup_items WHERE account_key = ? AND hour = ? AND events = 0 AND conversions = 0',
  postgres: 'DELETE FROM rollup_items WHERE account_key = $1 AND hour = $2 AND events = 0 AND conversions = 0',
};
const DROP_SESSIONS = {
  sqlite: 'DELETE FROM rollup_sessions WHERE account_key = ? AND visitor_id IN (SELECT value FROM json_each(?))',
  postgres: 'DELETE FROM rollup_sessions WHERE account_key = $1 AND visitor_id = ANY($2::text[])',
};

/** A plan step list (person-step.ts); `visitors` are every visitor id of the person. */
export function* subtractPersonRollups(accountKey: number, visitors: readonly string[]): Plan<RollupsRemoved> {
  const hours = yield { sqlite: SQLITE_HOURS, postgres: PG_HOURS, params: [accountKey, visitors, accountKey, visitors] };
  for (const h of hours.rows) {
    const hour = Number(h.hour);
    yield { ...SUBTRACT, params: [Number(h.events), Number(h.conversions), Number(h.units), Number(h.micros), accountKey, hour] };
    yield { ...DROP_EMPTY_HOUR, params: [accountKey, hour] };
  }
  const sessions = yield { ...DROP_SESSIONS, params: [accountKey, visitors] };
  return { rollupSessions: sessions.changes, rollupHours: hours.rows.length };
}

// countSessionsByChannel: one account's sessions started in [from, to) per acquisition channel (null: not classified), most first.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { named } from '../../dialects/postgres-named-params.js';
import { PG_ARMS, plannedParams, SQLITE_ARMS, type ArmSql, type PlannedParams } from '../rollups/rollup-arms.js';
import { DIM } from '../rollups/visitor-sets.js';

/** Sessions of one acquisition channel (null: sessions without a classified landing). */
export interface ChannelCount { channel: string | null; sessions: number }

// One row per channel (at most a dozen), so the answer stays small however many sessions there are.
// Whole hours come from rollup_dims, dim channel ('' there is a session without a channel: NULL again here,
// so it sorts where each dialect sorts NULL), partial hours from the sessions themselves.
const bySql = (a: ArmSql): string => `SELECT channel, SUM(sessions) AS sessions FROM (
    ${a.dims(DIM.channel, `NULLIF(r.value, '')${a.rawCollation} AS channel, r.sessions AS sessions`)}
    UNION ALL ${a.startedIn('s.channel, 1')}) AS started
  GROUP BY channel ORDER BY sessions DESC, channel`;
const SQLITE = bySql(SQLITE_ARMS);
const PG = named<keyof PlannedParams['postgres']>(bySql(PG_ARMS));

export function countSessionsByChannel(conn: Connection, accountId: string, from: number, to: number): Promise<ChannelCount[]> {
  const params = plannedParams(accountId, from, to);
  return runQuery(conn, 'countSessionsByChannel', {
    sqlite: (c) => c.statement<[PlannedParams['sqlite']], ChannelCount>(SQLITE).all(params.sqlite),
    postgres: (c) => c.rows<ChannelCount>(PG.text, PG.values(params.postgres)),
  });
}

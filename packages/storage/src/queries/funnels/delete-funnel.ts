// deleteFunnel: removes a funnel and (by cascade) its steps; its goals stay.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import type { FunnelDelete } from '../../funnel-definitions.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';

const SQLITE_DELETE = `DELETE FROM funnels WHERE account_key = ${ACCOUNT_KEY_OF} AND id = ?`;
const PG_DELETE = `DELETE FROM funnels WHERE account_key = ${pgAccountKeyOf(1)} AND id = $2`;

const outcome = (deleted: number): FunnelDelete => (deleted > 0 ? { kind: 'deleted' } : { kind: 'not_found' });

export function deleteFunnel(conn: Connection, accountId: string, funnelId: string): Promise<FunnelDelete> {
  return runQuery(conn, 'deleteFunnel', {
    sqlite: (c) => outcome(c.statement<[string, string]>(SQLITE_DELETE).run(accountId, funnelId).changes),
    postgres: async (c) =>
      outcome((await c.transaction((client) => client.query(PG_DELETE, [accountId, funnelId]))).rowCount ?? 0),
  });
}

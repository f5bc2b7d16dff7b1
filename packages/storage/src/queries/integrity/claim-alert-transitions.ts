// claimAlertTransitions: records which integrity checks of an account are in alert and returns the transitions this caller won the right to announce.
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';

export interface AlertStates {
  /** Ids of the checks in alert in the caller's latest evaluation. */
  alerting: readonly string[];
  /** Ids of the checks evaluated and not in alert. */
  calm: readonly string[];
  now: number;
}

/** The checks whose row this call inserted (entered alert) or deleted (recovered): announce exactly these. */
export interface AlertClaims {
  entered: string[];
  recovered: string[];
}

const SQLITE_ENTER = `INSERT INTO integrity_alert_states (account_key, check_id, since) VALUES (${ACCOUNT_KEY_OF}, ?, ?)
  ON CONFLICT (account_key, check_id) DO NOTHING`;
const SQLITE_LEAVE = `DELETE FROM integrity_alert_states WHERE account_key = ${ACCOUNT_KEY_OF} AND check_id = ?`;
const PG_ENTER = `INSERT INTO integrity_alert_states (account_key, check_id, since) VALUES (${pgAccountKeyOf(1)}, $2, $3)
  ON CONFLICT (account_key, check_id) DO NOTHING RETURNING check_id`;
const PG_LEAVE = `DELETE FROM integrity_alert_states WHERE account_key = ${pgAccountKeyOf(1)} AND check_id = $2 RETURNING check_id`;

/**
 * A row per check in alert is the claim "announced": the caller whose insert adds it announces the
 * alert, the caller whose delete removes it announces the recovery. A restarted collector finds the
 * rows and announces nothing again; two collectors evaluating at once announce each transition once
 * (the second insert or delete changes nothing). A check no longer evaluated keeps its row.
 */
export function claimAlertTransitions(conn: Connection, accountId: string, states: AlertStates): Promise<AlertClaims> {
  return runQuery(conn, 'claimAlertTransitions', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          const enter = c.statement<[string, string, number]>(SQLITE_ENTER);
          const leave = c.statement<[string, string]>(SQLITE_LEAVE);
          return {
            entered: states.alerting.filter((id) => enter.run(accountId, id, states.now).changes > 0),
            recovered: states.calm.filter((id) => leave.run(accountId, id).changes > 0),
          };
        })
        .immediate(),
    postgres: (c) =>
      c.transaction(async (client) => {
        const claims: AlertClaims = { entered: [], recovered: [] };
        for (const id of states.alerting)
          if (((await client.query(PG_ENTER, [accountId, id, states.now])).rowCount ?? 0) > 0) claims.entered.push(id);
        for (const id of states.calm)
          if (((await client.query(PG_LEAVE, [accountId, id])).rowCount ?? 0) > 0) claims.recovered.push(id);
        return claims;
      }),
  });
}

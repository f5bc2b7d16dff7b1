// cookielessSecrets: the daily secrets a worker pass needs, created on first use; expired ones are deleted.
import { randomBytes } from 'node:crypto';
import { runQuery, type Connection } from '../../dialects/dialects.js';
import { ACCOUNT_KEY_OF, pgAccountKeyOf } from '../accounts/account-key.js';

const DAY_MS = 86_400_000;

/** One secret a pass asks for: an account's UTC day (days since 1970-01-01). */
export interface SecretRequest {
  accountId: string;
  day: number;
}

/** Key of a secret in the answer's map. */
export const secretKey = (accountId: string, day: number): string => `${accountId}\u0000${day}`;

/** When a day's secret stops existing: the end of the day plus the margin for late items. */
export const secretExpiry = (day: number, marginMs: number): number => (day + 1) * DAY_MS + marginMs;

// Created with DO NOTHING, then read back: racing collectors agree on the first secret written.
// The account key subquery gives NULL for an unknown account, which NOT NULL refuses (no secret).
const SQLITE_DELETE_EXPIRED = 'DELETE FROM cookieless_secrets WHERE expires_at <= ?';
const SQLITE_CREATE = `INSERT INTO cookieless_secrets (account_key, day, secret, expires_at)
  SELECT key, ?, ?, ? FROM accounts WHERE id = ? ON CONFLICT (account_key, day) DO NOTHING`;
const SQLITE_READ = `SELECT secret FROM cookieless_secrets WHERE account_key = ${ACCOUNT_KEY_OF} AND day = ? AND expires_at > ?`;
const PG_DELETE_EXPIRED = 'DELETE FROM cookieless_secrets WHERE expires_at <= $1';
const PG_CREATE = `INSERT INTO cookieless_secrets (account_key, day, secret, expires_at)
  SELECT key, $1, $2, $3 FROM accounts WHERE id = $4 ON CONFLICT (account_key, day) DO NOTHING`;
const PG_READ = `SELECT secret FROM cookieless_secrets WHERE account_key = ${pgAccountKeyOf(1)} AND day = $2 AND expires_at > $3`;

/** Requests whose day has not yet expired, each once: a secret is never created for a day already past its margin. */
function live(requests: readonly SecretRequest[], now: number, marginMs: number): SecretRequest[] {
  const seen = new Map<string, SecretRequest>();
  for (const r of requests) if (secretExpiry(r.day, marginMs) > now) seen.set(secretKey(r.accountId, r.day), r);
  return [...seen.values()];
}

/**
 * The secret (hex) of every requested (account, day) whose day has not expired, by secretKey; a
 * missing one is created. Expired secrets of every account are deleted first, in the same
 * transaction: a day's ids cannot be recomputed once it has passed by more than `marginMs`.
 */
export function cookielessSecrets(
  conn: Connection,
  requests: readonly SecretRequest[],
  now: number,
  marginMs: number,
): Promise<Map<string, string>> {
  const wanted = live(requests, now, marginMs);
  const fresh = (): string => randomBytes(32).toString('hex');
  return runQuery(conn, 'cookielessSecrets', {
    sqlite: (c) =>
      c.db
        .transaction(() => {
          c.statement<[number]>(SQLITE_DELETE_EXPIRED).run(now);
          const out = new Map<string, string>();
          for (const r of wanted) {
            c.statement<[number, string, number, string]>(SQLITE_CREATE).run(
              r.day,
              fresh(),
              secretExpiry(r.day, marginMs),
              r.accountId,
            );
            const row = c
              .statement<[string, number, number], { secret: string }>(SQLITE_READ)
              .get(r.accountId, r.day, now);
            if (row !== undefined) out.set(secretKey(r.accountId, r.day), row.secret);
          }
          return out;
        })
        .immediate(),
    postgres: (c) =>
      c.transaction(async (client) => {
        await client.query(PG_DELETE_EXPIRED, [now]);
        const out = new Map<string, string>();
        for (const r of wanted) {
          await client.query(PG_CREATE, [r.day, fresh(), secretExpiry(r.day, marginMs), r.accountId]);
          const row = (await client.query<{ secret: string }>(PG_READ, [r.accountId, r.day, now])).rows[0];
          if (row !== undefined) out.set(secretKey(r.accountId, r.day), row.secret);
        }
        return out;
      }),
  });
}

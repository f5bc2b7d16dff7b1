// Runs a multi-statement plan written once for both dialects: the plan yields statements, a driver runs them.
//
// Erasure and export walk a person through several tables and must do it inside ONE transaction on
// SQLite (synchronous, better-sqlite3) and on PostgreSQL (asynchronous, pg). A generator that yields
// each statement and receives its rows lets the plan be written once; the two drivers below run it.
import type { PgQueryable } from '../../dialects/postgres-connection.js';
import type { SqliteConnection } from '../../dialects/sqlite-connection.js';

/**
 * One statement in both dialects. Parameters are positional (`?` / `$n`); an array parameter goes to
 * SQLite as JSON text (read with json_each) and to PostgreSQL as an array (read with `= ANY($n)`).
 */
export interface Step {
  sqlite: string;
  postgres: string;
  params: readonly unknown[];
}

/** What a step returns to the plan: its rows (empty for writes) and how many rows it changed. */
export interface StepResult {
  rows: Array<Record<string, unknown>>;
  changes: number;
}

/**
 * A step that is a function per dialect rather than one statement: for code the worker shares with
 * the plan (the rollups' `writeRollups`), so erasure moves the read model with the worker's own code.
 */
export interface Call {
  call: { sqlite: (c: SqliteConnection) => void; postgres: (client: PgQueryable) => Promise<void> };
}

export type Plan<T> = Generator<Step | Call, T, StepResult>;

const NO_ROWS: StepResult = { rows: [], changes: 0 };

const sqliteParam = (p: unknown): unknown => (Array.isArray(p) ? JSON.stringify(p) : p);

/** Runs the plan on SQLite; the caller wraps it in a transaction. */
export function runSqlitePlan<T>(c: SqliteConnection, plan: Plan<T>): T {
  let next = plan.next();
  while (next.done !== true) {
    const step = next.value;
    if ('call' in step) {
      step.call.sqlite(c);
      next = plan.next(NO_ROWS);
      continue;
    }
    const statement = c.statement(step.sqlite);
    const params = step.params.map(sqliteParam);
    const result: StepResult = statement.reader
      ? { rows: statement.all(...params) as Array<Record<string, unknown>>, changes: 0 }
      : { rows: [], changes: statement.run(...params).changes };
    next = plan.next(result);
  }
  return next.value;
}

/** Runs the plan on PostgreSQL inside the caller's transaction. */
export async function runPgPlan<T>(client: PgQueryable, plan: Plan<T>): Promise<T> {
  let next = plan.next();
  while (next.done !== true) {
    const step = next.value;
    if ('call' in step) {
      await step.call.postgres(client);
      next = plan.next(NO_ROWS);
      continue;
    }
    const result = await client.query(step.postgres, step.params as unknown[]);
    next = plan.next({ rows: result.rows as Array<Record<string, unknown>>, changes: result.rowCount ?? 0 });
  }
  return next.value;
}

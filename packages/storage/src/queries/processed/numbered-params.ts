// Statements sharing one numbered parameter list, each renumbered to the parameters it uses (both drivers refuse unused ones).

/** A statement's text with its parameters renumbered from 1, and which of the shared parameters (1-based) those are. */
export interface NumberedStatement {
  text: string;
  pick: number[];
}

/** Renumbers `?n` / `$n` (single digit) in order of first use; `pick` lists which shared parameters they stand for. */
export function renumbered(sql: string): NumberedStatement {
  const pick: number[] = [];
  const text = sql.replace(/([$?])(\d)/g, (_, mark: string, n: string) => {
    if (!pick.includes(Number(n))) pick.push(Number(n));
    return `${mark}${pick.indexOf(Number(n)) + 1}`;
  });
  return { text, pick };
}

/** better-sqlite3 binds numbered parameters (?1, ?2) from an object keyed by number. */
export const sqliteParams = (statement: NumberedStatement, params: readonly unknown[]): Record<number, unknown> =>
  Object.fromEntries(statement.pick.map((n, i) => [i + 1, params[n - 1]]));

/** node-postgres binds positional parameters from an array. */
export const paramsOf = (statement: NumberedStatement, params: readonly unknown[]): unknown[] =>
  statement.pick.map((n) => params[n - 1]);

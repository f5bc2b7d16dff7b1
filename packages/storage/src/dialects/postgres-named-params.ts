// Named parameters (@name) for PostgreSQL statements, rewritten to the positional $n that the protocol takes.

export interface NamedStatement<K extends string> {
  /** The SQL with every @name replaced by its $n. */
  text: string;
  /** The values in $n order, picked from one object of named values. */
  values(params: Record<K, unknown>): unknown[];
}

/**
 * Compiles SQL that uses `@name` placeholders (as the SQLite statements do) once; a name used
 * several times binds one parameter. Only for statement texts written in this package: an `@`
 * inside a string literal would be rewritten too.
 */
export function named<K extends string>(sql: string): NamedStatement<K> {
  const names: K[] = [];
  const text = sql.replace(/@([a-zA-Z_][a-zA-Z0-9_]*)/g, (_match, name: K) => {
    let index = names.indexOf(name);
    if (index === -1) index = names.push(name) - 1;
    return `$${index + 1}`;
  });
  return { text, values: (params) => names.map((name) => params[name]) };
}

// SQL that takes an absolute URL column apart (host, path) for the dashboard's top-N reports.

/** `column` without its scheme: what follows the first "://", or the whole text when there is none. */
function afterScheme(column: string): string {
  return `substr(${column}, instr(${column}, '://') + CASE WHEN instr(${column}, '://') > 0 THEN 3 ELSE 1 END)`;
}

/** Cuts `expr` at the first `char` (exclusive), or keeps it whole when `char` does not occur. */
function cutAt(expr: string, char: string): string {
  return `CASE WHEN instr(${expr}, '${char}') > 0 THEN substr(${expr}, 1, instr(${expr}, '${char}') - 1) ELSE ${expr} END`;
}

/** The URL's path without query or fragment; '/' when it has none. `column` must be a trusted column name. */
export function sqlUrlPath(column: string): string {
  const rest = afterScheme(column);
  const path = `CASE WHEN instr(${rest}, '/') > 0 THEN substr(${rest}, instr(${rest}, '/')) ELSE '/' END`;
  return cutAt(cutAt(path, '?'), '#');
}

/** The URL's host (with port, if any), lower-cased. `column` must be a trusted column name. */
export function sqlUrlHost(column: string): string {
  return `lower(${cutAt(cutAt(cutAt(afterScheme(column), '/'), '?'), '#')})`;
}

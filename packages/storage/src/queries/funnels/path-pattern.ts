// A goal's path pattern ('*' matches any characters, everything else itself) as SQLite GLOB and PostgreSQL LIKE patterns.

/**
 * SQLite GLOB: '*' stays; '?' and '[' are GLOB syntax, so they go inside a one-character class.
 * GLOB is case-sensitive, as the PostgreSQL form is under the "C" collation.
 */
export function globOfPathPattern(pattern: string): string {
  return pattern.replace(/[?[]/g, (c) => `[${c}]`);
}

/** PostgreSQL LIKE (escape character '\'): '*' becomes '%'; a literal '%', '_' or '\' is escaped. */
export function likeOfPathPattern(pattern: string): string {
  return pattern.replace(/[%_\\*]/g, (c) => (c === '*' ? '%' : `\\${c}`));
}

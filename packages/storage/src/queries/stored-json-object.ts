// Reads a JSON-object text column: a value that is not a JSON object (hand-edited, truncated, written by an old bug) reads as {}.
/**
 * The pipeline writes these columns from validated objects, so this only matters for rows changed
 * behind its back; then one bad row must not fail every query that reads it (issue 16 item 7).
 * PostgreSQL may also hand back an already-parsed object for json columns, which is taken as it is.
 */
export function storedJsonObject<T extends Record<string, unknown>>(value: unknown): T {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return {} as T;
    }
  }
  return (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {}) as T;
}

// SQL that reads one utm field (source, medium, campaign) out of a session's utm JSON text, in both dialects, without failing on a malformed value.
import type { UtmField } from '../../storage.js';

/** The utm fields the read model keeps as dimensions, and their keys in the stored utm object. */
const UTM_FIELDS: Record<UtmField, string> = { source: 'utm_source', medium: 'utm_medium', campaign: 'utm_campaign' };

// The pipeline writes utm from validated objects, but a value changed behind its back must not
// fail every write and report that reads it (DESIGN.md L11; stored-json-object.ts does the same in
// code). So malformed text, a non-object, a missing key and a value that is not a JSON string all
// read as '' (none), on both dialects.

/** SQLite: the field's string value, or '' for none. `column` must be a trusted column name. */
export function sqlUtmValue(column: string, field: UtmField): string {
  const path = `'$.${UTM_FIELDS[field]}'`;
  // CASE is evaluated lazily: json_type never sees malformed text.
  return `(CASE WHEN json_valid(${column}) THEN (CASE WHEN json_type(${column}, ${path}) = 'text' THEN ${column} ->> ${path} ELSE '' END) ELSE '' END)`;
}

/**
 * PostgreSQL: the same through `utm_text` (migration 014), which catches the cast's error for
 * malformed text; in the "C" collation, so values sort bytewise as in SQLite.
 */
export function pgUtmValue(column: string, field: UtmField): string {
  return `(utm_text(${column}, '${UTM_FIELDS[field]}') COLLATE "C")`;
}

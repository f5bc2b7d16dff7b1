// Answers a data request as JSON or as a CSV download of the same table (every dashboard table exports).
import { toCsv } from '@touchline/server';
import type { FastifyReply } from 'fastify';

export interface Table {
  columns: readonly string[];
  rows: ReadonlyArray<readonly unknown[]>;
}

/** CSV: the table as an attachment named `name`.csv; JSON: `json`, which carries the same rows as objects. */
export function sendTable(
  reply: FastifyReply,
  format: 'json' | 'csv',
  name: string,
  table: Table,
  json: () => unknown,
): FastifyReply {
  if (format === 'csv') {
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="${name.replace(/[^a-z0-9._-]/gi, '_')}.csv"`);
    return reply.send(toCsv(table.columns, table.rows));
  }
  return reply.send(json());
}

/** Rows as objects keyed by column, for JSON answers. */
export function rowsAsObjects(table: Table): Array<Record<string, unknown>> {
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, row[i]])));
}

export const iso = (ms: number): string => new Date(ms).toISOString();

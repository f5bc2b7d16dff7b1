// openStorage: picks the dialect from a storage URL: a path or sqlite: URL, or a postgres:// URL.
import { openPostgresStorage } from './dialects/postgres.js';
import { openSqliteStorage } from './dialects/sqlite.js';
import { StorageError } from './storage-error.js';
import type { Storage } from './storage.js';

export type StorageTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

const SCHEME = /^([a-z][a-z0-9+.-]+):/i;

/**
 * Pure parse of a storage URL:
 * - `postgres://…` / `postgresql://…` → PostgreSQL;
 * - `sqlite:<path>`, `sqlite://<path>` (so `sqlite:///abs/file.db` is absolute), `sqlite::memory:`;
 * - anything without a scheme is a file path (or `:memory:`).
 * One-letter "schemes" are left alone so Windows paths like `C:\data\t.db` stay paths.
 */
export function parseStorageUrl(url: string): StorageTarget {
  if (url.trim() === '')
    throw new StorageError('invalid_url', 'storage URL is empty: give a file path, a sqlite: URL or a postgres:// URL');
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined || url === ':memory:') return { dialect: 'sqlite', path: url };
  if (scheme === 'postgres' || scheme === 'postgresql') return { dialect: 'postgres', url };
  if (scheme === 'sqlite') {
    const rest = url.slice('sqlite:'.length);
    const path = rest.startsWith('//') ? rest.slice(2) : rest;
    if (path === '') throw new StorageError('invalid_url', `storage URL ${url} names no database file`);
    return { dialect: 'sqlite', path };
  }
  throw new StorageError(
    'invalid_url',
    `storage URL scheme "${scheme}:" is not supported: use a file path, sqlite: or postgres://`,
  );
}

/** What openStorage passes on to the dialect it opens (each ignores what is not its own). */
export interface OpenStorageOptions {
  /** SQLite: the WAL's bound (see SqliteStorageOptions.walLimitBytes). @default 64 MiB */
  walLimitBytes?: number | undefined;
}

/** Opens the storage a URL names. Call `migrate()` on the result before first use. */
export function openStorage(url: string, options: OpenStorageOptions = {}): Storage {
  const target = parseStorageUrl(url);
  switch (target.dialect) {
    case 'sqlite':
      return openSqliteStorage({
        path: target.path,
        ...(options.walLimitBytes === undefined ? {} : { walLimitBytes: options.walLimitBytes }),
      });
    case 'postgres':
      return openPostgresStorage({ url: target.url });
  }
}

// Storage URLs: paths and sqlite: URLs open SQLite; postgres:// is refused until issue 7; anything else is an error.
import { describe, expect, it } from 'vitest';
import { openStorage, parseStorageUrl } from './open-storage.js';
import { StorageError } from './storage-error.js';

describe('parseStorageUrl', () => {
  it.each([
    ['data/touchline.db', 'data/touchline.db'],
    ['/var/lib/touchline.db', '/var/lib/touchline.db'],
    [':memory:', ':memory:'],
    ['C:\\data\\touchline.db', 'C:\\data\\touchline.db'],
    ['sqlite:data/t.db', 'data/t.db'],
    ['sqlite://data/t.db', 'data/t.db'],
    ['sqlite:///var/lib/t.db', '/var/lib/t.db'],
    ['SQLITE:///var/lib/t.db', '/var/lib/t.db'],
    ['sqlite::memory:', ':memory:'],
    ['sqlite://:memory:', ':memory:'],
  ])('%s is the SQLite file %s', (url, path) => {
    expect(parseStorageUrl(url)).toEqual({ dialect: 'sqlite', path });
  });

  it.each(['postgres://u:p@db/touchline', 'postgresql://db/touchline'])('%s is PostgreSQL', (url) => {
    expect(parseStorageUrl(url)).toEqual({ dialect: 'postgres', url });
  });

  it.each(['', '   ', 'sqlite:', 'sqlite://', 'mysql://db/x', 'https://example.com/db'])('%j is invalid_url', (url) => {
    expect(() => parseStorageUrl(url)).toThrow(expect.objectContaining({ code: 'invalid_url' }));
  });
});

describe('openStorage', () => {
  it('refuses PostgreSQL with dialect_unavailable, pointing at issue 7', () => {
    const attempt = (): unknown => openStorage('postgres://localhost/touchline');
    expect(attempt).toThrow(StorageError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'dialect_unavailable', message: expect.stringContaining('issue 7') }));
  });

  it('opens SQLite from a sqlite: URL', async () => {
    const storage = openStorage('sqlite::memory:');
    await storage.migrate();
    expect(storage.dialect).toBe('sqlite');
    await storage.close();
  });
});

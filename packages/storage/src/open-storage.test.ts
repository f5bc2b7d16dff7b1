// Storage URLs: paths and sqlite: URLs open SQLite; postgres:// opens PostgreSQL; anything else is an error.
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
  it('opens PostgreSQL from a postgres:// URL without connecting until the first query', async () => {
    // Port 1 refuses at once: opening succeeds, the first use reports the server as unreachable.
    const storage = openStorage('postgres://nobody@127.0.0.1:1/touchline?schema=s1&pool=2');
    expect(storage.dialect).toBe('postgres');
    await expect(storage.findAccount('x')).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('findAccount'),
    });
    await storage.close();
  });

  it.each([
    ['postgres://h/db?schema=Bad-Name', 'schema="Bad-Name"'],
    ['postgres://h/db?schema=x;drop', 'schema="x;drop"'],
    ['postgres://h/db?pool=0', 'pool="0"'],
    ['postgres://h/db?pool=many', 'pool="many"'],
  ])('refuses %s as invalid_url naming %s', (url, named) => {
    expect(() => openStorage(url)).toThrow(StorageError);
    expect(() => openStorage(url)).toThrow(
      expect.objectContaining({ code: 'invalid_url', message: expect.stringContaining(named) }),
    );
  });

  it('opens SQLite from a sqlite: URL', async () => {
    const storage = openStorage('sqlite::memory:');
    await storage.migrate();
    expect(storage.dialect).toBe('sqlite');
    await storage.close();
  });
});

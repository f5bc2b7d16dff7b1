// `touchline keys create|list|revoke`: API keys whose secret is shown once and stored only as a hash.
import { parseArgs } from 'node:util';
import { newId } from '@touchline/core';
import { generateKey } from '@touchline/server';
import { openStorage, TEST_ACCOUNT_SUFFIX, type Storage } from '@touchline/storage';
import { databaseFrom, UsageError, type CliIo } from '../cli-io.js';

export const KEYS_HELP = `Usage:
  touchline keys create --account NAME [--test] [--read-only | --admin] [--db PATH|URL] [--json]
    --admin adds the admin scope: erasure and export of a person's data (DELETE /api/v1/users/:id, ...)
  touchline keys list [--account NAME] [--db PATH|URL] [--json]
  touchline keys revoke KEY_ID [--db PATH|URL]`;

async function withStorage<T>(db: string, fn: (s: Storage) => Promise<T>): Promise<T> {
  const storage = openStorage(db);
  try {
    await storage.migrate();
    return await fn(storage);
  } finally {
    await storage.close();
  }
}

export async function keysCommand(argv: string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      account: { type: 'string' },
      test: { type: 'boolean', default: false },
      'read-only': { type: 'boolean', default: false },
      admin: { type: 'boolean', default: false },
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const db = databaseFrom(values.db, io.env);
  const print = (human: string, data: unknown): void => {
    io.stdout.write(values.json ? `${JSON.stringify(data)}\n` : `${human}\n`);
  };

  if (verb === 'create') {
    const name = values.account?.trim();
    if (!name) throw new UsageError('keys create: --account NAME is required');
    if (values.admin && values['read-only'])
      throw new UsageError('keys create: --admin and --read-only exclude each other');
    if (name.endsWith(TEST_ACCOUNT_SUFFIX)) {
      throw new UsageError(
        `keys create: "${name}" is a test-mode account's name; create the key for "${name.slice(0, -TEST_ACCOUNT_SUFFIX.length)}" with --test`,
      );
    }
    return withStorage(db, async (storage) => {
      const now = Date.now();
      const account = await storage.ensureAccount(name, now);
      const mode = values.test ? 'test' : 'live';
      const { secret, hash, prefix } = generateKey(mode);
      const id = newId(now);
      await storage.insertKey({
        id,
        accountId: account.id,
        prefix,
        hash,
        mode,
        scopes: values['read-only'] ? ['read'] : values.admin ? ['ingest', 'read', 'admin'] : ['ingest', 'read'],
        createdAt: now,
        revokedAt: null,
      });
      const where =
        mode === 'test'
          ? ` (it reads and writes only the test-mode data, "${account.name}${TEST_ACCOUNT_SUFFIX}")`
          : '';
      print(
        `Created ${mode} key ${id} for account "${account.name}"${where}.\nSecret (shown once, store it now): ${secret}`,
        { account: account.name, account_id: account.id, key_id: id, key: secret, mode },
      );
      return 0;
    });
  }
  if (verb === 'list') {
    return withStorage(db, async (storage) => {
      const account = values.account ? await storage.findAccount(values.account) : null;
      if (values.account && account === null) throw new UsageError(`keys list: no account named "${values.account}"`);
      const keys = await storage.listKeys(account?.id ?? null);
      const rows = keys.map((k) => ({
        key_id: k.id,
        account_id: k.accountId,
        prefix: k.prefix,
        mode: k.mode,
        scopes: k.scopes,
        created_at: new Date(k.createdAt).toISOString(),
        revoked_at: k.revokedAt === null ? null : new Date(k.revokedAt).toISOString(),
      }));
      print(
        rows.length === 0
          ? 'No keys.'
          : rows
              .map(
                (r) =>
                  `${r.key_id}  ${r.prefix}…  ${r.mode}  ${r.scopes.join(',')}  ${r.revoked_at ? `revoked ${r.revoked_at}` : 'active'}`,
              )
              .join('\n'),
        { keys: rows },
      );
      return 0;
    });
  }
  if (verb === 'revoke') {
    const id = positionals[0];
    if (!id) throw new UsageError('keys revoke: KEY_ID is required (see `touchline keys list`)');
    return withStorage(db, async (storage) => {
      if (!(await storage.revokeKey(id, Date.now()))) {
        io.stderr.write(`No key with id ${id}.\n`);
        return 1;
      }
      print(`Revoked ${id}. Collectors stop accepting it within their key refresh interval (5 s by default).`, {
        revoked: id,
      });
      return 0;
    });
  }
  throw new UsageError(`keys: unknown subcommand "${verb ?? ''}"`);
}

// `touchline uploads add|list|enable|disable|remove|log|export`: conversion upload destinations, their delivery log and file exports, straight on the database.
import { parseArgs } from 'node:util';
import {
  defineDestination,
  deliveryJson,
  destinationOf,
  destinationJson,
  gatherUploads,
  removeDestination,
  setDestinationEnabled,
  uploadFile,
  type Defined,
} from '@touchline/server';
import { openStorage, type Storage } from '@touchline/storage';
import { databaseFrom, UsageError, type CliIo } from '../cli-io.js';

export const UPLOADS_HELP = `Usage: touchline uploads add NAME --platform google_ads|meta --token TOKEN --types purchase[,lead...] --account NAME
           [--developer-token T --conversion-action customers/ID/conversionActions/ID]   (google_ads)
           [--pixel-id ID]                                                              (meta)
           [--endpoint-url URL] [--send-user-data] [--enable] [--db PATH|URL] [--json]
       touchline uploads list|enable ID|disable ID|remove ID --account NAME [--db PATH|URL] [--json]
       touchline uploads log ID --account NAME [--status pending|delivered|failed|skipped] [--limit 100] [--db PATH|URL] [--json]
       touchline uploads export ID --account NAME [--from ISO] [--to ISO] [--conversion-name NAME] [--db PATH|URL]
  Sends conversions whose journey carries a gclid (Google Ads) or fbclid (Meta) back to the platform, from
  a running collector; nothing is sent until a destination is enabled. --send-user-data adds the SHA-256 of
  the email / phone the app gave (off by default). export prints Google's offline import CSV or Meta's
  Conversions API JSON for the window (default the last 30 days). See docs/conversion-uploads.md.`;

const DAY = 86_400_000;
const OPTIONS = {
  account: { type: 'string' },
  db: { type: 'string' },
  json: { type: 'boolean', default: false },
  platform: { type: 'string' },
  token: { type: 'string' },
  'developer-token': { type: 'string' },
  'conversion-action': { type: 'string' },
  'pixel-id': { type: 'string' },
  'endpoint-url': { type: 'string' },
  types: { type: 'string' },
  'send-user-data': { type: 'boolean', default: false },
  enable: { type: 'boolean', default: false },
  status: { type: 'string' },
  limit: { type: 'string', default: '100' },
  from: { type: 'string' },
  to: { type: 'string' },
  'conversion-name': { type: 'string' },
} as const;
const VERBS = ['add', 'list', 'enable', 'disable', 'remove', 'log', 'export'];

type Values = ReturnType<
  typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>
>['values'];

function outcome<T>(io: CliIo, done: Defined<T>): T | null {
  if (done.kind === 'ok') return done.value;
  io.stderr.write(`touchline: ${done.message}\n`);
  return null;
}

function instant(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = /^\d{1,15}$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(ms))
    throw new UsageError(`uploads export: --${flag} "${value}" is not an ISO date or epoch milliseconds`);
  return ms;
}

/** The flags as the API's JSON body, so both are validated by the same schema with the same messages. */
function addBody(name: string | undefined, v: Values): Record<string, unknown> {
  const optional = (key: string, value: string | undefined) => (value === undefined ? {} : { [key]: value });
  return {
    name,
    platform: v.platform,
    ...optional('token', v.token),
    ...optional('developer_token', v['developer-token']),
    ...optional('conversion_action', v['conversion-action']),
    ...optional('pixel_id', v['pixel-id']),
    ...optional('endpoint_url', v['endpoint-url']),
    conversion_types:
      v.types
        ?.split(',')
        .map((t) => t.trim())
        .filter((t) => t !== '') ?? [],
    send_user_data: v['send-user-data'],
    enabled: v.enable,
  };
}

async function exportFile(storage: Storage, accountId: string, id: string, v: Values, io: CliIo): Promise<number> {
  const found = (await storage.listUploadDestinations(accountId)).find((d) => d.id === id);
  if (found === undefined) {
    io.stderr.write(`touchline: no conversion upload destination ${id} in this account\n`);
    return 1;
  }
  const to = instant('to', v.to, Date.now());
  const from = instant('from', v.from, to - 30 * DAY);
  if (from > to) throw new UsageError('uploads export: --from must not be after --to');
  const destination = destinationOf(found);
  const gathered = await gatherUploads(storage, { accountId, destination, from, to, limit: 50_000, unqueued: false });
  io.stdout.write(uploadFile(destination, gathered, v['conversion-name'] ?? null).body);
  return 0;
}

async function run(
  storage: Storage,
  verb: string,
  accountId: string,
  positionals: string[],
  v: Values,
  io: CliIo,
): Promise<number> {
  const now = Date.now();
  const print = (text: string, json: unknown): number => {
    io.stdout.write(v.json ? `${JSON.stringify(json)}\n` : `${text}\n`);
    return 0;
  };
  const id = positionals[0];
  if (verb !== 'add' && verb !== 'list' && id === undefined)
    throw new UsageError(`uploads ${verb}: ID is required (see touchline uploads list)`);
  switch (verb) {
    case 'add': {
      const d = outcome(io, await defineDestination(storage, accountId, null, addBody(id, v), now));
      return d === null
        ? 1
        : print(
            `Created ${d.platform} destination ${d.id} (${d.enabled ? 'enabled' : 'disabled: nothing is sent until `touchline uploads enable`'}).`,
            destinationJson(d),
          );
    }
    case 'list': {
      const [all, counts] = await Promise.all([
        storage.listUploadDestinations(accountId),
        storage.uploadDeliveryCounts(accountId),
      ]);
      const rows = all.map((d) => destinationJson(d, counts));
      return print(
        rows
          .map(
            (d) =>
              `${d.id}  ${d.name} (${d.platform}, ${d.enabled ? 'enabled' : 'disabled'}) ${d.conversion_types.join(',')} -> ${d.endpoint_url}  ` +
              `delivered ${d.deliveries.delivered}, pending ${d.deliveries.pending}, failed ${d.deliveries.failed}, skipped ${d.deliveries.skipped}`,
          )
          .join('\n') || 'No conversion upload destinations.',
        { destinations: rows },
      );
    }
    case 'enable':
    case 'disable': {
      const d = outcome(io, await setDestinationEnabled(storage, accountId, id ?? '', verb === 'enable', now));
      return d === null ? 1 : print(`Destination ${d.id} ${verb}d.`, destinationJson(d));
    }
    case 'remove': {
      const done = await removeDestination(storage, accountId, id ?? '');
      if (done.kind !== 'ok') return outcome(io, done) ?? 1;
      return print(`Removed destination ${id ?? ''} and its delivery log.`, { removed: id });
    }
    case 'log': {
      if (v.status !== undefined && !['pending', 'delivered', 'failed', 'skipped'].includes(v.status))
        throw new UsageError(`uploads log: --status must be pending, delivered, failed or skipped, not "${v.status}"`);
      const limit = Number(v.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new UsageError('uploads log: --limit must be a whole number from 1 to 1000');
      const rows = (
        await storage.uploadDeliveries(accountId, {
          destinationId: id,
          limit,
          ...(v.status ? { status: v.status as 'pending' } : {}),
        })
      ).map(deliveryJson);
      return print(
        rows
          .map(
            (r) =>
              `${r.updated_at}  ${r.conversion_id}  ${r.status.padEnd(9)} attempts ${r.attempts}  ${r.response_code ?? '-'}  ${r.last_error ?? ''}`,
          )
          .join('\n') || 'No deliveries yet.',
        { deliveries: rows },
      );
    }
    default:
      return exportFile(storage, accountId, id ?? '', v, io);
  }
}

export async function uploadsCommand(argv: string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || !VERBS.includes(verb))
    throw new UsageError(`uploads: unknown action "${verb ?? ''}" (expected ${VERBS.join(', ')})`);
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, strict: true, options: OPTIONS });
  const name = values.account?.trim();
  if (!name) throw new UsageError(`uploads ${verb}: --account NAME is required`);
  const storage = openStorage(databaseFrom(values.db, io.env));
  try {
    await storage.migrate();
    const account = await storage.findAccount(name);
    if (account === null) throw new UsageError(`uploads ${verb}: no account named "${name}"`);
    return await run(storage, verb, account.id, positionals, values, io);
  } finally {
    await storage.close();
  }
}

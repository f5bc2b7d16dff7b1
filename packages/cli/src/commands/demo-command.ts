// `touchline demo`: loads a realistic synthetic data set through the real inbox and pipeline, so a new user sees full reports at once.
import { parseArgs } from 'node:util';
import { newId } from '@touchline/core';
import {
  generateKey,
  loadDemo,
  streamDemoTraffic,
  type DemoCounts,
  type DemoMix,
  type LoadProgress,
} from '@touchline/server';
import { openStorage, parseStorageUrl, type Account, type Storage } from '@touchline/storage';
import { databaseFrom, UsageError, type CliIo } from '../cli-io.js';

export const DEMO_HELP = `Usage:
  touchline demo [--db PATH] [--account demo] [--days 30] [--seed 1] [--sessions-per-day 500]
                 [--mix shop|realistic] [--now ISO] [--json]
    Loads synthetic traffic (search, social, email, paid with gclid/fbclid, AI assistants, referrals,
    direct; utm campaigns; visitors on two devices linked by identify; purchases with revenue) through
    the inbox and the real pipeline, then creates a key for the account and prints it.
    --mix shop (default): a fifth of people on two devices, ~4% of sessions buy; realistic: ~5% of
    visitors on two devices, ~1.5% of visitors buy. Up to 90 days and 50000 sessions a day (about
    14M items); the traffic is made as it is loaded, in constant memory.
    The same --seed, --mix and --now (the end of the data; default: now) give the same data.
    Refuses an account that already has data.`;

const DAY = 86_400_000;

function intOption(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`demo: --${name} must be an integer ${min}-${max}, got "${value}"`);
  return n;
}

/** The account, new or empty; an account that already has sessions or events is refused rather than mixed with demo data. */
async function emptyAccount(storage: Storage, name: string, now: number): Promise<Account> {
  const existing = await storage.findAccount(name);
  if (existing !== null) {
    const stats = await storage.stats(existing.id, 0, now + DAY);
    if (stats.sessions > 0 || stats.events > 0) {
      throw new Error(
        `demo: account "${name}" already has ${stats.sessions} sessions and ${stats.events} events; ` +
          'demo data is only loaded into an empty account (pick another --account, or a new --db)',
      );
    }
  }
  return existing ?? storage.ensureAccount(name, now);
}

/** A progress line: items so far, how far through the data's days, the rate and the process's memory. */
function progressLine(p: LoadProgress, from: number, to: number, started: number): string {
  const share = Math.max(0, Math.min(1, (p.through - from) / (to - from)));
  const seconds = (Date.now() - started) / 1000;
  const rss = Math.round(process.memoryUsage.rss() / 2 ** 20);
  return (
    `  ${p.loaded} items, through ${new Date(p.through).toISOString().slice(0, 10)} (${Math.round(100 * share)}% of the days), ` +
    `${Math.round(p.loaded / Math.max(seconds, 0.001))} items/s, ${rss} MiB RSS`
  );
}

function summary(
  account: Account,
  counts: DemoCounts,
  channels: Record<string, number>,
  secret: string,
  ms: number,
): string {
  const channelText = Object.entries(channels)
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  return [
    `Loaded into account "${account.name}" in ${(ms / 1000).toFixed(1)} s:`,
    `  ${counts.sessions} sessions, ${counts.visitors} visitors (${counts.people} people), ${counts.pageviews} pageviews, ${counts.events} events,`,
    `  ${counts.identifies} identify calls, ${counts.conversions} purchases, ${counts.revenue.toFixed(2)} EUR revenue`,
    `  sessions by channel: ${channelText}`,
    '',
    `Key for account "${account.name}" (read + ingest; shown once): ${secret}`,
    'Try:',
    `  curl -H "Authorization: Bearer ${secret}" http://127.0.0.1:8710/api/v1/stats`,
    `  curl -H "Authorization: Bearer ${secret}" "http://127.0.0.1:8710/api/v1/attribution?model=markov"`,
    `  touchline doctor --account ${account.name}`,
  ].join('\n');
}

export async function demoCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      db: { type: 'string' },
      account: { type: 'string', default: 'demo' },
      days: { type: 'string' },
      seed: { type: 'string' },
      'sessions-per-day': { type: 'string' },
      mix: { type: 'string', default: 'shop' },
      now: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 0) throw new UsageError(`demo: unexpected argument "${positionals[0] ?? ''}"`);
  const days = intOption('days', values.days, 30, 1, 90);
  const seed = intOption('seed', values.seed, 1, 0, 2 ** 31 - 1);
  const sessionsPerDay = intOption('sessions-per-day', values['sessions-per-day'], 500, 1, 50_000);
  if (values.mix !== 'shop' && values.mix !== 'realistic')
    throw new UsageError(`demo: --mix must be shop or realistic, got "${values.mix}"`);
  const mix: DemoMix = values.mix;
  const name = values.account.trim();
  if (name === '') throw new UsageError('demo: --account must not be empty');
  const log = (line: string): void => {
    if (!values.json) io.stdout.write(`${line}\n`);
  };
  const db = databaseFrom(values.db, io.env);
  const target = parseStorageUrl(db);
  const storage = openStorage(db);
  try {
    await storage.migrate();
    const started = Date.now();
    const end = values.now === undefined ? started : Date.parse(values.now);
    if (Number.isNaN(end)) throw new UsageError(`demo: --now must be an ISO date-time, got "${values.now ?? ''}"`);
    if (end > started + 60_000)
      throw new UsageError(`demo: --now must not be in the future, got "${values.now ?? ''}"`);
    const account = await emptyAccount(storage, name, started);
    log(
      `Loading ${days} days of demo traffic (seed ${seed}, ${mix} mix, about ${sessionsPerDay} sessions a day) through the inbox and the pipeline...`,
    );
    const traffic = streamDemoTraffic({ seed, days, now: end, sessionsPerDay, mix });
    // A line every ~2% of a big load, every chunk of a small one.
    let nextLine = 0;
    const items = await loadDemo(storage, account.id, traffic.items, {
      // A SQLite file: the pipeline runs on a thread of its own while this one makes the traffic.
      databasePath: target.dialect === 'sqlite' && target.path !== ':memory:' ? target.path : undefined,
      onProgress: (p) => {
        if (p.through < nextLine) return;
        nextLine = p.through + (traffic.to - traffic.from) / 50;
        log(progressLine(p, traffic.from, traffic.to, started));
      },
    });
    const { counts } = traffic;
    const channels: Record<string, number> = {};
    for (const c of await storage.countSessionsByChannel(account.id, end - days * DAY, end + 1))
      channels[c.channel ?? 'unknown'] = c.sessions;
    const key = generateKey('live');
    const keyId = newId();
    await storage.insertKey({
      id: keyId,
      accountId: account.id,
      prefix: key.prefix,
      hash: key.hash,
      mode: 'live',
      scopes: ['ingest', 'read'],
      createdAt: Date.now(),
      revokedAt: null,
    });
    const ms = Date.now() - started;
    if (values.json)
      io.stdout.write(
        `${JSON.stringify({ account: account.name, account_id: account.id, key_id: keyId, key: key.secret, seed, days, sessions_per_day: sessionsPerDay, mix, items, counts, channels, ms })}\n`,
      );
    else log(summary(account, counts, channels, key.secret, ms));
    return 0;
  } finally {
    await storage.close();
  }
}

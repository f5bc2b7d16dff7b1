// Test app for the SDK spool crash test: records events through the real SDK with a spool, writing each returned call's index to stdout.
// argv: endpoint apiKey spoolPath run count ("forever" = until killed). After producing, waits for a line on stdin, then flushes and prints the result.
import { writeSync } from 'node:fs';
import { createClient } from '@touchline/node';

const [endpoint, apiKey, spoolPath, run, count] = process.argv.slice(2);
const total = count === 'forever' ? Infinity : Number(count);
const client = createClient({
  apiKey,
  endpoint,
  spool: { path: spoolPath, maxBytes: 64 * 1024 * 1024 },
  // A memory queue far smaller than the outage, and a retry budget far shorter than it: without the
  // spool both would drop (queue_full, retry_budget); with it neither may.
  maxQueueItems: 100,
  requestTimeoutMs: 2000,
  batch: { maxItems: 50, flushIntervalMs: 10 },
  retry: { baseDelayMs: 10, maxDelayMs: 200, maxAttempts: 3, budgetMs: 500 },
});
const dropped = [];
client.on('dropped', (d) => dropped.push(d));
// Synchronous writes: a line on the pipe means the call before it returned, even if a kill follows at once.
const say = (line) => writeSync(1, `${line}\n`);
say(`ready ${JSON.stringify(client.stats().spool)}`);

for (let n = 0; n < total; n++) {
  client.event('spool-test', { run, n }, { visitorId: `0190f0c0-0000-7000-8000-00000000000${n % 8}` });
  say(`acked ${n}`);
  // Let the transport's timers and sockets run now and then, as a real app's event loop would.
  if (n % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
}
say('produced');
process.stdin.once('data', () => {
  void client.flush({ timeoutMs: 120_000 }).then(async (result) => {
    say(`result ${JSON.stringify({ ...result, droppedEvents: dropped })}`);
    await client.close({ timeoutMs: 1000 });
    process.exit(0);
  });
});

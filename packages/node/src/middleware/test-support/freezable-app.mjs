// Test-only serverless stand-in: an Express app with the SDK, run as a child process that the test freezes (SIGSTOP) the moment the platform would.
// argv: <mode: batched | hold | waitUntil> <collector endpoint>. Prints `listening <port>`, then `idle <n>` each time request n is done
// as the platform sees it: its response finished and (waitUntil mode) every promise handed to waitUntil settled.
import { createServer } from 'node:http';
import express from 'express';
import { createClient } from '@touchline/node';
import { touchlineExpress } from '@touchline/node/express';

const [mode, endpoint] = process.argv.slice(2);
/** Promises handed to the platform's waitUntil and not settled yet (like @vercel/functions' waitUntil). */
const pending = new Set();
function waitUntil(promise) {
  pending.add(promise);
  void promise.finally(() => pending.delete(promise));
}

const serverless = mode === 'hold' ? {} : mode === 'waitUntil' ? { waitUntil } : undefined;
// The batched control waits long enough that only a process left running would deliver.
const client = createClient({
  debug: process.env.TL_DEBUG === '1',
  apiKey: 'test',
  endpoint,
  batch: { flushIntervalMs: 5000 },
  ...(serverless ? { serverless } : {}),
});

const app = express();
app.use(touchlineExpress(client));
app.get('/buy', (_req, res) => {
  client.conversion('purchase', { revenue: 49, currency: 'EUR' });
  res.send('ok');
});

let requests = 0;
const server = createServer(app);
server.on('request', (_req, res) => {
  const n = (requests += 1);
  res.on('finish', async () => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
    process.stdout.write(`idle ${n}\n`);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});

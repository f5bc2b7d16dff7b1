// Benchmark app: a minimal node:http server, bare or wrapped with the Touchline middleware.
import http from 'node:http';
import { createClient } from '@touchline/node';
import { withTouchline } from '@touchline/node/http';

const [mode = 'bare', sinkUrl = 'http://127.0.0.1:1'] = process.argv.slice(2);

const body = '<!doctype html><title>hello</title><p>hello world</p>';
const handler = (req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
};

let app = handler;
let client = null;
if (mode === 'sdk') {
  client = createClient({ apiKey: 'bench', endpoint: sinkUrl, maxQueueItems: 200_000, batch: { maxItems: 500 }, trackPageviews: process.env.BENCH_NO_PAGEVIEWS !== '1' });
  app = withTouchline(client, handler);
}

let requests = 0;
const counted = (req, res) => { requests += 1; return app(req, res); };
const server = http.createServer(counted);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: server.address().port });
});
let cpuStart = process.cpuUsage();
process.on('SIGINT', () => process.exit(0));
process.on('message', async (msg) => {
  if (msg === 'reset') {
    requests = 0;
    cpuStart = process.cpuUsage();
    process.send?.({ reset: true });
  }
  if (msg === 'stats') {
    if (client) await client.flush({ timeoutMs: 10_000 });
    const cpu = process.cpuUsage(cpuStart);
    process.send?.({ stats: client ? client.stats() : null, cpuMicrosPerRequest: (cpu.user + cpu.system) / Math.max(1, requests) });
  }
});

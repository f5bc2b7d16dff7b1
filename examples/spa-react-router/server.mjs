// The SPA example's server: Express with @touchline/node serves the Vite build, the beacon and a purchase API.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createClient } from '@touchline/node';
import { touchlineExpress } from '@touchline/node/express';

const DIST = fileURLToPath(new URL('./dist/', import.meta.url));
const SHELL = fileURLToPath(new URL('./dist/index.html', import.meta.url));
/** Prices live on the server: the browser says what it buys, never what it costs. Exact decimals. */
const PRICES = { 'tl-1': 24.5, 'tl-2': 39 };

function fail(message) {
  console.error(`[spa example] ${message}`);
  process.exit(1);
}

const { TOUCHLINE_KEY, TOUCHLINE_ENDPOINT } = process.env;
if (!TOUCHLINE_KEY || !TOUCHLINE_ENDPOINT)
  fail('set TOUCHLINE_KEY and TOUCHLINE_ENDPOINT (a collector, e.g. touchline serve, and one of its keys)');
if (!existsSync(SHELL)) fail(`no ${SHELL}: run "npm run build" in examples/spa-react-router first`);
const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail(`PORT must be a port number, got ${JSON.stringify(process.env.PORT)}`);

const touchline = createClient({
  apiKey: TOUCHLINE_KEY,
  endpoint: TOUCHLINE_ENDPOINT,
  batch: { flushIntervalMs: 200 },
  debug: process.env.TOUCHLINE_DEBUG === '1',
  onError: (error) => console.error('[touchline]', error.message),
});

const app = express();
// First: it gives navigations their identity, and answers /_touchline/beacon.js and /_touchline/view itself.
app.use(touchlineExpress(touchline));
// Hashed, immutable build output. Asset requests never mint identity (only navigations do).
app.use(
  '/assets',
  express.static(`${DIST}assets`, { index: false, immutable: true, maxAge: '1y', fallthrough: false }),
);

app.post('/api/purchase', express.json({ limit: '4kb' }), (req, res) => {
  const { sku, email } = req.body ?? {};
  if (typeof sku !== 'string' || !Object.hasOwn(PRICES, sku)) {
    res
      .status(400)
      .json({ error: { code: 'bad_sku', message: `sku must be one of ${Object.keys(PRICES).join(', ')}` } });
    return;
  }
  // The request's own visitor and session (its cookies): a fetch from the page counts no pageview.
  if (typeof email === 'string' && email !== '') touchline.identify(email);
  touchline.conversion('purchase', { revenue: PRICES[sku], currency: 'EUR', properties: { sku } });
  res.json({ ok: true });
});
app.use('/api', (_req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: 'no such API route' } });
});
// A body express.json() could not read (malformed, too large): the same JSON error shape, not an HTML page.
app.use('/api', (error, _req, res, next) => {
  if (res.headersSent || typeof error?.status !== 'number') {
    next(error);
    return;
  }
  res
    .status(error.status)
    .json({ error: { code: error.type ?? 'bad_request', message: `request body: ${error.message}` } });
});

// Every other GET is a route of the app: the same shell, React Router renders the path in the browser.
// no-cache: a reload or deep link always reaches the server, which counts it (the beacon counts the rest).
app.get(/.*/, (_req, res) => {
  res.set('cache-control', 'no-cache').sendFile(SHELL);
});

const server = app.listen(port, '127.0.0.1', () => {
  console.log(
    `SPA example on http://127.0.0.1:${server.address().port}/ (events go to ${touchline.settings.endpoint})`,
  );
});

async function shutdown() {
  server.close();
  await touchline.close({ timeoutMs: 5000 });
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

// Example: an Express shop using @touchline/node; with no collector configured it starts a dev sink that prints what arrives.
import http from 'node:http';
import express from 'express';
import { createClient } from '@touchline/node';
import { touchlineExpress } from '@touchline/node/express';

const port = Number(process.env.PORT ?? 3000);

/** Stands in for the collector until one is configured: prints every item it receives. */
function startDevSink() {
  return new Promise((resolve) => {
    const sink = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        try {
          const batch = JSON.parse(body);
          for (const item of batch.items) {
            const what = item.name ?? item.user_id ?? '';
            console.log(
              `[dev sink] ${item.type.padEnd(11)} ${what.padEnd(10)} visitor=${item.visitor_id.slice(-8)} session=${String(item.session_id).slice(-8)} ${item.context?.url ?? ''}`,
            );
          }
          res.writeHead(202, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({ batch_id: batch.batch_id, accepted: batch.items.length, duplicates: 0, errors: [] }),
          );
        } catch {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'bad_json', message: 'body is not JSON' } }));
        }
      });
    });
    sink.listen(0, '127.0.0.1', () => resolve({ sink, url: `http://127.0.0.1:${sink.address().port}` }));
  });
}

const dev = process.env.TOUCHLINE_ENDPOINT ? null : await startDevSink();
const touchline = createClient({
  apiKey: process.env.TOUCHLINE_KEY ?? 'dev',
  endpoint: process.env.TOUCHLINE_ENDPOINT ?? dev.url,
  batch: { flushIntervalMs: 500 },
  onError: (error) => console.error('[touchline]', error.message),
});

const app = express();
app.use(touchlineExpress(touchline));
app.use(express.urlencoded({ extended: false }));

const page = (title, body) => `<!doctype html><meta name="viewport" content="width=device-width"><title>${title}</title>
<h1>${title}</h1>${body}<p><a href="/">home</a> · <a href="/product">product</a> · <a href="/?utm_source=newsletter&utm_medium=email&utm_campaign=nov">campaign landing</a></p>`;

app.get('/', (req, res) => {
  const scope = touchline.current();
  res.send(
    page(
      'Touchline example shop',
      `<p>visitor <code>${scope?.identity.visitorId}</code><br>session <code>${scope?.session.id}</code></p>`,
    ),
  );
});
app.get('/product', (req, res) => {
  touchline.event('product_viewed', { sku: 'TL-1' });
  res.send(
    page(
      'Product',
      '<form method="post" action="/buy"><input name="email" placeholder="email"><button>Buy for 42 EUR</button></form>',
    ),
  );
});
app.post('/buy', (req, res) => {
  if (req.body?.email) touchline.identify(String(req.body.email), { plan: 'demo' });
  touchline.conversion('purchase', { revenue: 42, currency: 'EUR', properties: { sku: 'TL-1' } });
  res.send(page('Thanks!', '<form method="post" action="/logout"><button>Log out</button></form>'));
});
app.post('/logout', (req, res) => {
  touchline.endSession();
  res.redirect(303, '/');
});

const server = app.listen(port, '127.0.0.1', () => {
  console.log(`Example shop on http://127.0.0.1:${port}/ (events go to ${touchline.settings.endpoint})`);
});

async function shutdown() {
  server.close();
  await touchline.close({ timeoutMs: 5000 });
  dev?.sink.close();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

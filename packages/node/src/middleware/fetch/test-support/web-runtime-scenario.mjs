// Test-only scenario run under block-node-builtins.mjs: one navigation through the bundled fetch adapter.
// Prints { cookies, implicit, flush, blocked } as JSON on stdout.
const bundle = await import(process.env.TOUCHLINE_BUNDLE);
const { createClient, withTouchlineFetch } = bundle;

let blocked = 'not blocked';
try {
  await import('node:http');
} catch (error) {
  blocked = error.message;
}

const client = createClient({
  apiKey: 'tl_test_web',
  endpoint: process.env.TOUCHLINE_ENDPOINT,
  batch: { flushIntervalMs: 10 },
});
let implicit = null;
const handler = withTouchlineFetch(client, async (request, scope) => {
  implicit = client.current() === scope;
  await Promise.resolve();
  // Explicit scoping works everywhere; implicit (current()) only where AsyncLocalStorage exists.
  client.event('edge_hello', { path: new URL(request.url).pathname }, { scope });
  client.conversion('edge_purchase', { revenue: 9.5, currency: 'EUR' }, { scope });
  return new Response('ok', { headers: { 'content-type': 'text/plain' } });
});
const response = await handler(
  new Request('https://shop.example/landing?utm_source=news', {
    headers: {
      accept: 'text/html',
      'sec-fetch-mode': 'navigate',
      'sec-fetch-dest': 'document',
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
    },
  }),
);
const flush = await client.close({ timeoutMs: 5000 });
process.stdout.write(
  JSON.stringify({
    status: response.status,
    body: await response.text(),
    cookies: response.headers.getSetCookie(),
    implicit,
    flush,
    blocked,
  }),
);

// One Touchline client per server bundle (the middleware has its own): key and collector from the environment.
import { createClient } from '@touchline/node';

export const touchline = createClient({
  apiKey: process.env.TOUCHLINE_KEY ?? 'missing-key',
  endpoint: process.env.TOUCHLINE_ENDPOINT ?? 'http://127.0.0.1:8710',
  batch: { flushIntervalMs: 200 },
  // TOUCHLINE_DEBUG=1 prints every delivery, drop and error to stderr.
  debug: process.env.TOUCHLINE_DEBUG === '1',
});

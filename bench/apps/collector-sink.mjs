// Benchmark collector stand-in, in its own process: acknowledges every batch (Touchline's and the peer SDKs') and counts its items.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';

/**
 * Touchline's batches: reads only what an acknowledgement needs (the batch id) and counts items by
 * their opening `{"type":"` (the SDK serializes `type` first), so the sink costs the shared cores little.
 */
function touchlineBatch(body) {
  const batchId = /"batch_id":"([^"]+)"/.exec(body)?.[1] ?? '';
  let count = 0;
  for (let at = body.indexOf('{"type":"'); at !== -1; at = body.indexOf('{"type":"', at + 9)) count += 1;
  return { count, status: 202, answer: { batch_id: batchId, accepted: count, duplicates: 0, errors: [] } };
}

/** The peers' batch bodies are `{ batch: [...] }` (PostHog's gzipped by default); parsed whole, so a malformed one is seen. */
function peerBatch(raw, encoding) {
  const text = (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
  const batch = JSON.parse(text).batch;
  if (!Array.isArray(batch)) throw new Error('no batch array');
  return batch.length;
}

/**
 * Routes by path: Touchline's /api/v1/batch, PostHog's /batch/ (posthog-node 5), Segment's
 * /v1/batch. Peers get 200, which both SDKs treat as delivered, so nothing is retried; any other
 * path is answered 200 too and counted by path, so an SDK calling home shows in the report.
 */
const counts = { touchline: 0, posthog: 0, segment: 0, other: {}, malformed: 0 };
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (path === '/api/v1/batch') {
        const { count, status, answer } = touchlineBatch(raw.toString('latin1'));
        counts.touchline += count;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
        return;
      }
      if (path === '/batch/' || path === '/batch') counts.posthog += peerBatch(raw, req.headers['content-encoding']);
      else if (path === '/v1/batch') counts.segment += peerBatch(raw, req.headers['content-encoding']);
      else counts.other[path] = (counts.other[path] ?? 0) + 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"Ok"}');
    } catch {
      counts.malformed += 1;
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"bad_batch","message":"the sink could not read this batch"}}');
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ url: `http://127.0.0.1:${server.address().port}` }));
process.on('message', (msg) => {
  if (msg === 'items') process.send?.({ items: counts.touchline });
  if (msg === 'counts') process.send?.({ counts });
});

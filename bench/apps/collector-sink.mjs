// Benchmark collector stand-in, in its own process: acknowledges every batch and counts its items.
import http from 'node:http';

// Reads only what an acknowledgement needs (the batch id) and counts items by their opening
// `{"type":"` (the SDK serializes `type` first), so the sink costs the shared cores little.
let items = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('latin1');
    const batchId = /"batch_id":"([^"]+)"/.exec(body)?.[1] ?? '';
    let count = 0;
    for (let at = body.indexOf('{"type":"'); at !== -1; at = body.indexOf('{"type":"', at + 9)) count += 1;
    items += count;
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ batch_id: batchId, accepted: count, duplicates: 0, errors: [] }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ url: `http://127.0.0.1:${server.address().port}` }));
process.on('message', (msg) => { if (msg === 'items') process.send?.({ items }); });

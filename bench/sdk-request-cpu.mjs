// Bench: the SDK's CPU per request in process (no sockets, so no loopback costs), beside bare, the floor and a minimal SDK, alternated in one run.
// Usage: node bench/sdk-request-cpu.mjs [--rounds 5] [--requests 100000] [--modes bare,floor,minimum,touchline] [--base DIR]
// --base DIR adds `touchline@base`: the build in DIR/node_modules/@touchline/node (a copy of an
// earlier build's packages/{core,node} dist and package.json, with the other node_modules linked),
// for a same-run A/B of an SDK change. Every variant delivers to bench/apps/collector-sink.mjs.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const LOOP = fileURLToPath(new URL('./apps/sdk-request-loop.mjs', import.meta.url));
const SINK = fileURLToPath(new URL('./apps/collector-sink.mjs', import.meta.url));

function once(child) {
  return new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`child exited with ${code}`)));
  });
}

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '100000' },
    modes: { type: 'string', default: 'bare,floor,minimum,touchline' },
    base: { type: 'string' },
  },
});
const variants = values.modes.split(',').map((mode) => ({ label: mode, mode, dir: undefined }));
if (values.base) variants.push({ label: 'touchline@base', mode: 'touchline', dir: values.base });
const sink = fork(SINK, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const { url } = await once(sink);
const samples = Object.fromEntries(variants.map((v) => [v.label, []]));
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const v of variants) {
      const args = [v.mode, url, values.requests, ...(v.dir ? [v.dir] : [])];
      const child = fork(LOOP, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      const { cpuMicrosPerRequest } = await once(child);
      samples[v.label].push(cpuMicrosPerRequest);
      process.stderr.write(`[sdk-request-cpu] round ${round + 1}, ${v.label}: ${cpuMicrosPerRequest.toFixed(2)} µs\n`);
    }
  }
} finally {
  sink.kill();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bare = samples.bare ? median(samples.bare) : null;
console.log(
  `\nNode ${process.versions.node}, ${values.rounds} alternated rounds of ${values.requests} requests; CPU µs per request, median (rounds)\n`,
);
console.log('| variant | CPU µs/request | above bare | CPU ratio (bare / row) | rounds |');
console.log('|---|---|---|---|---|');
for (const [label, xs] of Object.entries(samples)) {
  const m = median(xs);
  const above = bare === null ? '-' : (m - bare).toFixed(2);
  const ratio = bare === null ? '-' : (bare / m).toFixed(3);
  console.log(`| ${label} | ${m.toFixed(2)} | ${above} | ${ratio} | ${xs.map((x) => x.toFixed(1)).join(', ')} |`);
}
if (samples.touchline && samples['touchline@base']) {
  const ratio = median(samples.touchline) / median(samples['touchline@base']);
  console.log(`\ntouchline / touchline@base: ${ratio.toFixed(3)} of the base build's CPU per request`);
}

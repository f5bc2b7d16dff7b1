// Test-only preload: turns this Node process into a Web-standard runtime (no importable Node built-ins).
// Usage: node --import ./block-node-builtins.mjs scenario.mjs; TOUCHLINE_EDGE_ALS=1 also exposes
// globalThis.AsyncLocalStorage, as the Next.js edge runtime does.
import { AsyncLocalStorage } from 'node:async_hooks';
import { builtinModules, register } from 'node:module';

const hooks = `
let blocked = new Set();
export function initialize(data) { blocked = new Set(data.builtins); }
export async function resolve(specifier, context, next) {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  if (specifier.startsWith('node:') || blocked.has(bare)) throw new Error('blocked Node built-in import: ' + specifier);
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { data: { builtins: builtinModules } });

// As on Next.js edge: reading a Node API the runtime lacks throws.
Object.defineProperty(process, 'getBuiltinModule', {
  get() {
    throw new Error('A Node.js API is used (process.getBuiltinModule) which is not supported in the Edge Runtime.');
  },
});
// Buffer stays: Node's own fetch (undici, standing in for the runtime's fetch) reads the global
// Buffer on every request. The SDK's Buffer-free path (utf8LengthPortable) and numeric
// timers (realScheduler) have their own unit tests; undici needs Node's timers too.
if (process.env.TOUCHLINE_EDGE_ALS === '1') globalThis.AsyncLocalStorage = AsyncLocalStorage;

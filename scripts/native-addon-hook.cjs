// Preload (node --require) that points better-sqlite3 at a native addon built for the running Node, so Node 22/24 test runs share node_modules with Node 20.
'use strict';
const { registerHooks } = require('node:module');
const { pathToFileURL } = require('node:url');

// Why a resolve hook and not a rebuild: rebuilding node_modules/better-sqlite3 for Node 24 breaks every
// Node 20 run that shares it; the hook swaps only the .node file, only in processes that preload it.
// Why --require and not --import: worker threads (read threads, the checkpointer) run --require
// preloads from NODE_OPTIONS, so they load the same addon as their parent.
const addon = process.env.TOUCHLINE_BETTER_SQLITE3_ADDON;
const shared = /[\\/]node_modules[\\/]better-sqlite3[\\/]build[\\/]Release[\\/]better_sqlite3\.node$/;

if (addon !== undefined && addon !== '') {
  const target = pathToFileURL(addon).href;
  registerHooks({
    resolve: function resolveNativeAddon(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      return shared.test(resolved.url) ? { ...resolved, url: target, shortCircuit: true } : resolved;
    },
  });
}

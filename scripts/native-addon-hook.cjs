// Preload (node --require) that points better-sqlite3 at a native addon built for the running Node, so Node 22/24 test runs share node_modules with Node 20.
'use strict';
const Module = require('node:module');

// Why not a rebuild: rebuilding node_modules/better-sqlite3 for Node 24 breaks every Node 20 run that
// shares it; this swaps only the .node file, only in processes that preload it.
// Why --require: worker threads (read threads, the checkpointer) and spawned CLIs run --require
// preloads from NODE_OPTIONS, so they load the same addon as their parent.
// Why patch require's filename resolution rather than module.registerHooks: better-sqlite3 loads the
// addon with require(), and on Node 22 a registerHooks resolve hook fails (ERR_METHOD_NOT_IMPLEMENTED)
// in any child that also has an async loader registered; this touches require() only, in test runs only.
const addon = process.env.TOUCHLINE_BETTER_SQLITE3_ADDON;
const shared = /[\\/]node_modules[\\/]better-sqlite3[\\/]build[\\/]Release[\\/]better_sqlite3\.node$/;

if (addon !== undefined && addon !== '') {
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function resolveNativeAddon(request, ...rest) {
    const resolved = resolveFilename.call(this, request, ...rest);
    return shared.test(resolved) ? addon : resolved;
  };
}

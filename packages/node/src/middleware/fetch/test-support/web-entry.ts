// Test-only bundle entry: what edge code imports, @touchline/node (its `edge-light`/`workerd` export, edge.js: no file spool) and @touchline/node/fetch.
export { createClient } from '../../../edge.js';
export { withTouchlineFetch } from '../index.js';

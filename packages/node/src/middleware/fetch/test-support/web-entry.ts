// Test-only bundle entry: what edge code imports, @touchline/node and @touchline/node/fetch.
export { createClient } from '../../../index.js';
export { withTouchlineFetch } from '../index.js';

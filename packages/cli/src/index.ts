// Public surface of @touchline/cli: the dispatcher, for the bin script and in-process tests.
export { runCli } from './run-cli.js';
export type { CliIo } from './cli-io.js';

#!/usr/bin/env node
// The touchline executable: runs the CLI from the built package and exits with its status.
import { runCli } from '../dist/index.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});

// What every bench's result file records about the run (date, machine, load average), and how it is written: the README's figures are rendered from these files.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The machine a bench ran on, with its 1-minute load average now (the machine is shared: the load says how busy it was). */
export function machine() {
  const [load1, load5, load15] = os.loadavg();
  return {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model ?? 'cpu',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    load1,
    load5,
    load15,
  };
}

/** The 1-minute load average, rounded, for a row measured now. */
export const load1 = () => Number(os.loadavg()[0].toFixed(2));

/** The commit of the code measured (short hash, "+changes" when the tree differs from it), or null outside a git checkout. */
export function codeVersion() {
  const git = (...args) => spawnSync('git', args, { cwd: dirname(fileURLToPath(import.meta.url)), encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return null;
  const dirty = git('status', '--porcelain', '--untracked-files=no').stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? '+changes' : ''}`;
}

/** Writes a bench's result as pretty JSON (with the commit measured, unless the result names one), creating the folder; returns the absolute path. */
export function writeResult(file, result) {
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ code: codeVersion(), ...result }, null, 2)}\n`);
  return path;
}

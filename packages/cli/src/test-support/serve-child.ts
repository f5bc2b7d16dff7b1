// Test helper: runs the built `touchline serve` as a child process on a given port and SQLite file.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/touchline.mjs', import.meta.url));

export interface ServeChild {
  child: ChildProcess;
  url: string;
  /** Resolves when the process has exited (at once if it already has). */
  exited: Promise<void>;
}

/** A port that was free a moment ago, so restarts can listen where the SDK keeps sending. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Starts `touchline serve` and resolves once it prints its address (it answers 503 until its keys are loaded). */
export function serveChild(db: string, port: number, env: Record<string, string> = {}): Promise<ServeChild> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--db', db], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start within 20 s: ${out}`));
    }, 20_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve({ child, url: m[1], exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code ?? signal}) before listening: ${out}`));
    });
  });
}

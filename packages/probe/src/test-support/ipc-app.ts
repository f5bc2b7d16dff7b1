// L3 reproduction: an HTTP server that asks a forked worker over IPC and answers with whatever comes back.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { pathOf, sendJson, userOf } from './app-kit.js';
import { serveApp, type RunningApp } from './serve-app.js';

interface Reply {
  id?: string;
  user: string;
  path: string;
}

function startWorker(): ChildProcess {
  return fork(fileURLToPath(new URL('./ipc-worker.mjs', import.meta.url)), [], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

async function stopWorker(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.disconnect();
  await exited;
}

/** The bug: no correlation id, so each request takes the next reply, which may be another user's. */
export async function serveIpcApp(): Promise<RunningApp> {
  const worker = startWorker();
  const waiting: Array<(reply: Reply) => void> = [];
  worker.on('message', (reply: Reply) => waiting.shift()?.(reply));
  return serveApp(
    async (req, res) => {
      const reply = await new Promise<Reply>((resolve) => {
        waiting.push(resolve);
        worker.send({ user: userOf(req), path: pathOf(req) });
      });
      sendJson(res, { user: reply.user, path: pathOf(req) });
    },
    () => stopWorker(worker),
  );
}

/** The fix: every message carries an id and the reply is matched to it (DESIGN L3). */
export async function serveIpcAppFixed(): Promise<RunningApp> {
  const worker = startWorker();
  const waiting = new Map<string, (reply: Reply) => void>();
  worker.on('message', (reply: Reply) => {
    const resolve = reply.id === undefined ? undefined : waiting.get(reply.id);
    if (reply.id !== undefined) waiting.delete(reply.id);
    resolve?.(reply);
  });
  return serveApp(
    async (req, res) => {
      const id = randomUUID();
      const reply = await new Promise<Reply>((resolve) => {
        waiting.set(id, resolve);
        worker.send({ id, user: userOf(req), path: pathOf(req) });
      });
      sendJson(res, { user: reply.user, path: reply.path });
    },
    () => stopWorker(worker),
  );
}

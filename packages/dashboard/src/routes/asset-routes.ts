// Serves the dashboard page and its static assets (the compiled app, styles, uPlot) from the package: no CDN.
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { replyError } from '@touchline/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

// src/routes/ and dist/routes/ both sit two levels below the package root.
const STATIC_DIR = new URL('../../app/static/', import.meta.url);
const APP_DIR = new URL('../../dist/app/', import.meta.url);

/** The page may load only its own scripts, styles and data: injected markup could not run or phone home. */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
} as const;

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/** A file's bytes and their gzip form, read and compressed once per registration (the files only change with a rebuild). */
type AssetCache = Map<string, Promise<{ raw: Buffer; gzip: Buffer }>>;

async function sendFile(
  cache: AssetCache,
  request: FastifyRequest,
  reply: FastifyReply,
  file: string,
  type: string,
): Promise<FastifyReply> {
  let entry = cache.get(file);
  if (entry === undefined) {
    entry = readFile(file).then((raw) => ({ raw, gzip: gzipSync(raw, { level: 9 }) }));
    cache.set(file, entry);
    entry.catch(() => cache.delete(file));
  }
  let body: { raw: Buffer; gzip: Buffer };
  try {
    body = await entry;
  } catch {
    return replyError(reply, 404, 'not_found', `dashboard asset ${file} is missing (run npm run build)`);
  }
  // uPlot is ~145 KB as an ES module and ~42 KB gzipped: worth it on a phone connection.
  const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  reply.headers({ ...PAGE_HEADERS, 'content-type': type, vary: 'accept-encoding' });
  if (gzip) reply.header('content-encoding', 'gzip');
  return reply.send(gzip ? body.gzip : body.raw);
}

export function registerAssetRoutes(app: FastifyInstance): void {
  const require = createRequire(import.meta.url);
  // A fixed allowlist: request paths never reach the file system unchecked.
  const fixed: Record<string, [string, string]> = {
    'styles.css': [fileURLToPath(new URL('styles.css', STATIC_DIR)), TYPES.css as string],
    'uplot.js': [require.resolve('uplot/dist/uPlot.esm.js'), TYPES.js as string],
    'uplot.css': [require.resolve('uplot/dist/uPlot.min.css'), TYPES.css as string],
  };
  const page = fileURLToPath(new URL('index.html', STATIC_DIR));
  const cache: AssetCache = new Map();

  app.get('/', (request, reply) => sendFile(cache, request, reply, page, TYPES.html as string));
  app.get('/dashboard', (_request, reply) => reply.redirect('/'));
  app.get('/dashboard/assets/:name', (request, reply) => {
    const name = String((request.params as Record<string, unknown>).name);
    const entry = fixed[name];
    if (entry === undefined) return replyError(reply, 404, 'not_found', `no dashboard asset ${name.slice(0, 80)}`);
    return sendFile(cache, request, reply, entry[0], entry[1]);
  });
  app.get('/dashboard/assets/app/:name', (request, reply) => {
    const name = String((request.params as Record<string, unknown>).name);
    if (!/^[a-z0-9-]+\.js$/.test(name))
      return replyError(reply, 404, 'not_found', `no dashboard script ${name.slice(0, 80)}`);
    return sendFile(cache, request, reply, fileURLToPath(new URL(name, APP_DIR)), TYPES.js as string);
  });
}

// createClient: the SDK entry point tying identity, per-request context and delivery together.
import { createBotCheck, endSessionCookies, newId, SettingsError, TouchlineError } from '@touchline/core';
import { parseClientSettings, type ClientSettings, type ClientSettingsInput } from '../client-settings.js';
import type { OpenSpool } from '../spool/spool-store.js';
import { createTransport } from '../transport/create-transport.js';
import { createHttpPost, nodeHttpModules, type HttpPost } from '../transport/http-post.js';
import type { FlushResult, TransportStats } from '../transport/transport.js';
import { buildAlias, buildItem, buildPageview, type ItemBody } from './build-items.js';
import { captureScope, type RequestScope } from './capture-scope.js';
import { scriptAnswer, VIEW_BEACON_ANSWER } from './beacon-answer.js';
import { isNavigationBeaconRequest, navigationBeaconScript } from './navigation-beacon.js';
import { viewBeaconNavigation } from './view-beacon.js';
import { createContextStore } from './context-store.js';
import { createEmitter, type Listener, type TouchlineEventName } from './client-events.js';
import type { RequestInfo } from './request-info.js';

export const SDK_NAME = '@touchline/node';
export const SDK_VERSION = '0.1.0';

/** Outside a request, say whose item it is; inside one, these override the request's ids. */
export interface TrackOptions {
  visitorId?: string;
  sessionId?: string | null;
  /** When it happened (epoch ms or Date). @default now */
  timestamp?: number | Date;
  /**
   * The request this item belongs to, passed explicitly: for runtimes without AsyncLocalStorage,
   * and for code that holds a scope (e.g. from @touchline/node/next's scope helpers). @default current()
   */
  scope?: RequestScope;
}

export interface ConversionInput {
  revenue?: number;
  /** ISO 4217, e.g. 'EUR'. */
  currency?: string;
  properties?: Record<string, unknown>;
}

export interface TouchlineClient {
  readonly settings: ClientSettings;
  /**
   * For adapters: resolves identity for one request and records its pageview. When the result's
   * `answer` is set (the view beacon, the navigation beacon script), the adapter sends it with the
   * identity cookies and does not call the app.
   */
  handle(info: RequestInfo): RequestScope;
  /**
   * For adapters, as a response is about to end: with `serverless` settings, starts delivering
   * what is queued. Returns the promise the adapter must await before ending the response (the
   * bounded flush), or null when there is nothing to wait for: not serverless, or the flush was
   * handed to `waitUntil` (the settings' one, else `platformWaitUntil`, the adapter's per-request
   * one). Never rejects.
   */
  deliverBeforeFreeze(platformWaitUntil?: (promise: Promise<unknown>) => void): Promise<void> | null;
  /** For adapters: runs `fn` with `scope` as the current request context. */
  run<T>(scope: RequestScope, fn: () => T): T;
  /** The current request's scope, if called inside one. */
  current(): RequestScope | undefined;
  event(name: string, properties?: Record<string, unknown>, options?: TrackOptions): void;
  conversion(name: string, input?: ConversionInput, options?: TrackOptions): void;
  identify(userId: string, traits?: Record<string, unknown>, options?: TrackOptions): void;
  /** Logout: the next request of this browser starts a new session. Only inside a request. */
  endSession(options?: { scope?: RequestScope }): void;
  flush(options?: { timeoutMs?: number }): Promise<FlushResult>;
  close(options?: { timeoutMs?: number }): Promise<FlushResult>;
  stats(): TransportStats;
  on<K extends TouchlineEventName>(name: K, listener: Listener<K>): () => void;
}

/**
 * What the runtime's entry point provides. The Node entry (`@touchline/node`) passes the file
 * spool; edge entries pass nothing, so node:fs stays out of what they load.
 */
export interface ClientPlatform {
  openSpool?: OpenSpool;
}

/**
 * node:http(s) with keep-alive agents on Node (cheaper per batch than fetch, see createHttpPost);
 * global fetch on Web-standard runtimes (Next.js edge, workers, Deno), where node:http is absent.
 */
function defaultHttpClient(): { post: HttpPost; close(): void } {
  const modules = nodeHttpModules();
  if (modules !== undefined) return createHttpPost(modules);
  return { post: (url, init) => globalThis.fetch(url, init), close: () => undefined };
}

/** Debug output goes to stderr only when asked for; everything else is events. */
function debugTap(settings: ClientSettings) {
  if (settings.debug === false) return undefined;
  if (typeof settings.debug === 'function') return settings.debug;
  return (name: string, payload: unknown): void => {
    // eslint-disable-next-line no-console -- the user asked for debug output
    console.error(`[touchline] ${name}`, payload);
  };
}

/**
 * Creates an independent client. All state lives in the returned object; several clients can
 * coexist, and nothing about a request outlives it except the frozen items it queued.
 *
 * @example
 * const touchline = createClient({ apiKey: process.env.TOUCHLINE_KEY! });
 * app.use(touchlineExpress(touchline));
 * app.post('/buy', (req, res) => { touchline.conversion('purchase', { revenue: 42, currency: 'EUR' }); ... });
 */
export function createClient(input: ClientSettingsInput, platform: ClientPlatform = {}): TouchlineClient {
  const settings = parseClientSettings(input);
  if (settings.spool !== undefined && platform.openSpool === undefined) {
    throw new SettingsError('@touchline/node client', [
      {
        path: 'spool',
        message:
          "needs a file system: this runtime's entry of @touchline/node has no spool (use the Node entry, or remove spool)",
      },
    ]);
  }
  const now = settings.now ?? Date.now;
  const emitter = createEmitter(debugTap(settings));
  const { store: storage } = createContextStore<RequestScope>();
  const invalid = { count: 0 };
  /** Navigations seen, for the delivery health each batch reports (bots: how much traffic got no identity). */
  const traffic = { navigations: 0, botNavigations: 0 };
  const isBot = createBotCheck();

  const reportError = (error: Error): void => {
    if (settings.onError) {
      try {
        settings.onError(error);
      } catch {
        /* the host's handler must not break us */
      }
    }
    emitter.emit('error', { error });
  };
  // Opened before anything else starts: a spool that cannot be used is refused here, at start.
  const spool = settings.spool === undefined ? undefined : platform.openSpool?.(settings.spool, reportError);
  const http = settings.fetch === undefined ? defaultHttpClient() : { post: settings.fetch, close: () => undefined };
  const transport = createTransport(settings, {
    fetch: http.post,
    now,
    emitter,
    onError: reportError,
    sdk: { name: SDK_NAME, version: SDK_VERSION },
    health: settings.reportHealth ? { instanceId: newId(now()), traffic: () => ({ ...traffic }) } : undefined,
    ...(settings.scheduler ? { scheduler: settings.scheduler } : {}),
    ...(spool ? { spool } : {}),
  });

  const reject = (code: string, message: string): void => {
    invalid.count += 1;
    emitter.emit('dropped', { count: 1, reason: code });
    reportError(new TouchlineError(code, message));
  };

  const record = (body: ItemBody, options: TrackOptions = {}): void => {
    try {
      const scope = options.scope ?? storage.getStore();
      if (scope?.identity.kind === 'prefetch' && options.visitorId === undefined) {
        // A speculative load (prefetch, prerender) may never be shown: what its handler records
        // would count a view nobody saw. Counted, not reported as an error; explicit visitors pass.
        invalid.count += 1;
        emitter.emit('dropped', { count: 1, reason: 'speculative' });
        return;
      }
      const visitorId = options.visitorId ?? scope?.identity.visitorId ?? null;
      if (visitorId === null && scope?.consent === 'none') {
        // No consent for this request: by design, counted and not reported as an error.
        invalid.count += 1;
        emitter.emit('dropped', { count: 1, reason: 'no_consent' });
        return;
      }
      if (visitorId === null && scope?.identity.isBot) {
        // Bots produce no events by design: counted, not reported as an error.
        invalid.count += 1;
        emitter.emit('dropped', { count: 1, reason: 'bot' });
        return;
      }
      if (visitorId === null) {
        const why = scope ? 'this request has no visitor (bot or asset)' : 'called outside a request';
        reject('no_visitor', `${body.type} dropped: ${why}; pass { visitorId } explicitly`);
        return;
      }
      const sameVisitor = scope !== undefined && visitorId === scope.identity.visitorId;
      const sessionId = options.sessionId !== undefined ? options.sessionId : sameVisitor ? scope.session.id : null;
      const ts = options.timestamp === undefined ? now() : +options.timestamp;
      const built = buildItem(
        { visitorId, sessionId, context: sameVisitor ? scope.context : null, timestamp: ts },
        body,
      );
      if (built.kind === 'ok') transport.enqueue(built.value);
      else reject('invalid_item', built.error);
    } catch (error) {
      reportError(error instanceof Error ? error : new Error(String(error)));
    }
  };

  const scriptPath = settings.beaconScriptPath;
  // Built once: the script depends on settings only.
  const script =
    scriptPath === false || settings.viewBeaconPath === false ? null : navigationBeaconScript(settings.viewBeaconPath);
  const scriptAnswers = script === null ? null : { GET: scriptAnswer(script, false), HEAD: scriptAnswer(script, true) };

  const deliverBeforeFreeze = (platformWaitUntil?: (promise: Promise<unknown>) => void): Promise<void> | null => {
    const serverless = settings.serverless;
    if (serverless === undefined) return null;
    const delivered = transport.flush({ timeoutMs: serverless.flushTimeoutMs }).then(() => undefined, reportError);
    const waitUntil = serverless.waitUntil ?? platformWaitUntil;
    if (waitUntil === undefined) return delivered;
    try {
      waitUntil(delivered);
      return null;
    } catch (error) {
      // A platform function that refuses (called too late, say): fall back to holding the response.
      reportError(error instanceof Error ? error : new Error(String(error)));
      return delivered;
    }
  };

  return {
    settings,
    handle(info) {
      if (scriptAnswers !== null && isNavigationBeaconRequest(info.method, info.url, scriptPath as string)) {
        // A static file of ours: no identity minted, no pageview, never reaches the app.
        return captureScope(
          { ...info, kind: 'asset' },
          settings,
          now(),
          isBot,
          info.method === 'HEAD' ? scriptAnswers.HEAD : scriptAnswers.GET,
        );
      }
      const beacon =
        settings.viewBeaconPath === false
          ? null
          : viewBeaconNavigation(info, settings.viewBeaconPath, settings.trustProxy);
      const scope = captureScope(beacon ?? info, settings, now(), isBot, beacon === null ? null : VIEW_BEACON_ANSWER);
      const { identity } = scope;
      if (scope.consentProblem !== null) reportError(new TouchlineError('consent_rule', scope.consentProblem));
      if (identity.kind === 'navigation') {
        if (identity.isBot) traffic.botNavigations += 1;
        else if (identity.visitorId !== null) traffic.navigations += 1;
      }
      // Racing first navigations left ghosts in this browser's jar: tell the collector whose they are.
      for (const ghost of identity.aliases) transport.enqueue(buildAlias(identity.visitorId ?? '', ghost, now()));
      if (
        settings.trackPageviews &&
        identity.kind === 'navigation' &&
        identity.visitorId !== null &&
        identity.sessionId !== null
      ) {
        transport.enqueue(
          buildPageview({
            visitorId: identity.visitorId,
            sessionId: identity.sessionId,
            context: scope.context,
            timestamp: now(),
          }),
        );
      }
      return scope;
    },
    deliverBeforeFreeze,
    run: (scope, fn) => storage.run(scope, fn),
    current: () => storage.getStore(),
    event: (name, properties = {}, options) => record({ type: 'event', name, properties }, options),
    conversion: (name, conv = {}, options) =>
      record(
        {
          type: 'conversion',
          name,
          revenue: conv.revenue ?? null,
          currency: conv.currency ?? null,
          properties: conv.properties ?? {},
        },
        options,
      ),
    identify: (userId, traits = {}, options) => record({ type: 'identify', user_id: userId, traits }, options),
    endSession(options = {}) {
      const scope = options.scope ?? storage.getStore();
      if (scope === undefined) {
        reject('no_request', 'endSession() must be called inside a request handled by a Touchline adapter');
        return;
      }
      if (scope.consent === 'cookieless') {
        // No cookie to end a session with: the collector's inactivity timeout decides cookieless sessions.
        emitter.emit('dropped', { count: 1, reason: 'cookieless' });
        return;
      }
      if (scope.identity.kind === 'prefetch') {
        // Speculative loads are read-only: a prefetched logout link the user never clicked must not log anyone out.
        emitter.emit('dropped', { count: 1, reason: 'speculative' });
        return;
      }
      const current = { ...scope.identity, sessionId: scope.session.id, sessionNumber: scope.session.number };
      const next = endSessionCookies(current, { url: scope.url, settings: settings.session });
      if (next === null) return;
      if (!scope.appendSetCookie(next.setCookies)) {
        reject('headers_sent', 'endSession() called after the response headers were sent; the session was not ended');
        return;
      }
      record({ type: 'session_end', next_session_id: next.sessionId }, { scope });
      scope.session = { id: next.sessionId, number: next.sessionNumber };
    },
    flush: (options) => transport.flush(options),
    close: (options) => transport.close(options).finally(http.close),
    stats() {
      const stats = transport.stats();
      return invalid.count === 0 ? stats : { ...stats, dropped: { ...stats.dropped, invalid: invalid.count } };
    },
    on: (name, listener) => emitter.on(name, listener),
  };
}

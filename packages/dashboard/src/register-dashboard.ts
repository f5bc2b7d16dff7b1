// registerDashboard: adds the signed-in web dashboard (page, assets, sign-in and data API) to a collector's Fastify app.
import { createReadPool, inlineReadSlots, type ReadPool } from '@touchline/server';
import type { Storage } from '@touchline/storage';
import type { FastifyInstance } from 'fastify';
import { createAdminPassword } from './auth/admin-password.js';
import { createLoginThrottle } from './auth/login-throttle.js';
import { createSessionStore } from './auth/session-store.js';
import { parseDashboardSettings, type DashboardSettingsInput } from './dashboard-settings.js';
import { registerAssetRoutes } from './routes/asset-routes.js';
import { registerAttributionRoutes } from './routes/attribution-routes.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerFeedRoutes } from './routes/feed-routes.js';
import { registerFunnelRoutes } from './routes/funnel-routes.js';
import { registerInvitationRoutes } from './routes/invitation-routes.js';
import { registerOverviewRoutes } from './routes/overview-routes.js';
import { registerSpendRoutes } from './routes/spend-routes.js';
import { registerUploadRoutes } from './routes/upload-routes.js';
import { registerUserRoutes } from './routes/user-routes.js';

export interface DashboardOptions {
  storage: Storage;
  /**
   * Where the dashboard's queries run: pass the collector's (`collector.reads`) so they share its
   * read threads and bound. Without it they run inline on `storage`, two at a time.
   */
  reads?: ReadPool;
  settings?: DashboardSettingsInput;
}

/**
 * Registers the dashboard on `app` before it listens. Every data route needs a signed-in session and
 * checks its role: admins everything, viewers reads of their accounts. With no admin password and no
 * named user the page explains how to set one and nothing is readable.
 *
 * @example
 * const collector = createCollector({ storage });
 * registerDashboard(collector.app, { storage, reads: collector.reads, settings: { adminPassword: process.env.TOUCHLINE_ADMIN_PASSWORD } });
 * await collector.start();
 */
export function registerDashboard(app: FastifyInstance, options: DashboardOptions): void {
  const settings = parseDashboardSettings(options.settings);
  const now = settings.now ?? Date.now;
  const { storage } = options;
  const reads =
    options.reads ??
    createReadPool({ mode: 'inline', slots: inlineReadSlots(storage, 2), maxQueued: 32, retryAfterSeconds: 1 });
  const sessions = createSessionStore({
    storage,
    ttlMs: settings.sessionTtlMs,
    now,
    maxSessions: settings.maxSessions,
  });
  const throttle = createLoginThrottle({
    maxFailures: settings.loginMaxFailures,
    windowMs: settings.loginWindowMs,
    now,
    maxClients: 10_000,
  });
  const password = createAdminPassword(storage, settings.adminPassword);

  registerAssetRoutes(app);
  registerAuthRoutes(app, { password, sessions, throttle, settings, storage, now });
  registerInvitationRoutes(app, { storage, now });
  registerUserRoutes(app, { storage, sessions, now });
  registerOverviewRoutes(app, { storage, reads, sessions, now });
  registerAttributionRoutes(app, { storage, reads, sessions, now });
  registerFeedRoutes(app, { storage, reads, sessions, now });
  registerSpendRoutes(app, { storage, sessions, now });
  registerFunnelRoutes(app, { storage, reads, sessions, now });
  registerUploadRoutes(app, { storage, sessions, now });
}

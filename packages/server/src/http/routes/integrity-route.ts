// GET /api/v1/integrity (read scope): the account's latest integrity report from the monitor, or one evaluated now if none yet.
import type { FastifyInstance } from 'fastify';
import type { IntegrityMonitor } from '../../integrity/integrity-monitor.js';
import type { IntegrityReport } from '../../integrity/integrity-report.js';
import { authorize } from '../auth/authorize.js';
import type { KeyCache } from '../auth/key-cache.js';
import { requestSignal } from '../../reads/request-signal.js';

interface Deps {
  monitor: IntegrityMonitor;
  keys: KeyCache;
}

export function integrityJson(report: IntegrityReport, source: 'monitor' | 'on_demand') {
  return {
    state: report.state,
    checked_at: new Date(report.checkedAt).toISOString(),
    source,
    checks: report.checks.map((c) => ({
      id: c.id,
      title: c.title,
      state: c.state,
      value: c.value,
      unit: c.unit,
      window: c.window,
      thresholds: c.thresholds,
      note: c.note,
      explanation: c.explanation,
    })),
  };
}

export function registerIntegrityRoute(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v1/integrity', async (request, reply) => {
    const key = authorize(deps.keys, request, reply, 'read');
    if (key === null) return reply;
    const latest = deps.monitor.latest(key.accountId);
    if (latest !== undefined) return integrityJson(latest.report, 'monitor');
    return integrityJson(await deps.monitor.evaluate(key.accountId, requestSignal(reply)), 'on_demand');
  });
}

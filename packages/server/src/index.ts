// Public surface of @touchline/server.
export { createCollector, type Collector, type CollectorOptions } from './create-collector.js';
export { parseServerSettings, serverSettingsSchema, type ServerSettings, type ServerSettingsInput } from './server-settings.js';
export { generateKey, hashKey, looksLikeKey } from './http/auth/api-keys.js';
export { anonymizeIp } from './ingest/anonymize-ip.js';
export { importSpend, type SpendImport } from './spend/import-spend.js';
export { parseSpendCsv, parseSpendJson, type ParsedSpend, type SpendError } from './spend/parse-spend.js';
export { processInboxRows } from './pipeline/process-inbox-rows.js';
export { encodeStoredItem } from './pipeline/stored-item-codec.js';
export { repairSessions, type RepairProgress, type RepairSessionsOptions, type RepairSessionsResult } from './pipeline/repair-sessions.js';
export { openApiDocument } from './http/routes/openapi-route.js';
export { evaluateIntegrity, evaluateCheck } from './integrity/evaluate-integrity.js';
export { INTEGRITY_CHECKS, MIN_SAMPLE, type IntegrityCheck, type Measurement } from './integrity/integrity-checks.js';
export { classify, describeThresholds, worstState, type Band, type CheckResult, type CheckState, type IntegrityReport, type Thresholds } from './integrity/integrity-report.js';
export { createIntegrityMonitor, type AccountIntegrity, type IntegrityMonitor, type IntegrityMonitorDeps } from './integrity/integrity-monitor.js';
export { integrityTransitions, type IntegrityTransition } from './integrity/integrity-transitions.js';
export { createAlertWebhook, type AlertNotice, type AlertWebhook } from './integrity/alert-webhook.js';
export { gatherIntegrityFacts } from './integrity/gather-integrity-facts.js';
export { generateDemoTraffic, streamDemoTraffic, type DemoCounts, type DemoMix, type DemoStream, type DemoTraffic, type DemoTrafficOptions } from './demo/demo-traffic.js';
export { evaluateDisk, type DiskLimits } from './integrity/disk-checks.js';
export { loadDemo, type LoadDemoOptions, type LoadProgress } from './demo/load-demo.js';
// For the dashboard package, which serves the same numbers to signed-in people.
export { attribute, LOOKBACK_DAYS, MAX_SESSIONS_PER_QUERY, type AttributionAnswer, type AttributionQuery, type LookbackDays } from './attribution/attribute.js';
export { toCsv } from './http/csv.js';
export { instantSchema } from './http/parse-range.js';
export { replyError } from './http/reply-error.js';
export { createReadPool, inlineReadSlots, ReadCancelledError, ReadsBusyError, type ReadPool, type ReadPoolStats, type ReadRunOptions } from './reads/read-pool.js';
export { JOURNEY_MODELS, type AttributionSummary, type JourneyAnswer, type ReadOpName } from './reads/read-ops.js';
export { requestSignal } from './reads/request-signal.js';

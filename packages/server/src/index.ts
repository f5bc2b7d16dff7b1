// Public surface of @touchline/server.
export { createCollector, type Collector, type CollectorOptions } from './create-collector.js';
export {
  parseServerSettings,
  serverSettingsSchema,
  type ServerSettings,
  type ServerSettingsInput,
} from './server-settings.js';
export { generateKey, hashKey, looksLikeKey } from './http/auth/api-keys.js';
export { anonymizeIp } from './ingest/anonymize-ip.js';
export { importSpend, type SpendImport } from './spend/import-spend.js';
export { parseSpendCsv, parseSpendJson, type ParsedSpend, type SpendError } from './spend/parse-spend.js';
export { processInboxRows } from './pipeline/process-inbox-rows.js';
export { encodeStoredItem } from './pipeline/stored-item-codec.js';
export {
  repairSessions,
  type RepairProgress,
  type RepairSessionsOptions,
  type RepairSessionsResult,
} from './pipeline/repair-sessions.js';
export { openApiDocument } from './http/routes/openapi-route.js';
export { evaluateIntegrity, evaluateCheck } from './integrity/evaluate-integrity.js';
export { INTEGRITY_CHECKS, MIN_SAMPLE, type IntegrityCheck, type Measurement } from './integrity/integrity-checks.js';
export {
  classify,
  describeThresholds,
  worstState,
  type Band,
  type CheckResult,
  type CheckState,
  type IntegrityReport,
  type Thresholds,
} from './integrity/integrity-report.js';
export {
  createIntegrityMonitor,
  type AccountIntegrity,
  type IntegrityMonitor,
  type IntegrityMonitorDeps,
} from './integrity/integrity-monitor.js';
export { integrityTransitions, type IntegrityTransition } from './integrity/integrity-transitions.js';
export { createAlertWebhook, type AlertNotice, type AlertWebhook } from './integrity/alert-webhook.js';
export { gatherIntegrityFacts } from './integrity/gather-integrity-facts.js';
export {
  generateDemoTraffic,
  streamDemoTraffic,
  type DemoCounts,
  type DemoMix,
  type DemoStream,
  type DemoTraffic,
  type DemoTrafficOptions,
} from './demo/demo-traffic.js';
export { evaluateDisk, type DiskLimits } from './integrity/disk-checks.js';
export { loadDemo, type LoadDemoOptions, type LoadProgress } from './demo/load-demo.js';
// For the dashboard package, which serves the same numbers to signed-in people.
export {
  attribute,
  LOOKBACK_DAYS,
  MAX_SESSIONS_PER_QUERY,
  type AttributionAnswer,
  type AttributionQuery,
  type LookbackDays,
} from './attribution/attribute.js';
export { toCsv } from './http/csv.js';
export { instantSchema } from './http/parse-range.js';
export { replyError } from './http/reply-error.js';
export {
  createReadPool,
  inlineReadSlots,
  type ReadPool,
  type ReadPoolStats,
  type ReadRunOptions,
} from './reads/read-pool.js';
export { ReadCancelledError } from './reads/read-cancelled-error.js';
export { ReadsBusyError } from './reads/reads-busy-error.js';
export { type AttributionSummary, type ReadOpName } from './reads/read-ops.js';
export { requestSignal } from './reads/request-signal.js';
export { compareModels, type ModelComparison, type ModelComparisonQuery } from './attribution/compare-models.js';
export {
  countFunnel,
  FUNNEL_UNITS,
  type FunnelCounts,
  type FunnelCountSpec,
  type FunnelUnit,
} from './funnels/count-funnel.js';
export {
  funnelReport,
  MAX_FUNNEL_ROWS,
  type FunnelReport,
  type FunnelReportQuery,
  type FunnelStepReport,
} from './funnels/funnel-report.js';
export {
  defineFunnel,
  defineGoal,
  removeFunnel,
  removeGoal,
  MAX_FUNNELS,
  MAX_GOALS,
  type Defined,
} from './funnels/define-funnels.js';
export {
  describeIssue,
  formatWindow,
  goalInputSchema,
  parseWindow,
  MAX_FUNNEL_STEPS,
  MAX_FUNNEL_WINDOW_MS,
} from './funnels/funnel-input.js';
export { funnelJson, funnelReportCsv, funnelReportJson, goalJson } from './funnels/funnel-json.js';
export {
  defineDestination,
  removeDestination,
  setDestinationEnabled,
  destinationOf,
  maskSecret,
  MAX_DESTINATIONS,
} from './uploads/define-uploads.js';
export { destinationJson, deliveryJson } from './uploads/upload-json.js';
export { gatherUploads, type GatheredUpload, type UploadGatherQuery } from './uploads/gather-uploads.js';
export { uploadFile, type UploadFile } from './uploads/upload-export.js';
export {
  createUploadDispatcher,
  type UploadDispatcher,
  type UploadDispatcherDeps,
} from './uploads/upload-dispatcher.js';
export { tombstoneLifetimeMs } from './privacy/tombstone-lifetime.js';
export { erasureJson } from './http/routes/privacy-routes.js';
export { cookielessInboxVisitor } from './cookieless/cookieless-inbox-visitor.js';

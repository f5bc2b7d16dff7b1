// Public surface of @touchline/storage: explicit exports only.
export { openStorage, parseStorageUrl, type OpenStorageOptions, type StorageTarget } from './open-storage.js';
export { DEFAULT_WAL_LIMIT_BYTES, MIN_WAL_LIMIT_BYTES } from './dialects/wal-bound.js';
export { openSqliteStorage, type SqliteStorageOptions } from './dialects/sqlite.js';
export { openPostgresStorage, type PostgresStorageOptions } from './dialects/postgres.js';
export { redactUrl } from './dialects/postgres-connection.js';
export type { SqliteSynchronous } from './dialects/sqlite-pragmas.js';
export {
  isStorageBusy,
  isStorageFault,
  isStorageFaultCode,
  StorageError,
  type StorageErrorCode,
  type StorageFaultCode,
} from './storage-error.js';
export { applied, partial, stale, tombstoned, type ApplyOutcome } from './queries/processed/apply-outcome.js';
export { TEST_ACCOUNT_SUFFIX, testAccountIdOf } from './queries/accounts/ensure-test-account.js';
export { landingBeats, type LandingKey } from './queries/processed/landing-order.js';
export {
  MATERIALIZE_MAX_VISITORS,
  MATERIALIZE_MAX_TOUCHES,
  STEP_TOUCHES,
} from './queries/journeys/refresh-journeys.js';
export { SHARED_LOGIN_VISITORS } from './queries/integrity/integrity-facts.js';
export type {
  Dialect,
  KeyMode,
  KeyScope,
  Account,
  ApiKeyRecord,
  InboxItem,
  InboxRow,
  SessionLanding,
  SessionUpsert,
  VisitorUpsert,
  VisitorAlias,
  EventRow,
  ConversionRow,
  IdentityRow,
  ProcessedBatch,
  Stats,
  SessionRecord,
  EventRecord,
  VisitorRecord,
  InboxHealth,
  DiskUsage,
  PersonSessions,
  SpendRow,
  SpendUpsert,
  SpendWindow,
  SpendTotal,
  MaintenanceOptions,
  MaintenanceResult,
  MigrateOptions,
  MigrationProgress,
  Storage,
  ConversionFact,
  SessionFact,
  IdentityLink,
  AttributionFacts,
  JourneyFacts,
  JourneyRefreshOptions,
  JourneyRefreshStep,
  MarkovFacts,
  PathStepFact,
  WindowCounts,
  IntegrityFacts,
  SdkHealthReport,
  SdkHealthFacts,
  SessionRepairScope,
  ProcessedInboxPage,
  SessionRepairCursor,
  SessionRepairMove,
  SessionRepairStep,
  SdkHealthCounters,
  AdminSettingName,
  SeriesWindow,
  SeriesPoint,
  TopWindow,
  TopUtmWindow,
  UtmField,
  TopRow,
  ChannelCount,
  InboxPruneOptions,
  InboxPruneStep,
  InboxCompactStep,
  RecentEvent,
  ConversionListing,
} from './storage.js';
export {
  UPLOAD_PLATFORMS,
  UPLOAD_DELIVERY_STATUSES,
  type UploadPlatform,
  type UploadDestination,
  type AccountUploadDestination,
  type UploadDeliveryStatus,
  type UploadDelivery,
  type UploadEnqueue,
  type ClaimedUpload,
  type UploadAttempt,
  type UploadConversionWindow,
  type UploadConversion,
  type UploadSession,
  type UploadJourney,
  type UploadDestinationDelete,
  type UploadLogQuery,
  type UploadLogCounts,
} from './upload-definitions.js';
export {
  GOAL_KINDS,
  type GoalKind,
  type Goal,
  type Funnel,
  type GoalDelete,
  type FunnelSave,
  type FunnelDelete,
  type FunnelItemsWindow,
  type FunnelItem,
  type FunnelItems,
} from './funnel-definitions.js';
export type { ErasureRequest, ErasureResult, ErasureCounts } from './queries/privacy/erase-person.js';
export type { PersonExport } from './queries/privacy/export-person.js';
export { secretKey, secretExpiry, type SecretRequest } from './queries/cookieless/cookieless-secrets.js';
export { tombstoneDigest, type SubjectKind } from './queries/privacy/tombstone-digest.js';
export { ATTRIBUTION_DIMENSIONS, type AttributionDimension } from './queries/attribution/attribution-dimension.js';
export type { DashboardSessionFound, DashboardSessionRow } from './queries/dashboard-sessions/dashboard-session-row.js';
export type {
  DashboardInvitation,
  DashboardRole,
  DashboardUser,
  DashboardUserWithHash,
  InvitationAcceptance,
  NewDashboardInvitation,
} from './queries/dashboard-users/dashboard-user-row.js';
export type { InvitationAnswer } from './queries/dashboard-users/accept-dashboard-invitation.js';
export type { DashboardUserKey } from './queries/dashboard-users/find-dashboard-user.js';
export type { DashboardPeople } from './queries/dashboard-users/list-dashboard-users.js';
export type { RoleChange } from './queries/dashboard-users/set-dashboard-user-role.js';
export type { PasswordChange } from './queries/dashboard-users/set-dashboard-user-password.js';
export type { DashboardSessionsToDelete } from './queries/dashboard-sessions/delete-dashboard-sessions.js';
export type { AlertClaims, AlertStates } from './queries/integrity/claim-alert-transitions.js';
export type { DaySecret } from './queries/cookieless/live-cookieless-secrets.js';
export type { CookielessVisitorOf } from './queries/privacy/inbox-payload-person.js';
export type { CookielessInboxQuery } from './queries/privacy/cookieless-inbox-seqs.js';

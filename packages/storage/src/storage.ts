// The storage contract: everything above this layer talks to it and never knows the dialect.
import type { AlertClaims, AlertStates } from './queries/integrity/claim-alert-transitions.js';
import type { DaySecret } from './queries/cookieless/live-cookieless-secrets.js';
import type { CookielessInboxQuery } from './queries/privacy/cookieless-inbox-seqs.js';
import type { CookielessVisitorOf } from './queries/privacy/inbox-payload-person.js';
import type { DashboardSessionFound, DashboardSessionRow } from './queries/dashboard-sessions/dashboard-session-row.js';
import type { InvitationAnswer } from './queries/dashboard-users/accept-dashboard-invitation.js';
import type {
  DashboardInvitation,
  DashboardUserWithHash,
  InvitationAcceptance,
  NewDashboardInvitation,
} from './queries/dashboard-users/dashboard-user-row.js';
import type { DashboardUserKey } from './queries/dashboard-users/find-dashboard-user.js';
import type { DashboardPeople } from './queries/dashboard-users/list-dashboard-users.js';
import type { RoleChange } from './queries/dashboard-users/set-dashboard-user-role.js';
import type { PasswordChange } from './queries/dashboard-users/set-dashboard-user-password.js';
import type { DashboardSessionsToDelete } from './queries/dashboard-sessions/delete-dashboard-sessions.js';
import type { ApplyOutcome } from './queries/processed/apply-outcome.js';
import type { FactsWindow } from './queries/attribution/attribution-facts.js';
import type {
  Funnel,
  FunnelDelete,
  FunnelItems,
  FunnelItemsWindow,
  FunnelSave,
  Goal,
  GoalDelete,
} from './funnel-definitions.js';
import type {
  AccountUploadDestination,
  ClaimedUpload,
  UploadAttempt,
  UploadConversion,
  UploadConversionWindow,
  UploadDelivery,
  UploadDestination,
  UploadDestinationDelete,
  UploadEnqueue,
  UploadJourney,
  UploadLogCounts,
  UploadLogQuery,
} from './upload-definitions.js';
import type { ErasureRequest, ErasureResult } from './queries/privacy/erase-person.js';
import type { PersonExport } from './queries/privacy/export-person.js';
import type { SecretRequest } from './queries/cookieless/cookieless-secrets.js';
import type { PersonSessions } from './queries/attribution/person-sessions.js';
import type { SpendWindow, SpendTotal } from './queries/spend/spend-totals.js';
import type { SpendRow, SpendUpsert } from './queries/spend/upsert-spend.js';
import type { JourneyFacts } from './queries/journeys/journey-facts.js';
import type { JourneyRefreshOptions, JourneyRefreshStep } from './queries/journeys/refresh-journeys.js';
import type { AttributionFacts } from './queries/attribution/attribution-facts.js';
import type { MarkovFacts } from './queries/attribution/markov-facts.js';
import type { IntegrityFacts } from './queries/integrity/integrity-facts.js';
import type { SdkHealthFacts } from './queries/sdk-health/sdk-health.js';
import type { InboxHealth } from './queries/inbox/inbox-health.js';
import type { SeriesWindow, SeriesPoint } from './queries/dashboard/time-series.js';
import type { TopUtmWindow } from './queries/dashboard/top-utm-values.js';
import type { ChannelCount } from './queries/reports/count-sessions-by-channel.js';
import type { RecentEvent } from './queries/dashboard/recent-events.js';
import type { ConversionListing } from './queries/dashboard/list-conversions.js';
import type { MaintenanceOptions, MaintenanceResult } from './queries/maintenance/maintain.js';
import type { InboxPruneOptions, InboxPruneStep } from './queries/inbox/prune-inbox.js';
import type { InboxCompactStep } from './queries/inbox/compact-inbox.js';
import type { Stats } from './queries/reports/stats.js';

// Types that live beside their queries, re-exported so the contract reads from one place.
export type { PersonSessions } from './queries/attribution/person-sessions.js';
export type { SpendWindow, SpendTotal } from './queries/spend/spend-totals.js';
export type { SpendRow, SpendUpsert } from './queries/spend/upsert-spend.js';
export type { JourneyFacts } from './queries/journeys/journey-facts.js';
export type { JourneyRefreshOptions, JourneyRefreshStep } from './queries/journeys/refresh-journeys.js';
export type { AttributionFacts } from './queries/attribution/attribution-facts.js';
export type { PathStepFact, MarkovFacts } from './queries/attribution/markov-facts.js';
export type { WindowCounts, IntegrityFacts } from './queries/integrity/integrity-facts.js';
export type { SdkHealthFacts } from './queries/sdk-health/sdk-health.js';
export type { InboxHealth } from './queries/inbox/inbox-health.js';
export type { SeriesWindow, SeriesPoint } from './queries/dashboard/time-series.js';
export type { UtmField, TopUtmWindow } from './queries/dashboard/top-utm-values.js';
export type { ChannelCount } from './queries/reports/count-sessions-by-channel.js';
export type { RecentEvent } from './queries/dashboard/recent-events.js';
export type { ConversionListing } from './queries/dashboard/list-conversions.js';
export type { MaintenanceOptions, MaintenanceResult } from './queries/maintenance/maintain.js';
export type { InboxPruneOptions, InboxPruneStep } from './queries/inbox/prune-inbox.js';
export type { InboxCompactStep } from './queries/inbox/compact-inbox.js';
export type { Stats } from './queries/reports/stats.js';

export type Dialect = 'sqlite' | 'postgres';
export type KeyMode = 'live' | 'test';
/** `admin`: data-subject requests (erasure, export, docs/privacy.md); never implied by the others. */
export type KeyScope = 'ingest' | 'read' | 'admin';

export interface Account {
  id: string;
  name: string;
  createdAt: number;
}

export interface ApiKeyRecord {
  id: string;
  accountId: string;
  /** First characters of the secret, shown in listings (never the secret itself). */
  prefix: string;
  /** SHA-256 of the secret, hex. */
  hash: string;
  mode: KeyMode;
  scopes: KeyScope[];
  createdAt: number;
  revokedAt: number | null;
}

/** One validated wire item, as the ingest handler writes it to the inbox. */
export interface InboxItem {
  itemId: string;
  type: string;
  /** The item's JSON, re-serialized after validation. */
  payload: string;
}

export interface InboxRow {
  seq: number;
  accountId: string;
  itemId: string;
  type: string;
  payload: string;
  receivedAt: number;
  attempts: number;
}

/**
 * A session's landing data, a unit taken from one of its items (the landing candidate), with that
 * candidate's order key. Whatever order and batches a session's items arrive in, the stored landing
 * is the best candidate by landing-order.ts: highest rank, then earliest time, then smallest item id.
 */
export interface SessionLanding {
  /** 2 if the item carries a session start, plus 1 if it is a pageview (0-3). */
  rank: number;
  /** The candidate item's time. */
  at: number;
  /** The candidate item's id: the last tie-break. */
  itemId: string;
  url: string | null;
  host: string | null;
  referrer: string | null;
  channel: string | null;
  utm: Record<string, string>;
  clickIds: Record<string, string>;
}

export interface SessionUpsert {
  accountId: string;
  id: string;
  visitorId: string;
  /** Earliest/latest item time seen in this batch; merged with stored values (min/max). */
  startedAt: number;
  lastSeenAt: number;
  /** The best landing candidate of this batch's items (null if none carried request context); merged by landing order. */
  landing: SessionLanding | null;
  /** Added to the stored counts. */
  eventCount: number;
  pageviewCount: number;
}

export interface VisitorUpsert {
  accountId: string;
  id: string;
  firstSeenAt: number;
  lastSeenAt: number;
}

export interface EventRow {
  accountId: string;
  id: string;
  type: string;
  name: string | null;
  visitorId: string;
  sessionId: string | null;
  timestamp: number;
  url: string | null;
  properties: string;
}

export interface ConversionRow {
  accountId: string;
  id: string;
  name: string;
  visitorId: string;
  sessionId: string | null;
  timestamp: number;
  revenue: number | null;
  currency: string | null;
  properties: string;
}

/**
 * One identify item's link. Merged per (account, user, visitor): the earliest time is kept as when
 * the pair was first seen, and the traits of the latest item (ties: the greater text) win.
 */
export interface IdentityRow {
  accountId: string;
  userId: string;
  visitorId: string;
  /** When the pair was seen (merged: the earliest). */
  timestamp: number;
  traits: string;
  /** The time of the item `traits` came from (merged: the latest). */
  traitsAt: number;
}

/** Everything one worker pass writes, applied in ONE transaction together with the inbox outcome. */
/** An alias (DESIGN.md L10): the ghost visitor's rows belong to the canonical one. */
export interface VisitorAlias {
  accountId: string;
  ghostId: string;
  canonicalId: string;
  /** The ghost's session that merges into `canonicalSessionId` (null: its sessions only change visitor). */
  ghostSessionId: string | null;
  canonicalSessionId: string | null;
}

export interface ProcessedBatch {
  visitors: VisitorUpsert[];
  sessions: SessionUpsert[];
  events: EventRow[];
  conversions: ConversionRow[];
  identities: IdentityRow[];
  aliases: VisitorAlias[];
  /** Inbox rows handled successfully. */
  done: number[];
  /** Inbox rows dead-lettered, with the reason. */
  dead: Array<{ seq: number; error: string }>;
  /** Inbox rows of an erased person (a live tombstone, docs/privacy.md): deleted from the inbox, nothing written. */
  erased?: number[];
  /**
   * When the worker checked the tombstones for this pass (drop-erased-rows.ts). With it set,
   * applyProcessed checks them again inside its transaction, after the erasure lock
   * (batch-tombstones.ts), and writes nothing if an erasure committed in between (`tombstoned`).
   */
  tombstonesAt?: number;
  /**
   * Cookieless visitors of the pass (docs/privacy.md): after the pass's rows are written, each one's
   * sessions closer than `timeoutMs` to each other merge into one (sessions by inactivity, exact
   * whatever order and batches the items came in: sessionize-cookieless.ts).
   */
  cookieless?: { timeoutMs: number; visitors: Array<{ accountId: string; visitorId: string }> };
}

export interface SessionRecord {
  id: string;
  visitorId: string;
  startedAt: number;
  lastSeenAt: number;
  landingUrl: string | null;
  referrer: string | null;
  channel: string | null;
  utm: Record<string, string>;
  clickIds: Record<string, string>;
  eventCount: number;
}

export interface EventRecord {
  id: string;
  type: string;
  name: string | null;
  sessionId: string | null;
  timestamp: number;
  url: string | null;
  properties: Record<string, unknown>;
}

export interface VisitorRecord {
  id: string;
  firstSeenAt: number;
  lastSeenAt: number;
  userIds: string[];
  sessions: SessionRecord[];
  events: EventRecord[];
}

/** A conversion as journeys see it; sessionId is the session it was recorded in (null for a server-side call without one). */
export interface ConversionFact {
  id: string;
  visitorId: string;
  sessionId: string | null;
  timestamp: number;
  revenue: number | null;
}
/** A session as a touchpoint; `group` is the breakdown's value (null without one, see FactsWindow.dimension). */
export interface SessionFact {
  id: string;
  visitorId: string;
  startedAt: number;
  channel: string | null;
  campaign: string | null;
  group: string | null;
}
export interface IdentityLink {
  userId: string;
  visitorId: string;
}

/** One SDK instance's cumulative delivery counters (wire `sdk.health`), as the collector received them. */
export interface SdkHealthReport extends SdkHealthCounters {
  accountId: string;
  instanceId: string;
  reportedAt: number;
  /** "name/version" of the SDK. */
  sdk: string;
  /**
   * The instance's clock against the collector's, from its batches' sent_at (ms; positive: ahead), the
   * largest in magnitude since its last report was stored. Optional for callers that have none: 0.
   */
  clockOffsetMs?: number;
}

/** An SDK instance's delivery counters (cumulative in a report, growth over a window in facts). */
export interface SdkHealthCounters {
  delivered: number;
  retries: number;
  authFailures: number;
  dropped: number;
  navigations: number;
  botNavigations: number;
}

/**
 * The database's footprint on disk (DESIGN.md L13): null where a dialect cannot know a value
 * (PostgreSQL's WAL and free disk live on the server).
 */
export interface DiskUsage {
  databaseBytes: number | null;
  /** The SQLite write-ahead log file's size. */
  walBytes: number | null;
  /** The bound the WAL is kept under (writes wait beyond it). */
  walLimitBytes: number | null;
  /** Free space available to this process on the database's file system. */
  freeBytes: number | null;
  /** The background checkpointer's counts since this storage was opened (cumulative; hold times in ms). */
  checkpoints: {
    passive: number;
    complete: number;
    busy: number;
    failed: number;
    busyStreak: number;
    lastHoldMs: number;
    maxHoldMs: number;
    totalHoldMs: number;
  } | null;
}

/** What `touchline repair-sessions` has to do: sessions whose landing has no rank yet, and the inbox's last seq. */
export interface SessionRepairScope {
  legacySessions: number;
  lastSeq: number;
}
/** A page of processed inbox rows; `next` is the seq to continue after, null at the end. */
export interface ProcessedInboxPage {
  rows: InboxRow[];
  next: number | null;
}
/** Where a repair step stopped in the staged sessions' key order. */
export interface SessionRepairCursor {
  accountKey: number;
  visitorId: string;
  id: string;
}
/** Repaired sessions by their stored and their re-derived channel; `changed`: how many of them got a different landing. */
export interface SessionRepairMove {
  from: string | null;
  to: string | null;
  sessions: number;
  changed: number;
}
export interface SessionRepairStep {
  moves: SessionRepairMove[];
  repaired: number;
  next: SessionRepairCursor | null;
}

/** Names of the dashboard's administration settings (an allowlist: nothing else is stored there). */
export type AdminSettingName = 'admin_password_hash';

export interface TopWindow {
  from: number;
  to: number;
  limit: number;
}
/** One row of a top-N report: the value (a landing path, a referring host), its sessions and their distinct visitors. */
export interface TopRow {
  value: string;
  sessions: number;
  visitors: number;
}

/**
 * One step of `migrate()`: a pending migration about to run, or one just committed (with its time).
 * `index` counts from 1 over the `total` migrations this call found pending; `upgrade` is true when
 * the database already had migrations applied (an existing database, where a migration that builds
 * the read model from stored rows can take minutes).
 */
export type MigrationProgress =
  | { phase: 'start'; name: string; index: number; total: number; upgrade: boolean }
  | { phase: 'done'; name: string; index: number; total: number; upgrade: boolean; ms: number };

export interface MigrateOptions {
  /** Told before and after each pending migration (nothing when none is pending). */
  onProgress?: (step: MigrationProgress) => void;
}

export interface Storage {
  readonly dialect: Dialect;
  /**
   * Applies pending migrations, each in its own transaction: idempotent, safe to call from several
   * processes at once, and resumable: after a kill the committed ones stay applied and the next
   * call starts at the one that was running.
   */
  migrate(options?: MigrateOptions): Promise<void>;
  close(): Promise<void>;

  ensureAccount(name: string, now: number): Promise<Account>;
  /**
   * The internal account holding `liveAccountId`'s test-mode data (named "<name> (test mode)", id derived
   * from the live one), created on first call; null if no such account. `tl_test_` keys read and write it.
   */
  ensureTestAccount(liveAccountId: string, now: number): Promise<Account | null>;
  findAccount(name: string): Promise<Account | null>;
  /** Every account, by name. */
  listAccounts(): Promise<Account[]>;
  insertKey(key: ApiKeyRecord): Promise<void>;
  listKeys(accountId: string | null): Promise<ApiKeyRecord[]>;
  /** Returns false if no such key. */
  revokeKey(keyId: string, now: number): Promise<boolean>;
  /** Every key that is not revoked, for the collector's key cache. */
  loadActiveKeys(): Promise<ApiKeyRecord[]>;

  /** Inserts in one transaction; (account, item id) already present counts as a duplicate. */
  insertInbox(
    accountId: string,
    items: InboxItem[],
    receivedAt: number,
  ): Promise<{ inserted: number; duplicates: number }>;
  /** Like insertInbox for several accounts' items in ONE transaction; one result per group, in order. */
  insertInboxGroups(
    groups: ReadonlyArray<{ accountId: string; items: readonly InboxItem[] }>,
    receivedAt: number,
  ): Promise<Array<{ inserted: number; duplicates: number }>>;
  /** Claims up to `limit` pending rows whose lease is free, leasing them until now + leaseMs. */
  claimInbox(options: { limit: number; leaseMs: number; now: number }): Promise<InboxRow[]>;
  /**
   * Gives back rows a claim leased until `leasedUntil` (and still holds), taking back the attempt
   * it counted: for a pass that failed on a storage fault, which says nothing about the rows.
   */
  releaseInbox(options: { seqs: readonly number[]; leasedUntil: number }): Promise<void>;
  /**
   * Writes the batch's results and marks its inbox rows in one transaction, but only if all of its
   * inbox rows are still pending; otherwise writes nothing and says which still are (ApplyOutcome).
   */
  applyProcessed(batch: ProcessedBatch): Promise<ApplyOutcome>;
  inboxHealth(): Promise<InboxHealth>;
  /**
   * Resolves when storage can take writes now; otherwise throws a StorageError (`unavailable`)
   * saying why: PostgreSQL unreachable; a SQLite file deleted or replaced under the process, at
   * max_page_count, or on a filesystem with less than 1 MiB free.
   */
  probe(): Promise<void>;
  /** File sizes, free disk and checkpoint outcomes; cheap (a few stat calls on SQLite). */
  diskUsage(): Promise<DiskUsage>;

  /**
   * Session repair (`touchline repair-sessions`), for landings stored before landing order existed:
   * begin (empties the staging table), stage sessions re-derived from every processed inbox row
   * (read page by page), then finish step by step. One repair at a time per database.
   */
  beginSessionRepair(accountId: string | null): Promise<SessionRepairScope>;
  readProcessedInbox(options: {
    accountId: string | null;
    afterSeq: number;
    limit: number;
  }): Promise<ProcessedInboxPage>;
  stageSessionRepair(sessions: readonly SessionUpsert[]): Promise<void>;
  finishSessionRepair(options: {
    accountId: string | null;
    after: SessionRepairCursor | null;
    limit: number;
    dryRun: boolean;
  }): Promise<SessionRepairStep>;
  /**
   * Housekeeping the collector runs periodically: creates PostgreSQL's monthly partitions ahead of
   * time and applies retention (see MaintenanceOptions). Safe to run from several processes at once.
   */
  maintain(options: MaintenanceOptions): Promise<MaintenanceResult>;
  /**
   * One bounded step of pruning: deletes done inbox rows received before `before` (and so their
   * dedupe keys) among the next `limit` rows after `afterSeq`, in one short transaction.
   * Pending and dead-lettered rows stay.
   */
  pruneInbox(options: InboxPruneOptions): Promise<InboxPruneStep>;
  /**
   * One bounded step of compaction: empties the payload of done inbox rows received before
   * `before` among the next `limit` rows after `afterSeq`, in one short transaction. The rows stay
   * (their item ids still dedupe re-sent items until pruneInbox deletes them).
   */
  compactInbox(options: InboxPruneOptions): Promise<InboxCompactStep>;

  stats(accountId: string, from: number, to: number): Promise<Stats>;
  /** Removes every trace of a person and leaves tombstones (docs/privacy.md); idempotent, audited. */
  erasePerson(request: ErasureRequest): Promise<ErasureResult>;
  /** Everything stored about a person (the erasure's closure), for an access request; null for an unknown account. */
  exportPerson(
    accountId: string,
    subject: { kind: 'visitor' | 'user'; id: string },
    cookieless?: CookielessVisitorOf,
  ): Promise<PersonExport | null>;
  /** The digests (tombstoneDigest) among the given ones, per account id, that a live tombstone forbids; null: no live tombstone at all. */
  findTombstones(byAccount: ReadonlyMap<string, readonly string[]> | null, now: number): Promise<Set<string> | null>;
  /**
   * Cookieless mode's daily secrets (hex) for the given accounts' UTC days, by secretKey: created on
   * first use, absent once the day plus `marginMs` has passed; expired secrets are deleted.
   */
  cookielessSecrets(requests: readonly SecretRequest[], now: number, marginMs: number): Promise<Map<string, string>>;
  /**
   * Erasure's cookieless matcher, for a read connection: the seqs (up to q.throughSeq) of the
   * account's cookieless inbox items whose visitor, as `cookieless` computes it, is one of q.visitors.
   */
  cookielessInboxSeqs(q: CookielessInboxQuery, cookieless: CookielessVisitorOf): Promise<number[]>;
  /** Cookieless mode: the account's daily secrets that still exist (creates none), for erasure and export. */
  liveCookielessSecrets(accountId: string, now: number): Promise<DaySecret[]>;
  /** One person's visitors and sessions started in [from, to]: what one conversion's journey is built from. */
  personSessions(accountId: string, visitorId: string, window: { from: number; to: number }): Promise<PersonSessions>;
  /** Stores ad spend rows (one transaction; same day, channel and campaign replaces). */
  upsertSpend(accountId: string, rows: readonly SpendRow[], now: number): Promise<SpendUpsert>;
  /** Ad spend per channel or campaign over whole days. */
  spendTotals(accountId: string, window: SpendWindow): Promise<SpendTotal[]>;
  /** Creates the goal, or replaces the one with its id (keeping its createdAt); returns it as stored. */
  saveGoal(accountId: string, goal: Goal): Promise<Goal>;
  listGoals(accountId: string): Promise<Goal[]>;
  deleteGoal(accountId: string, goalId: string): Promise<GoalDelete>;
  /** Creates or replaces a funnel and its steps in one transaction. */
  saveFunnel(accountId: string, funnel: Funnel): Promise<FunnelSave>;
  listFunnels(accountId: string): Promise<Funnel[]>;
  deleteFunnel(accountId: string, funnelId: string): Promise<FunnelDelete>;
  /** The items matching a funnel's goals, ordered by visitor, time and item id. */
  funnelItems(accountId: string, window: FunnelItemsWindow): Promise<FunnelItems>;
  /** Creates a conversion-upload destination, or replaces the one with its id; returns it as stored. */
  saveUploadDestination(accountId: string, destination: UploadDestination): Promise<UploadDestination>;
  /** One account's destinations, or every account's (null). */
  listUploadDestinations(accountId: string | null): Promise<AccountUploadDestination[]>;
  /** Deletes a destination and its delivery log. */
  deleteUploadDestination(accountId: string, destinationId: string): Promise<UploadDestinationDelete>;
  /** Conversions of the given types in a window, oldest first (optionally only those a destination has not queued). */
  uploadConversions(accountId: string, window: UploadConversionWindow): Promise<UploadConversion[]>;
  /** A converting person's sessions with click ids in [from, to], latest first, and their identify traits. */
  uploadJourney(accountId: string, visitorId: string, window: { from: number; to: number }): Promise<UploadJourney>;
  /** Queues deliveries (pending, due now); ones already in the log are kept as they are. Returns how many were new. */
  enqueueUploads(accountId: string, rows: readonly UploadEnqueue[], now: number): Promise<number>;
  /** Leases due pending deliveries of enabled destinations, across accounts. */
  claimUploads(options: { now: number; leaseMs: number; limit: number }): Promise<ClaimedUpload[]>;
  /** Records attempts on claimed deliveries whose lease still holds; returns how many were recorded. */
  recordUploadAttempts(attempts: readonly UploadAttempt[], now: number): Promise<number>;
  /** The delivery log, newest change first. */
  uploadDeliveries(accountId: string, query: UploadLogQuery): Promise<UploadDelivery[]>;
  /** The delivery log's size per destination and status. */
  uploadDeliveryCounts(accountId: string): Promise<UploadLogCounts[]>;
  /** Sessions started in [from, to) per channel, most first. */
  countSessionsByChannel(accountId: string, from: number, to: number): Promise<ChannelCount[]>;
  sessionsOfVisitor(accountId: string, visitorId: string): Promise<SessionRecord[]>;
  visitor(accountId: string, visitorId: string): Promise<VisitorRecord | null>;
  attributionFacts(accountId: string, window: FactsWindow): Promise<AttributionFacts>;
  /**
   * attributionFacts of the converting people only (their sessions and identity links): the same
   * journeys, without the sessions of people who did not convert, which only Markov reads.
   */
  converterFacts(accountId: string, window: FactsWindow): Promise<AttributionFacts>;
  /** converterFacts' journeys from journey_touches, and live for the persons of marked visitors: exact whatever the refresher's progress. */
  journeyFacts(accountId: string, window: FactsWindow): Promise<JourneyFacts>;
  /** One bounded step of the journey refresher: rebuilds the touches of the persons of up to `limit` marked visitors (persons past the bounds held live). */
  refreshJourneys(options: JourneyRefreshOptions): Promise<JourneyRefreshStep>;
  /**
   * What Markov reads: the journeys of attributionFacts, and the paths of people who did not
   * convert, the visitors without identity links counted as steps in the database (no session of
   * theirs is sent). The chain built from both equals the one from attributionFacts.
   */
  markovFacts(accountId: string, window: FactsWindow): Promise<MarkovFacts>;
  findConversion(accountId: string, conversionId: string): Promise<ConversionFact | null>;
  /** The integrity monitor's raw counts for one account, with windows ending at `now`. */
  integrityFacts(accountId: string, now: number): Promise<IntegrityFacts>;
  /** Stores SDK instances' latest health reports (several accounts at once) in one transaction, pruning old ones. */
  recordSdkHealth(reports: readonly SdkHealthReport[]): Promise<void>;
  /** The change of the SDK health counters of instances that reported in [from, to). */
  sdkHealth(accountId: string, window: { from: number; to: number }): Promise<SdkHealthFacts>;

  /** Dashboard: one administration setting, or null when unset. */
  adminSetting(name: AdminSettingName): Promise<string | null>;
  setAdminSetting(name: AdminSettingName, value: string, now: number): Promise<void>;
  /** Dashboard: stores a sign-in session; drops expired ones and keeps only the newest `maxSessions`. */
  createDashboardSession(session: DashboardSessionRow, maxSessions: number): Promise<void>;
  /** Dashboard: the live session with this token hash (expires_at after `now`) and its user's current role, or null. */
  findDashboardSession(tokenHash: string, now: number): Promise<DashboardSessionFound | null>;
  /** Dashboard: signs out one session, one user's sessions, or all of them; returns how many went. */
  deleteDashboardSessions(which: DashboardSessionsToDelete): Promise<number>;
  /** Dashboard users: stores a one-time invitation (by its token's hash). */
  createDashboardInvitation(invitation: NewDashboardInvitation): Promise<void>;
  /** Dashboard users: the invitation a token hash names, used or not, or null. */
  findDashboardInvitation(tokenHash: string): Promise<DashboardInvitation | null>;
  /** Dashboard users: creates the invited user with a password; exactly one acceptance of a token wins. */
  acceptDashboardInvitation(answer: InvitationAnswer): Promise<InvitationAcceptance>;
  /** Dashboard users: every user by login (no hashes) and the invitations not used yet. */
  listDashboardUsers(): Promise<DashboardPeople>;
  /** Dashboard users: one user by id or login, with the password hash, or null. */
  findDashboardUser(key: DashboardUserKey): Promise<DashboardUserWithHash | null>;
  /** Dashboard users: deletes the user and their sessions; false when there was none. */
  removeDashboardUser(userId: string): Promise<boolean>;
  /** Dashboard users: deletes an unused invitation; false when there was none. */
  revokeDashboardInvitation(invitationId: string): Promise<boolean>;
  /** Dashboard users: a new role and accounts; ends the user's sessions. False when there was no such user. */
  setDashboardUserRole(change: RoleChange): Promise<boolean>;
  /** Dashboard users: a new password hash; ends the user's other sessions (how many), null when there was no such user. */
  setDashboardUserPassword(change: PasswordChange): Promise<number | null>;
  /** Integrity monitor: records the checks in alert and returns the alert/recovery transitions this caller is to announce. */
  claimAlertTransitions(accountId: string, states: AlertStates): Promise<AlertClaims>;
  /** Dashboard: the account's numbers per bucket over [from, to); every bucket present, empty ones zero. */
  timeSeries(accountId: string, window: SeriesWindow): Promise<SeriesPoint[]>;
  /** Dashboard: landing paths of sessions started in [from, to), most sessions first. */
  topLandingPages(accountId: string, window: TopWindow): Promise<TopRow[]>;
  /** Dashboard: referring hosts of sessions started in [from, to), most sessions first. */
  topReferrers(accountId: string, window: TopWindow): Promise<TopRow[]>;
  /** Dashboard: utm sources, mediums or campaigns (`field`) of sessions started in [from, to), most sessions first. */
  topUtmValues(accountId: string, window: TopUtmWindow): Promise<TopRow[]>;
  /** Dashboard live feed: events at or after `since`, newest first. */
  recentEvents(accountId: string, options: { since: number; limit: number }): Promise<RecentEvent[]>;
  /** Dashboard: conversions in [from, to), newest first. */
  listConversions(accountId: string, window: TopWindow): Promise<ConversionListing[]>;
}

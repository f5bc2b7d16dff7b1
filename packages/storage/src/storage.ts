// The storage contract: everything above this layer talks to it and never knows the dialect.
import type { AlertClaims, AlertStates } from './queries/integrity/claim-alert-transitions.js';
import type { DaySecret } from './queries/cookieless/live-cookieless-secrets.js';
import type { CookielessVisitorOf } from './queries/privacy/inbox-payload-person.js';
import type { DashboardSessionFound, DashboardSessionRow } from './queries/dashboard-sessions/dashboard-session-row.js';
import type { InvitationAnswer } from './queries/dashboard-users/accept-dashboard-invitation.js';
import type { DashboardInvitation, DashboardUserWithHash, InvitationAcceptance, NewDashboardInvitation } from './queries/dashboard-users/dashboard-user-row.js';
import type { DashboardUserKey } from './queries/dashboard-users/find-dashboard-user.js';
import type { DashboardPeople } from './queries/dashboard-users/list-dashboard-users.js';
import type { RoleChange } from './queries/dashboard-users/set-dashboard-user-role.js';
import type { PasswordChange } from './queries/dashboard-users/set-dashboard-user-password.js';
import type { DashboardSessionsToDelete } from './queries/dashboard-sessions/delete-dashboard-sessions.js';
import type { ApplyOutcome } from './queries/processed/apply-outcome.js';
import type { AttributionDimension } from './queries/attribution/attribution-dimension.js';
import type { Funnel, FunnelDelete, FunnelItems, FunnelItemsWindow, FunnelSave, Goal, GoalDelete } from './funnel-definitions.js';
import type {
  AccountUploadDestination, ClaimedUpload, UploadAttempt, UploadConversion, UploadConversionWindow, UploadDelivery, UploadDestination,
  UploadDestinationDelete, UploadEnqueue, UploadJourney, UploadLogCounts, UploadLogQuery,
} from './upload-definitions.js';
import type { ErasureRequest, ErasureResult } from './queries/privacy/erase-person.js';
import type { PersonExport } from './queries/privacy/export-person.js';
import type { SecretRequest } from './queries/cookieless/cookieless-secrets.js';

export type Dialect = 'sqlite' | 'postgres';
export type KeyMode = 'live' | 'test';
/** `admin`: data-subject requests (erasure, export, docs/privacy.md); never implied by the others. */
export type KeyScope = 'ingest' | 'read' | 'admin';

export interface Account { id: string; name: string; createdAt: number }

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

export interface VisitorUpsert { accountId: string; id: string; firstSeenAt: number; lastSeenAt: number }

export interface EventRow {
  accountId: string; id: string; type: string; name: string | null; visitorId: string; sessionId: string | null;
  timestamp: number; url: string | null; properties: string;
}

export interface ConversionRow {
  accountId: string; id: string; name: string; visitorId: string; sessionId: string | null;
  timestamp: number; revenue: number | null; currency: string | null; properties: string;
}

/**
 * One identify item's link. Merged per (account, user, visitor): the earliest time is kept as when
 * the pair was first seen, and the traits of the latest item (ties: the greater text) win.
 */
export interface IdentityRow {
  accountId: string; userId: string; visitorId: string;
  /** When the pair was seen (merged: the earliest). */
  timestamp: number;
  traits: string;
  /** The time of the item `traits` came from (merged: the latest). */
  traitsAt: number;
}

/** Everything one worker pass writes, applied in ONE transaction together with the inbox outcome. */
/** An alias (DESIGN.md L10): the ghost visitor's rows belong to the canonical one. */
export interface VisitorAlias {
  accountId: string; ghostId: string; canonicalId: string;
  /** The ghost's session that merges into `canonicalSessionId` (null: its sessions only change visitor). */
  ghostSessionId: string | null; canonicalSessionId: string | null;
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

export interface Stats { visitors: number; sessions: number; events: number; conversions: number; revenue: number }

export interface SessionRecord {
  id: string; visitorId: string; startedAt: number; lastSeenAt: number; landingUrl: string | null;
  referrer: string | null; channel: string | null; utm: Record<string, string>; clickIds: Record<string, string>;
  eventCount: number;
}

export interface EventRecord {
  id: string; type: string; name: string | null; sessionId: string | null; timestamp: number; url: string | null;
  properties: Record<string, unknown>;
}

export interface VisitorRecord {
  id: string; firstSeenAt: number; lastSeenAt: number;
  userIds: string[];
  sessions: SessionRecord[];
  events: EventRecord[];
}

/** A conversion as journeys see it; sessionId is the session it was recorded in (null for a server-side call without one). */
export interface ConversionFact { id: string; visitorId: string; sessionId: string | null; timestamp: number; revenue: number | null }
/** A session as a touchpoint; `group` is the breakdown's value (null without one, see FactsWindow.dimension). */
export interface SessionFact { id: string; visitorId: string; startedAt: number; channel: string | null; campaign: string | null; group: string | null }
export interface IdentityLink { userId: string; visitorId: string }

/** One person: the visitor and every visitor linked to it through identify (transitively), and their sessions in a window. */
export interface PersonSessions { visitors: string[]; sessions: SessionFact[] }

/** One imported ad spend row: a UTC day (YYYY-MM-DD), channel, campaign (null: none), ISO currency, amount in integer micro-units. */
export interface SpendRow { day: string; channel: string; campaign: string | null; currency: string; amountMicros: number }
/** An import's outcome: written, or refused whole because it would mix currencies in the account. */
export type SpendUpsert = { kind: 'written'; written: number } | { kind: 'mixed_currencies'; stored: string[]; currencies: string[] };
/** Spend days [firstDay, lastDay] (inclusive, YYYY-MM-DD), summed per channel or per campaign. */
export interface SpendWindow { firstDay: string; lastDay: string; groupBy: 'channel' | 'campaign' }
/** Spend of one channel or campaign (key null: spend without a campaign) in one currency, exact. */
export interface SpendTotal { key: string | null; currency: string; amount: number }

/** What attribution journeys are built from: conversions in [from, to), sessions since from - lookback. */
export interface AttributionFacts {
  conversions: ConversionFact[];
  sessions: SessionFact[];
  links: IdentityLink[];
  /** True when more than maxSessions sessions matched; the oldest were left out. */
  truncated: boolean;
}

/**
 * converterFacts read through the materialized journeys: the same conversions and sessions; `links`
 * are the live persons' identity links and `pairs` the materialized ones' membership (a converter
 * and a visitor of its person), which @touchline/attribution's buildJourneys unites alike.
 */
export interface JourneyFacts extends AttributionFacts {
  pairs: Array<{ visitorId: string; otherId: string }>;
}

/** One step of the journey refresher (see Storage.refreshJourneys). */
export interface JourneyRefreshStep {
  /** Marked visitors taken (their marks deleted unless marked again meanwhile). */
  visitors: number;
  /** Conversions whose touches were rebuilt. */
  conversions: number;
  /** True when fewer than `limit` marks were left (or another collector's refresher holds the turn). */
  done: boolean;
}

/**
 * `count` non-converting paths stepped from a session like `from` to one like `to` (null: the
 * path's start, or its end). @touchline/attribution's SessionStep.
 */
export interface PathStepFact {
  from: Pick<SessionFact, 'channel' | 'group'> | null;
  to: Pick<SessionFact, 'channel' | 'group'> | null;
  count: number;
}

/** Markov's facts: `sessions` of the people who converted or have identity links, every other visitor's path counted in `steps`. */
export interface MarkovFacts extends AttributionFacts {
  steps: PathStepFact[];
}

/** Sessions started in a window and their distinct visitors; "new" counts only visitors first seen in it. */
export interface WindowCounts { sessions: number; visitors: number; newVisitorSessions: number; newVisitors: number }

/**
 * The raw numbers the integrity checks (DESIGN.md L6) are computed from, for one account at `now`.
 * Windows end at `now`: day = the last 24 h, week = the last 7 d; sessions count in the window they started in.
 */
export interface IntegrityFacts {
  now: number;
  day: WindowCounts;
  week: WindowCounts;
  /** Sessions started in the last 24 h with no events or no pageview. */
  emptySessionsDay: number;
  /** Sessions started in the last 7 d whose referrer's host is their own landing host. */
  selfReferralsWeek: number;
  /** Visitors with more than 10 sessions started in the last 24 h: how many, and the worst 10 by count. */
  extremeVisitorsDay: { count: number; top: Array<{ visitorId: string; sessions: number }> };
  /** Visitors with more than 50 sessions started in the last 30 d, and all visitors with a session started in them. */
  heavyVisitorsMonth: { count: number; visitors: number };
  /** Visitors who converted in the last 7 d, and the sessions they started in those 7 d. */
  convertersWeek: { converters: number; sessions: number };
  /** Sessions (last 24 h) started less than 1 s after the previous session of the same visitor, and those visitors. */
  flappingDay: { pairs: number; visitors: number };
  /** Sessions started in the last hour, against those started in the 7 d before it ([baselineFrom, baselineTo) is the span with data). */
  sessionRate: { lastHour: number; baselineSessions: number; baselineFrom: number | null; baselineTo: number };
  /** Events in the last 24 h and in the 24 h before. */
  eventVolume: { last24h: number; previous24h: number };
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

/** What an account's SDK instances reported over a window: how many reported, and how much their counters grew. */
export interface SdkHealthFacts extends SdkHealthCounters {
  instances: number;
  /** The largest sender clock offset any instance showed in the window, in magnitude (ms). */
  maxClockSkewMs: number;
  /** Instances that showed an offset of more than a minute (the collector's default tolerance) in the window. */
  skewedInstances: number;
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
    passive: number; complete: number; busy: number; failed: number; busyStreak: number;
    lastHoldMs: number; maxHoldMs: number; totalHoldMs: number;
  } | null;
}

export interface InboxHealth { pending: number; dead: number; oldestPendingAt: number | null }

/** What `touchline repair-sessions` has to do: sessions whose landing has no rank yet, and the inbox's last seq. */
export interface SessionRepairScope { legacySessions: number; lastSeq: number }
/** A page of processed inbox rows; `next` is the seq to continue after, null at the end. */
export interface ProcessedInboxPage { rows: InboxRow[]; next: number | null }
/** Where a repair step stopped in the staged sessions' key order. */
export interface SessionRepairCursor { accountKey: number; visitorId: string; id: string }
/** Repaired sessions by their stored and their re-derived channel; `changed`: how many of them got a different landing. */
export interface SessionRepairMove { from: string | null; to: string | null; sessions: number; changed: number }
export interface SessionRepairStep { moves: SessionRepairMove[]; repaired: number; next: SessionRepairCursor | null }

/** Names of the dashboard's administration settings (an allowlist: nothing else is stored there). */
export type AdminSettingName = 'admin_password_hash';

/** [from, to) cut into buckets of bucketMs, starting at from. */
/**
 * Buckets of `bucketMs` over [from, to). Bucket i is [origin + i * bucketMs, origin + (i + 1) * bucketMs)
 * cut to [from, to), so with an origin before `from` the first (and usually the last) bucket is
 * partial. `origin` must lie in (from - bucketMs, from]; @default from (every bucket whole but the last).
 * An origin on a whole UTC hour (a day, for day buckets) puts every bucket edge on an hour, which
 * the rollups answer without raw rows (docs/read-model.md).
 */
export interface SeriesWindow { from: number; to: number; bucketMs: number; origin?: number | undefined }
/** One bucket starting at `at` (the later of its edge and `from`): sessions (and their distinct visitors) started in it, items that happened in it. */
export interface SeriesPoint { at: number; visitors: number; sessions: number; events: number; conversions: number; revenue: number }
export interface TopWindow { from: number; to: number; limit: number }
/** A utm field the read model keeps: utm_source, utm_medium, utm_campaign. */
export type UtmField = 'source' | 'medium' | 'campaign';
export interface TopUtmWindow extends TopWindow { field: UtmField }
/** One row of a top-N report: the value (a landing path, a referring host), its sessions and their distinct visitors. */
export interface TopRow { value: string; sessions: number; visitors: number }
/** Sessions of one acquisition channel (null: sessions without a classified landing). */
export interface ChannelCount { channel: string | null; sessions: number }
export interface RecentEvent {
  id: string; type: string; name: string | null; visitorId: string; sessionId: string | null; timestamp: number; url: string | null;
}
export interface ConversionListing { id: string; name: string; visitorId: string; timestamp: number; revenue: number | null; currency: string | null }
export interface MaintenanceOptions {
  now: number;
  /** Delete events and processed inbox rows older than this many days; null keeps everything. */
  retentionDays: number | null;
}

/** One step of pruning processed inbox rows (see Storage.pruneInbox). */
export interface InboxPruneOptions {
  /** Rows received before this (epoch ms) may go. */
  before: number;
  /** Where the walk is: the lastSeq of the previous step (0 to start). */
  afterSeq: number;
  /** Rows looked at in this step. */
  limit: number;
}

export interface InboxPruneStep {
  /** Processed rows deleted (with their dedupe keys). */
  deleted: number;
  /** The last seq looked at: the next step's afterSeq. */
  lastSeq: number;
  /** Nothing further along is old enough (or the inbox ends here). */
  done: boolean;
}

export interface InboxCompactStep {
  /** Processed rows whose payload was emptied (the row stays as the item's dedupe key). */
  compacted: number;
  /** The last seq looked at: the next step's afterSeq. */
  lastSeq: number;
  /** Nothing further along is old enough (or the inbox ends here). */
  done: boolean;
}

/** What a maintenance run did: PostgreSQL partitions created and dropped, rows deleted outside them. */
export interface MaintenanceResult { partitionsCreated: string[]; partitionsDropped: string[]; rowsDeleted: number }

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
  insertInbox(accountId: string, items: InboxItem[], receivedAt: number): Promise<{ inserted: number; duplicates: number }>;
  /** Like insertInbox for several accounts' items in ONE transaction; one result per group, in order. */
  insertInboxGroups(groups: ReadonlyArray<{ accountId: string; items: readonly InboxItem[] }>, receivedAt: number): Promise<Array<{ inserted: number; duplicates: number }>>;
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
  readProcessedInbox(options: { accountId: string | null; afterSeq: number; limit: number }): Promise<ProcessedInboxPage>;
  stageSessionRepair(sessions: readonly SessionUpsert[]): Promise<void>;
  finishSessionRepair(options: { accountId: string | null; after: SessionRepairCursor | null; limit: number; dryRun: boolean }): Promise<SessionRepairStep>;
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
  exportPerson(accountId: string, subject: { kind: 'visitor' | 'user'; id: string }, cookieless?: CookielessVisitorOf): Promise<PersonExport | null>;
  /** The digests (tombstoneDigest) among the given ones, per account id, that a live tombstone forbids; null: no live tombstone at all. */
  findTombstones(byAccount: ReadonlyMap<string, readonly string[]> | null, now: number): Promise<Set<string> | null>;
  /**
   * Cookieless mode's daily secrets (hex) for the given accounts' UTC days, by secretKey: created on
   * first use, absent once the day plus `marginMs` has passed; expired secrets are deleted.
   */
  cookielessSecrets(requests: readonly SecretRequest[], now: number, marginMs: number): Promise<Map<string, string>>;
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
  attributionFacts(accountId: string, window: { from: number; to: number; lookbackMs: number; maxSessions: number; dimension?: AttributionDimension; campaigns?: boolean }): Promise<AttributionFacts>;
  /**
   * attributionFacts of the converting people only (their sessions and identity links): the same
   * journeys, without the sessions of people who did not convert, which only Markov reads.
   */
  converterFacts(accountId: string, window: { from: number; to: number; lookbackMs: number; maxSessions: number; dimension?: AttributionDimension; campaigns?: boolean }): Promise<AttributionFacts>;
  /** converterFacts' journeys from journey_touches, and live for the persons of marked visitors: exact whatever the refresher's progress. */
  journeyFacts(accountId: string, window: { from: number; to: number; lookbackMs: number; maxSessions: number; dimension?: AttributionDimension }): Promise<JourneyFacts>;
  /** One bounded step of the journey refresher: rebuilds the touches of the persons of up to `limit` marked visitors. */
  refreshJourneys(options: { limit: number }): Promise<JourneyRefreshStep>;
  /**
   * What Markov reads: the journeys of attributionFacts, and the paths of people who did not
   * convert, the visitors without identity links counted as steps in the database (no session of
   * theirs is sent). The chain built from both equals the one from attributionFacts.
   */
  markovFacts(accountId: string, window: { from: number; to: number; lookbackMs: number; maxSessions: number; dimension?: AttributionDimension; campaigns?: boolean }): Promise<MarkovFacts>;
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

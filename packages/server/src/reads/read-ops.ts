// The read operations the query API, the dashboard and the integrity monitor run: each takes a
// Storage and plain arguments and returns plain data, so it runs the same inline or on a read thread.
import { journeyAnswer, splitGroupedKey, type JourneyAnswer } from '@touchline/attribution';
import type { CookielessInboxQuery, Storage } from '@touchline/storage';
import { attribute, type AttributionQuery } from '../attribution/attribute.js';
import { gatherIntegrityFacts } from '../integrity/gather-integrity-facts.js';
import { withSpend, type CostFigures, type SpendSummary } from '../attribution/with-spend.js';
import { compareModels, type ModelComparison, type ModelComparisonQuery } from '../attribution/compare-models.js';
import { sumBy } from '../attribution/sum-credits.js';
import { funnelReport, type FunnelReportQuery } from '../funnels/funnel-report.js';
import { gatherUploads, type UploadGatherQuery } from '../uploads/gather-uploads.js';
import { cookielessInboxVisitor } from '../cookieless/cookieless-inbox-visitor.js';

const DAY = 86_400_000;

export interface AttributionSummary {
  channels: Array<{ channel: string; conversions: number; revenue: number } & Partial<CostFigures>>;
  /** With a breakdown (groupBy other than channel): credit per value of that dimension; null groups sessions without one. */
  groups?: Array<{ group: string | null; conversions: number; revenue: number } & Partial<CostFigures>>;
  /** Ad spend of the window's days, when any was imported (then channel rows, and campaign groups, carry cost, roas and cac). */
  spend?: SpendSummary;
  conversions: number;
  revenue: number;
  truncated: boolean;
}

async function attributionSummary(storage: Storage, q: AttributionQuery): Promise<AttributionSummary> {
  const answer = await attribute(storage, q);
  const totals = { conversions: answer.conversions, revenue: answer.revenue, truncated: answer.truncated };
  const groupBy = q.groupBy ?? 'channel';
  const plain =
    groupBy === 'channel'
      ? answer.result.channels.map((c) => ({ channel: c.channel, conversions: c.conversions, revenue: c.revenue }))
      : sumBy(answer.result.channels, (key) => splitGroupedKey(key).channel).map(({ key, ...t }) => ({
          channel: key,
          ...t,
        }));
  const window = { accountId: q.accountId, from: q.from, to: q.to };
  const channels = await withSpend(
    storage,
    { ...window, groupBy: 'channel' },
    plain,
    (r) => r.channel,
    (key) => ({ channel: key ?? '', conversions: 0, revenue: 0 }),
  );
  const spend = channels.spend === null ? {} : { spend: channels.spend };
  if (groupBy === 'channel') return { channels: channels.rows, ...totals, ...spend };
  const grouped = sumBy(answer.result.channels, (key) => splitGroupedKey(key).group).map(({ key, ...t }) => ({
    group: key,
    ...t,
  }));
  // Spend is imported per channel and campaign, so only a campaign breakdown has a cost per group.
  const groups =
    groupBy === 'campaign'
      ? (
          await withSpend(
            storage,
            { ...window, groupBy: 'campaign' },
            grouped,
            (r) => r.group,
            (key) => ({ group: key, conversions: 0, revenue: 0 }),
          )
        ).rows
      : grouped;
  return { channels: channels.rows, groups, ...totals, ...spend };
}

/** One conversion's journey (null if the account has no such conversion) and its credit under each journey model. */
async function conversionJourney(
  storage: Storage,
  q: { accountId: string; conversionId: string; lookbackDays: number },
): Promise<JourneyAnswer | null> {
  const conversion = await storage.findConversion(q.accountId, q.conversionId);
  if (conversion === null) return null;
  const lookbackMs = q.lookbackDays * DAY;
  // Only this person's sessions: the converter and every visitor linked to it by identify (index lookups).
  const person = await storage.personSessions(q.accountId, conversion.visitorId, {
    from: conversion.timestamp - lookbackMs,
    to: conversion.timestamp,
  });
  return journeyAnswer(conversion, person, lookbackMs);
}

/**
 * Every read that may take long on a big account. Arguments and results cross a thread boundary
 * (structured clone): plain data only. The key is the operation's name on the wire.
 */
export const READ_OPS = {
  /**
   * Nothing to answer: run once on each read thread at start (ReadPool.warm), so the thread's module
   * graph is loaded and its connection open (and the schema read) before the first user's query.
   */
  warm: async (s: Storage) => {
    await s.listAccounts();
    return null;
  },
  stats: (s: Storage, accountId: string, from: number, to: number) => s.stats(accountId, from, to),
  sessionsOfVisitor: (s: Storage, accountId: string, visitorId: string) => s.sessionsOfVisitor(accountId, visitorId),
  visitor: (s: Storage, accountId: string, visitorId: string) => s.visitor(accountId, visitorId),
  timeSeries: (s: Storage, accountId: string, window: Parameters<Storage['timeSeries']>[1]) =>
    s.timeSeries(accountId, window),
  topLandingPages: (s: Storage, accountId: string, window: Parameters<Storage['topLandingPages']>[1]) =>
    s.topLandingPages(accountId, window),
  topReferrers: (s: Storage, accountId: string, window: Parameters<Storage['topReferrers']>[1]) =>
    s.topReferrers(accountId, window),
  topUtmValues: (s: Storage, accountId: string, window: Parameters<Storage['topUtmValues']>[1]) =>
    s.topUtmValues(accountId, window),
  recentEvents: (s: Storage, accountId: string, options: Parameters<Storage['recentEvents']>[1]) =>
    s.recentEvents(accountId, options),
  listConversions: (s: Storage, accountId: string, window: Parameters<Storage['listConversions']>[1]) =>
    s.listConversions(accountId, window),
  integrityFacts: (s: Storage, accountId: string, now: number) => gatherIntegrityFacts(s, accountId, now),
  attribution: (s: Storage, q: AttributionQuery) => attributionSummary(s, q),
  journey: (s: Storage, q: { accountId: string; conversionId: string; lookbackDays: number }) =>
    conversionJourney(s, q),
  compareModels: (s: Storage, q: ModelComparisonQuery): Promise<ModelComparison> => compareModels(s, q),
  funnelReport: (s: Storage, q: FunnelReportQuery) => funnelReport(s, q),
  uploadCandidates: (s: Storage, q: UploadGatherQuery) => gatherUploads(s, q),
  // On the read thread: the cookieless matcher (a function) is built there, from the account's live secrets.
  exportPerson: async (s: Storage, accountId: string, subject: { kind: 'visitor' | 'user'; id: string }, now: number) =>
    s.exportPerson(accountId, subject, await cookielessInboxVisitor(s, accountId, now)),
  // Erasure's cookieless matcher (a decode and a keyed hash per cookieless inbox row): here, not on the ingest event loop.
  cookielessInboxSeqs: async (s: Storage, q: CookielessInboxQuery, now: number) => {
    const cookieless = await cookielessInboxVisitor(s, q.accountId, now);
    return cookieless === undefined ? [] : s.cookielessInboxSeqs(q, cookieless);
  },
};

export type ReadOps = typeof READ_OPS;
export type ReadOpName = keyof ReadOps;
export type ReadArgs<K extends ReadOpName> = ReadOps[K] extends (s: Storage, ...args: infer A) => unknown ? A : never;
export type ReadResult<K extends ReadOpName> = Awaited<ReturnType<ReadOps[K]>>;

export function isReadOpName(name: unknown): name is ReadOpName {
  return typeof name === 'string' && Object.hasOwn(READ_OPS, name);
}

/** Runs one operation on `storage` (the read thread's connection, or the main one inline). */
export function runReadOp<K extends ReadOpName>(storage: Storage, op: K, args: ReadArgs<K>): Promise<ReadResult<K>> {
  const fn = READ_OPS[op] as (s: Storage, ...a: unknown[]) => Promise<ReadResult<K>>;
  return fn(storage, ...(args as unknown[]));
}

// Rule 2 of the channel classifier: what utm_medium and utm_source say, by the conventions in the channel table.
import type { UtmKey } from '../session/campaign.js';
import { channelResult, type Channel, type ChannelResult } from './channel.js';
import { MEDIUM_TABLE, type MediumKind, type SourceKind } from './channel-table.js';
import { lookupSourceName, MAX_INPUT_LENGTH, type SourceMatch } from './match-host.js';

export type UtmValues = Partial<Record<UtmKey, string>>;

/** Matches the cap campaign.ts puts on stored UTM values. */
const MAX_SOURCE_LENGTH = 500;

const MEDIUM_INDEX: ReadonlyMap<string, MediumKind> = new Map(
  (Object.entries(MEDIUM_TABLE) as [MediumKind, readonly string[]][]).flatMap(([kind, names]) =>
    names.map((name) => [name, kind] as const),
  ),
);

const PAID_MEDIUMS: ReadonlySet<MediumKind> = new Set(['paid', 'paid_search', 'paid_social', 'display']);

/** Campaign tags are hand-typed: `Paid_Search`, ` paid search ` and `paid-search` are one value. */
export function normalizeToken(raw: string | undefined): string {
  if (raw === undefined) return '';
  return raw
    .slice(0, MAX_INPUT_LENGTH)
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

/** What a normalised utm_medium names; a qualified value (`email-weekly`, `cpc-brand`) counts by its first word. */
export function mediumKind(medium: string): MediumKind | null {
  if (medium === '') return null;
  const exact = MEDIUM_INDEX.get(medium);
  if (exact) return exact;
  const head = medium.split('-', 1)[0] ?? '';
  return head !== medium ? (MEDIUM_INDEX.get(head) ?? null) : null;
}

/** True for mediums that say somebody paid for the click (cpc, paid-social, display, ...). */
export function isPaidMedium(medium: string): boolean {
  const kind = mediumKind(medium);
  return kind !== null && PAID_MEDIUMS.has(kind);
}

/** The channel a known service sends when nobody paid for the click. */
export function unpaidChannelOf(kind: SourceKind): Channel {
  switch (kind) {
    case 'search':
      return 'organic_search';
    case 'social':
      return 'organic_social';
    case 'email':
      return 'email';
    case 'ai':
      return 'ai_assistant';
  }
}

/**
 * Classifies by UTM tags. Returns `null` when neither utm_source nor utm_medium is set: campaign,
 * term, content and id name no channel, so the referrer decides (see classify-channel.ts).
 */
export function classifyUtm(utm: UtmValues): ChannelResult | null {
  const medium = normalizeToken(utm.utm_medium);
  const sourceToken = normalizeToken(utm.utm_source);
  if (medium === '' && sourceToken === '') return null;
  const known = sourceToken === '' ? null : lookupSourceName(sourceToken);
  const source = known?.source ?? (sourceToken === '' ? null : sourceToken.slice(0, MAX_SOURCE_LENGTH));
  const kind = mediumKind(medium);
  if (kind !== null) return byMedium(kind, known, source);
  if (known) return channelResult(unpaidChannelOf(known.kind), source, 'utm_source:known_source');
  return channelResult('referral', source, 'utm_unclassified');
}

function byMedium(kind: MediumKind, known: SourceMatch | null, source: string | null): ChannelResult {
  switch (kind) {
    case 'paid_search':
      return channelResult('paid_search', source, 'utm_medium:paid_search');
    case 'paid_social':
      return channelResult('paid_social', source, 'utm_medium:paid_social');
    case 'paid':
      return byPaidSource(known, source);
    case 'display':
      return channelResult('display', source, 'utm_medium:display');
    case 'email':
      return channelResult('email', source, 'utm_medium:email');
    case 'social':
      return channelResult('organic_social', source, 'utm_medium:social');
    case 'affiliate':
      return channelResult('affiliate', source, 'utm_medium:affiliate');
    case 'referral':
      return channelResult('referral', source, 'utm_medium:referral');
    case 'ai':
      return channelResult('ai_assistant', source, 'utm_medium:ai');
    case 'organic':
      // "organic" alone conventionally means unpaid search; a known source narrows it (organic + facebook is social).
      return channelResult(known ? unpaidChannelOf(known.kind) : 'organic_search', source, 'utm_medium:organic');
  }
}

/** cpc/ppc/paid name a paid click but not where: a social source makes it paid social, anything else paid search. */
function byPaidSource(known: SourceMatch | null, source: string | null): ChannelResult {
  if (known?.kind === 'social') return channelResult('paid_social', source, 'utm_medium:paid+social_source');
  if (known?.kind === 'search') return channelResult('paid_search', source, 'utm_medium:paid+search_source');
  // Cost-per-click with an unlisted source has long been read as search advertising (cpc/ppc were born there).
  return channelResult('paid_search', source, 'utm_medium:paid+other_source');
}

// Rule 1 of the channel classifier: ad-platform click ids, the strongest evidence of how a visit was bought.
import { channelResult, type ChannelResult } from './channel.js';
import { CLICK_ID_TABLE } from './channel-table.js';
import { isPaidMedium, normalizeToken, type UtmValues } from './classify-utm.js';
import { lookupSourceName } from './match-host.js';

/**
 * Classifies by click id, or `null` when none is present. Keys are matched case-insensitively and
 * empty values are ignored. fbclid comes last and is paid only with a paid utm_medium, because
 * Meta appends it to every outbound click, organic shares included.
 */
export function classifyClickIds(clickIds: ReadonlyMap<string, string>, utm: UtmValues): ChannelResult | null {
  for (const rule of CLICK_ID_TABLE) {
    if (clickIds.has(rule.key)) return channelResult(rule.channel, rule.source, `click_id:${rule.key}`);
  }
  if (!clickIds.has('fbclid')) return null;
  // fbclid also rides on Instagram and Messenger clicks: keep a social utm_source when one names them.
  const named = lookupSourceName(normalizeToken(utm.utm_source));
  const source = named?.kind === 'social' ? named.source : 'facebook';
  return isPaidMedium(normalizeToken(utm.utm_medium))
    ? channelResult('paid_social', source, 'click_id:fbclid+paid_medium')
    : channelResult('organic_social', source, 'click_id:fbclid_unpaid');
}

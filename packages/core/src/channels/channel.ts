// The acquisition channels a session can be credited to, and the classifier's result value.

/** Every channel, paid first, `direct` last; reports and tests enumerate this list. */
export const CHANNELS = Object.freeze([
  'paid_search',
  'paid_social',
  'display',
  'organic_search',
  'organic_social',
  'email',
  'ai_assistant',
  'affiliate',
  'referral',
  'direct',
] as const);

export type Channel = (typeof CHANNELS)[number];

/**
 * What the classifier decided and why. `source` names where the visit came from (a canonical
 * name such as `google`, the utm_source, or the referring host); `reason` is a stable code naming
 * the rule that fired, so a surprising channel on the dashboard can be traced to one table row.
 */
export interface ChannelResult {
  readonly channel: Channel;
  readonly source: string | null;
  readonly reason: string;
}

export function channelResult(channel: Channel, source: string | null, reason: string): ChannelResult {
  return { channel, source, reason };
}

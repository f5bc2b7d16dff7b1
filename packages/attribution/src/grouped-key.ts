// Breakdowns (group_by): a touchpoint keyed by its channel and a group value (a campaign, a source...), so every model credits (channel, group) pairs.

/** Channel names never hold it; a group value may (only the first one separates). */
const SEPARATOR = '\u001f';

/** The touchpoint key for `channel` within `group` (null: the session has no value for the dimension). */
export function groupedKey(channel: string, group: string | null): string {
  return `${channel}${SEPARATOR}${group ?? ''}`;
}

/** A key back into its channel and group; a plain channel key (no group) gives group null. */
export function splitGroupedKey(key: string): { channel: string; group: string | null } {
  const at = key.indexOf(SEPARATOR);
  if (at < 0) return { channel: key, group: null };
  const group = key.slice(at + 1);
  return { channel: key.slice(0, at), group: group === '' ? null : group };
}

/** The channel of a plain or grouped key: what "direct" is decided on. */
export function channelOfKey(key: string): string {
  const at = key.indexOf(SEPARATOR);
  return at < 0 ? key : key.slice(0, at);
}

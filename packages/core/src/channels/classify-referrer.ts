// Rules 3 and 4 of the channel classifier: the referring page, after ruling out the site referring to itself.
import { channelResult, type ChannelResult } from './channel.js';
import { unpaidChannelOf } from './classify-utm.js';
import { isOwnHost, lookupApp, lookupHost, normalizeHost, parseUrl } from './match-host.js';

/**
 * Classifies by referrer. `ownHosts` must come from the landing page URL and configuration only,
 * never from a referrer (DESIGN L8: storing google.com as the site's own host once turned all
 * organic search into "direct").
 */
export function classifyReferrer(referrer: string | null, ownHosts: readonly string[]): ChannelResult {
  if (referrer === null || referrer.trim() === '') return channelResult('direct', null, 'no_referrer');
  const url = parseUrl(referrer.trim());
  if (url === null) return channelResult('direct', null, 'referrer_unparseable');
  if (url.protocol === 'android-app:') return byApp(url.hostname);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return channelResult('direct', null, 'referrer_not_web');
  const host = normalizeHost(url.hostname);
  if (host === null) return channelResult('direct', null, 'referrer_unparseable');
  // A visitor moving between pages (or subdomains) of the site itself: never a new referral.
  if (isOwnHost(host, ownHosts)) return channelResult('direct', null, 'self_referral');
  const known = lookupHost(host);
  if (known) return channelResult(unpaidChannelOf(known.kind), known.source, `referrer:${known.kind}`);
  return channelResult('referral', host, 'referrer:unlisted_host');
}

/** Android apps send `android-app://<package id>/` as the referrer (Gmail, the Google app, Facebook). */
function byApp(packageId: string): ChannelResult {
  if (packageId === '') return channelResult('direct', null, 'referrer_unparseable');
  const known = lookupApp(packageId);
  if (known) return channelResult(unpaidChannelOf(known.kind), known.source, `referrer_app:${known.kind}`);
  return channelResult('referral', `android-app:${packageId.toLowerCase()}`, 'referrer_app:unlisted');
}

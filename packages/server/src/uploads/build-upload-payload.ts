// Builds one conversion's upload in the platform's documented shape (a Google Ads ClickConversion, a Meta Conversions API event), or says why none.
import { toMicros } from '@touchline/attribution';
import type { UploadConversion, UploadDestination, UploadJourney, UploadSession } from '@touchline/storage';
import { storedObject } from './stored-object.js';
import { hashedUserData } from './user-data.js';

const DAY = 86_400_000;
/** Google Ads accepts a click's conversions for up to 90 days; the journey lookback matches it. */
export const CLICK_LOOKBACK_MS = 90 * DAY;

/** A conversion's upload, or the reason it is not sent (recorded in the delivery log as skipped). */
export type BuiltUpload = { kind: 'payload'; payload: Record<string, unknown> } | { kind: 'skip'; reason: string };
const payload = (p: Record<string, unknown>): BuiltUpload => ({ kind: 'payload', payload: p });
const skip = (reason: string): BuiltUpload => ({ kind: 'skip', reason });

/** An amount in integer micro-units as its exact decimal text: 12500000 -> "12.5" (no binary noise, no float sum). */
export function decimalOfMicros(micros: number): string {
  const big = BigInt(micros);
  const abs = big < 0n ? -big : big;
  const fraction = String(abs % 1_000_000n)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return `${big < 0n ? '-' : ''}${abs / 1_000_000n}${fraction === '' ? '' : `.${fraction}`}`;
}

/** Revenue as exact decimal text, or null: the stored double is read to the micro-unit once, then never summed. */
export const revenueText = (revenue: number | null): string | null =>
  revenue === null || !Number.isFinite(revenue) ? null : decimalOfMicros(toMicros(revenue));
const currencyOf = (c: string | null): string | null =>
  c !== null && /^[A-Za-z]{3}$/.test(c) ? c.toUpperCase() : null;

/** Google's "yyyy-mm-dd hh:mm:ss+|-hh:mm", always in UTC: "2026-12-01 13:45:07+00:00". */
export function googleDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}

/** The latest session of the person, at or before the conversion, whose landing carried `param` (the last ad click wins, as on the platforms). */
export function lastClick(journey: UploadJourney, param: string, at: number): UploadSession | null {
  let best: UploadSession | null = null;
  for (const s of journey.sessions) {
    if (s.startedAt > at || typeof s.clickIds[param] !== 'string' || s.clickIds[param] === '') continue;
    if (best === null || s.startedAt > best.startedAt || (s.startedAt === best.startedAt && s.id > best.id)) best = s;
  }
  return best;
}

/** Meta's standard event names for common conversion names; any other name goes as a custom event. */
const META_STANDARD_EVENTS: Record<string, string> = {
  purchase: 'Purchase',
  lead: 'Lead',
  signup: 'CompleteRegistration',
  sign_up: 'CompleteRegistration',
  complete_registration: 'CompleteRegistration',
  subscribe: 'Subscribe',
  add_to_cart: 'AddToCart',
  start_trial: 'StartTrial',
  initiate_checkout: 'InitiateCheckout',
  begin_checkout: 'InitiateCheckout',
  add_payment_info: 'AddPaymentInfo',
  contact: 'Contact',
  schedule: 'Schedule',
  submit_application: 'SubmitApplication',
};
export const metaEventName = (name: string): string => META_STANDARD_EVENTS[name.toLowerCase()] ?? name;

function userSources(conversion: UploadConversion, journey: UploadJourney): Array<Record<string, unknown>> {
  return [storedObject(conversion.properties), ...journey.traits];
}

function googleClickConversion(d: UploadDestination, c: UploadConversion, journey: UploadJourney): BuiltUpload {
  const click = lastClick(journey, 'gclid', c.timestamp);
  const user = d.sendUserData ? hashedUserData(userSources(c, journey), 'google_ads') : { email: null, phone: null };
  const identifiers = [
    ...(user.email === null ? [] : [{ hashedEmail: user.email }]),
    ...(user.phone === null ? [] : [{ hashedPhoneNumber: user.phone }]),
  ];
  if (click === null && identifiers.length === 0) {
    return skip(
      d.sendUserData
        ? 'no gclid in the journey and no email or phone to send'
        : 'no gclid in the journey (user data sending is off)',
    );
  }
  const value = revenueText(c.revenue);
  const currency = currencyOf(c.currency);
  return payload({
    ...(click === null ? {} : { gclid: click.clickIds.gclid }),
    conversionAction: d.conversionAction,
    conversionDateTime: googleDateTime(c.timestamp),
    ...(value === null ? {} : { conversionValue: Number(value) }),
    ...(value === null || currency === null ? {} : { currencyCode: currency }),
    orderId: c.id,
    ...(identifiers.length === 0 ? {} : { userIdentifiers: identifiers }),
  });
}

function metaEvent(d: UploadDestination, c: UploadConversion, journey: UploadJourney): BuiltUpload {
  const click = lastClick(journey, 'fbclid', c.timestamp);
  const user = d.sendUserData ? hashedUserData(userSources(c, journey), 'meta') : { email: null, phone: null };
  if (click === null && user.email === null && user.phone === null) {
    return skip(
      d.sendUserData
        ? 'no fbclid in the journey and no email or phone to send'
        : 'no fbclid in the journey (user data sending is off)',
    );
  }
  const props = storedObject(c.properties);
  const pageUrl =
    typeof props.url === 'string' && /^https?:\/\//.test(props.url)
      ? props.url
      : (click?.landingUrl ?? journey.sessions[0]?.landingUrl ?? null);
  const userAgent = typeof props.user_agent === 'string' && props.user_agent !== '' ? props.user_agent : null;
  const value = revenueText(c.revenue);
  const currency = currencyOf(c.currency);
  return payload({
    event_name: metaEventName(c.name),
    event_time: Math.floor(c.timestamp / 1000),
    event_id: c.id,
    action_source: 'website',
    ...(pageUrl === null ? {} : { event_source_url: pageUrl }),
    user_data: {
      // fbc as Meta documents it: fb.<subdomain index 1>.<ms when the fbclid was first seen>.<fbclid, unmodified>.
      ...(click === null ? {} : { fbc: `fb.1.${click.startedAt}.${click.clickIds.fbclid}` }),
      ...(user.email === null ? {} : { em: [user.email] }),
      ...(user.phone === null ? {} : { ph: [user.phone] }),
      ...(userAgent === null ? {} : { client_user_agent: userAgent }),
    },
    ...(value === null || currency === null ? {} : { custom_data: { value: Number(value), currency } }),
  });
}

export function buildUploadPayload(d: UploadDestination, c: UploadConversion, journey: UploadJourney): BuiltUpload {
  return d.platform === 'google_ads' ? googleClickConversion(d, c, journey) : metaEvent(d, c, journey);
}

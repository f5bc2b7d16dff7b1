// The storage contract's conversion-upload types: destinations (where conversions go back to an ad platform) and the delivery log.

/** The ad platforms a destination can send to. */
export type UploadPlatform = 'google_ads' | 'meta';
export const UPLOAD_PLATFORMS: readonly UploadPlatform[] = ['google_ads', 'meta'];

/** A destination as stored. `token` and `developerToken` are secrets: the API shows only their last characters. */
export interface UploadDestination {
  id: string;
  name: string;
  platform: UploadPlatform;
  endpointUrl: string;
  token: string;
  /** Google Ads only (the developer-token header). */
  developerToken: string | null;
  /** Google Ads only: the conversion action's resource name, customers/<id>/conversionActions/<id>. */
  conversionAction: string | null;
  /** Conversion names (types) to send; others are never sent. */
  conversionTypes: string[];
  /** Whether hashed email / phone go with each conversion (off unless the operator turns it on). */
  sendUserData: boolean;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A destination with the account it belongs to, as the delivery loop reads every account's. */
export interface AccountUploadDestination extends UploadDestination {
  accountId: string;
}

/** skipped: nothing to send (no click id of the platform and no user data); the reason is in lastError. */
export type UploadDeliveryStatus = 'pending' | 'delivered' | 'failed' | 'skipped';
export const UPLOAD_DELIVERY_STATUSES: readonly UploadDeliveryStatus[] = ['pending', 'delivered', 'failed', 'skipped'];

/** One (destination, conversion) delivery: its payload is built once and sent unchanged on every attempt. */
export interface UploadDelivery {
  destinationId: string;
  conversionId: string;
  occurredAt: number;
  status: UploadDeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  responseCode: number | null;
  /** JSON text: one Google Ads ClickConversion or one Meta Conversions API event. */
  payload: string;
  createdAt: number;
  updatedAt: number;
}

/** A delivery queued for the first time: pending with its payload, or skipped with the reason. */
export type UploadEnqueue =
  | { destinationId: string; conversionId: string; occurredAt: number; status: 'pending'; payload: string }
  | { destinationId: string; conversionId: string; occurredAt: number; status: 'skipped'; reason: string };

/** A claimed delivery: leased until `leasedUntil`, so a second collector does not send it at the same time. */
export interface ClaimedUpload {
  accountId: string;
  destinationId: string;
  conversionId: string;
  attempts: number;
  payload: string;
  leasedUntil: number;
}

/** What one attempt did to a claimed delivery. `nextAttemptAt` only for a retry. */
export interface UploadAttempt {
  accountId: string;
  destinationId: string;
  conversionId: string;
  status: UploadDeliveryStatus;
  nextAttemptAt: number;
  error: string | null;
  responseCode: number | null;
  /** The claim's lease: the row is updated only if it still holds it. */
  leasedUntil: number;
}

/** Conversions a destination may send: of its types, in [from, to), oldest first; `unqueuedFor` leaves out those already in its log. */
export interface UploadConversionWindow {
  types: readonly string[];
  from: number;
  to: number;
  limit: number;
  unqueuedFor?: string;
}

/** A stored conversion as an upload reads it. `properties` is its JSON text. */
export interface UploadConversion {
  id: string;
  name: string;
  visitorId: string;
  sessionId: string | null;
  timestamp: number;
  revenue: number | null;
  currency: string | null;
  properties: string;
}

/** A session of the converting person, with what an upload needs: its click ids and landing URL. */
export interface UploadSession {
  id: string;
  visitorId: string;
  startedAt: number;
  landingUrl: string | null;
  clickIds: Record<string, string>;
}

/** One conversion's person (the visitor and those linked by identify): sessions in the lookback and identify traits, latest first. */
export interface UploadJourney {
  sessions: UploadSession[];
  traits: Array<Record<string, unknown>>;
}

export type UploadDestinationDelete = { kind: 'deleted' } | { kind: 'not_found' };

/** The delivery log: newest change first, at most `limit` rows. */
export interface UploadLogQuery {
  destinationId?: string;
  status?: UploadDeliveryStatus;
  limit: number;
}
export interface UploadLogCounts {
  destinationId: string;
  status: UploadDeliveryStatus;
  count: number;
}

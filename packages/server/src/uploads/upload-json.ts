// The API's JSON shapes of destinations and delivery-log rows: secrets masked, times as ISO strings.
import type { UploadDelivery, UploadDestination, UploadLogCounts } from '@touchline/storage';
import { maskSecret } from './define-uploads.js';

export function destinationJson(d: UploadDestination, counts: readonly UploadLogCounts[] = []) {
  const mine = counts.filter((c) => c.destinationId === d.id);
  const count = (status: string): number => mine.find((c) => c.status === status)?.count ?? 0;
  return {
    id: d.id,
    name: d.name,
    platform: d.platform,
    endpoint_url: d.endpointUrl,
    token: maskSecret(d.token),
    developer_token: maskSecret(d.developerToken),
    conversion_action: d.conversionAction,
    conversion_types: d.conversionTypes,
    send_user_data: d.sendUserData,
    enabled: d.enabled,
    deliveries: {
      pending: count('pending'),
      delivered: count('delivered'),
      failed: count('failed'),
      skipped: count('skipped'),
    },
    created_at: new Date(d.createdAt).toISOString(),
    updated_at: new Date(d.updatedAt).toISOString(),
  };
}

export function deliveryJson(r: UploadDelivery) {
  return {
    destination_id: r.destinationId,
    conversion_id: r.conversionId,
    occurred_at: new Date(r.occurredAt).toISOString(),
    status: r.status,
    attempts: r.attempts,
    next_attempt_at: r.status === 'pending' ? new Date(r.nextAttemptAt).toISOString() : null,
    last_error: r.lastError,
    response_code: r.responseCode,
    updated_at: new Date(r.updatedAt).toISOString(),
    payload: r.status === 'skipped' ? null : (JSON.parse(r.payload) as unknown),
  };
}

// IntegrityError: a failure of the integrity monitor or its alert webhook, reported through onError (never thrown into ingest).
import { TouchlineError } from '@touchline/core';

export type IntegrityErrorCode =
  | 'evaluation_failed'
  | 'webhook_failed'
  | 'webhook_queue_full'
  | 'sdk_health_failed'
  | 'disk_warning';

export class IntegrityError extends TouchlineError {
  constructor(code: IntegrityErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'IntegrityError';
  }
}

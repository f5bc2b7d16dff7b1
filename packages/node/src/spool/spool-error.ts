// The spool's exception: thrown when a spool cannot be opened (refused clearly at createClient), reported when a file is damaged.
import { TouchlineError } from '@touchline/core';

export type SpoolErrorCode = 'spool_in_use' | 'spool_unavailable' | 'spool_damaged';

export class SpoolError extends TouchlineError {
  declare readonly code: SpoolErrorCode;

  constructor(code: SpoolErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, `touchline spool: ${message}`, options);
    this.name = 'SpoolError';
  }
}

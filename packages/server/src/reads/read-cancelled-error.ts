// A query whose caller went away (its signal aborted) before the answer: dropped if queued, stopped if running.
import { TouchlineError } from '@touchline/core';

/** The caller went away (its signal aborted) before the answer: the query was dropped or stopped. */
export class ReadCancelledError extends TouchlineError {
  declare readonly code: 'read_cancelled';

  constructor(op: string) {
    super('read_cancelled', `query ${op} was cancelled: the client disconnected`);
    this.name = 'ReadCancelledError';
  }
}

// The read pool's refusal when every slot is running and its queue is full: answered 503 with Retry-After.
import { TouchlineError } from '@touchline/core';

/** Every slot is running and the queue is full: the caller answers 503 with Retry-After. */
export class ReadsBusyError extends TouchlineError {
  declare readonly code: 'reads_busy';

  constructor(
    readonly retryAfterSeconds: number,
    running: number,
    queued: number,
  ) {
    super(
      'reads_busy',
      `the collector is answering ${running} queries with ${queued} more waiting; retry in ${retryAfterSeconds} s`,
    );
    this.name = 'ReadsBusyError';
  }
}

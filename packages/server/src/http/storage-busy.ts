// How a request that storage turned away for now is answered: 503 + Retry-After, never a 500 (the SDK retries it; nothing was stored).
export const STORAGE_BUSY_RETRY_AFTER_SECONDS = 1;
export const STORAGE_BUSY_MESSAGE =
  'storage is busy (a lock, or the write-ahead log at its bound); nothing was stored, retry later';

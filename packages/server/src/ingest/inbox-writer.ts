// Group commit for the inbox: ingest requests that arrive in one event-loop turn share one transaction.
import type { InboxItem, Storage } from '@touchline/storage';
import type { IngestWriteGate } from '../workers/write-gate.js';

export interface InboxWriteResult {
  inserted: number;
  duplicates: number;
}

export interface InboxWriter {
  /** Resolves once the items are committed (durable), never before: the 202 waits for it. */
  write(accountId: string, items: InboxItem[]): Promise<InboxWriteResult>;
  /** An ingest request has arrived and will write soon; call the release when it has answered. */
  announce(): () => void;
}

interface Pending {
  accountId: string;
  items: InboxItem[];
  resolve: (result: InboxWriteResult) => void;
  reject: (error: unknown) => void;
}

/**
 * The pending list belongs to this writer (one per collector) and holds nothing after a flush.
 * With a worker thread on the same database, `gate` gives these writes priority over its passes.
 */
export function createInboxWriter(storage: Storage, now: () => number, gate?: IngestWriteGate): InboxWriter {
  let pending: Pending[] = [];
  let scheduled = false;

  async function flush(): Promise<void> {
    const group = pending;
    pending = [];
    scheduled = false;
    try {
      const insert = (): Promise<InboxWriteResult[]> => storage.insertInboxGroups(group, now());
      const results = await (gate ? gate.write(insert) : insert());
      group.forEach((p, i) => p.resolve(results[i] ?? { inserted: 0, duplicates: p.items.length }));
    } catch (error) {
      for (const p of group) p.reject(error);
    }
  }

  const noop = (): void => {};
  return {
    announce: () => (gate ? gate.announce() : noop),
    write(accountId, items) {
      return new Promise((resolve, reject) => {
        pending.push({ accountId, items, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(() => {
            void flush();
          });
        }
      });
    },
  };
}

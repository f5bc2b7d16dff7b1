// The typed event map every client emits, and a tiny emitter over it (no console logging).

export interface TouchlineEvents {
  /** A batch was acknowledged by the collector. */
  delivered: { batchId: string; items: number; duplicates: number; attempt: number };
  /** A batch failed transiently and will be sent again after `delayMs`. */
  retry: { batchId: string; attempt: number; delayMs: number; reason: string; status: number | null };
  /** Items were given up on: queue full, rejected by the collector, too large, retry budget spent. */
  dropped: { count: number; reason: string };
  /** The collector answered 401/403; items are kept and the key is probed again later. */
  auth_failed: { status: number; nextProbeMs: number };
  /** Any failure, also passed to `onError`. */
  error: { error: Error };
}

export type TouchlineEventName = keyof TouchlineEvents;
export type Listener<K extends TouchlineEventName> = (payload: TouchlineEvents[K]) => void;
type Tap = <K extends TouchlineEventName>(name: K, payload: TouchlineEvents[K]) => void;

export interface TypedEmitter {
  on<K extends TouchlineEventName>(name: K, listener: Listener<K>): () => void;
  emit<K extends TouchlineEventName>(name: K, payload: TouchlineEvents[K]): void;
}

/**
 * Deliberately not node:events: an EventEmitter throws on an 'error' event nobody listens to,
 * which would throw into the host app. Listener exceptions are swallowed for the same reason.
 */
export function createEmitter(tap?: Tap): TypedEmitter {
  const listeners = new Map<TouchlineEventName, Set<(payload: never) => void>>();
  return {
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      const entry = listener as (payload: never) => void;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
    emit(name, payload) {
      if (tap) {
        try {
          tap(name, payload);
        } catch {
          /* a debug sink's bug is not ours to throw */
        }
      }
      for (const listener of [...(listeners.get(name) ?? [])]) {
        try {
          (listener as Listener<typeof name>)(payload);
        } catch {
          /* same for listeners */
        }
      }
    },
  };
}

// While the collector answers 401/403, lets exactly one batch probe it and parks the others.

export interface AuthGate<B> {
  /** True while an auth failure episode is on. */
  readonly blocked: boolean;
  /** True when another batch is the probe, so `batch` must step aside instead of sending. */
  mustWait(batch: B): boolean;
  /** `batch` got 401/403: it becomes the probe unless another batch already is. */
  failed(batch: B): { role: 'probe' | 'park'; episodeStarted: boolean };
  /**
   * `batch` got any other answer. The episode ends when the probe gets one, or when any batch is
   * acknowledged (the key evidently works). Returns true when this ended the episode.
   */
  answered(batch: B, acknowledged: boolean): boolean;
  reset(): void;
}

/** One probe at a time keeps a collector that rejects our key from being hammered by every slot. */
export function createAuthGate<B>(onRecovered: () => void): AuthGate<B> {
  let probe: B | null = null;
  return {
    get blocked() {
      return probe !== null;
    },
    mustWait: (batch) => probe !== null && probe !== batch,
    failed(batch) {
      if (probe === null) {
        probe = batch;
        return { role: 'probe', episodeStarted: true };
      }
      return { role: probe === batch ? 'probe' : 'park', episodeStarted: false };
    },
    answered(batch, acknowledged) {
      if (probe === null || (probe !== batch && !acknowledged)) return false;
      probe = null;
      onRecovered();
      return true;
    },
    reset() {
      probe = null;
    },
  };
}

// Per-browser identity markers: unique, recognisable strings the probe sends and looks for in responses.
import { randomBytes } from 'node:crypto';

/** The markers of one probe run. The run nonce keeps markers from earlier runs from counting. */
export interface MarkerSet {
  /** The marker of browser `index` (0-based). */
  markerOf(index: number): string;
  /** Every marker of this run found in `text`, with the browser index it belongs to. */
  find(text: string): Array<{ marker: string; index: number }>;
}

/** `probe-<nonce>-<n>`: cookie-, header- and URL-safe, and unlikely to occur by chance. */
export function createMarkerSet(nonce: string = randomBytes(4).toString('hex')): MarkerSet {
  const prefix = `probe-${nonce}-`;
  return {
    markerOf: (index) => `${prefix}${index}`,
    find(text) {
      // A fresh RegExp per call: a shared global regex carries lastIndex between callers.
      const pattern = new RegExp(`${prefix}(\\d+)(?!\\d)`, 'g');
      const found: Array<{ marker: string; index: number }> = [];
      for (const match of text.matchAll(pattern)) {
        found.push({ marker: match[0], index: Number(match[1]) });
      }
      return found;
    },
  };
}

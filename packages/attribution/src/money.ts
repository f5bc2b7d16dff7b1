// Exact money for attribution: a conversion's revenue is split in integer micro-units, so credits
// and channel totals add up exactly and print without binary noise.

const MICROS_PER_UNIT = 1_000_000;
const BIG_MICROS = 1_000_000n;

/**
 * An amount in integer micro-units. Exact for every amount the collector accepts (|x| <= 1e9 with
 * at most 6 decimals): x * 1e6 stays below 2^53 and is within 0.5 of the intended integer.
 */
export function toMicros(amount: number): number {
  return Math.round(amount * MICROS_PER_UNIT);
}

/** Micro-units as the double nearest to their exact decimal value (which prints back as that decimal). */
export function fromMicros(micros: number | bigint): number {
  const big = typeof micros === 'bigint' ? micros : BigInt(micros);
  const negative = big < 0n;
  const abs = negative ? -big : big;
  return Number(`${negative ? '-' : ''}${abs / BIG_MICROS}.${String(abs % BIG_MICROS).padStart(6, '0')}`);
}

/**
 * Splits `micros` over `shares` (summing to 1) into integers that add up to exactly `micros`:
 * each share's floor, then the micro-units left over one each to the largest remainders (ties:
 * the earlier entry). Writes into `out[from .. from + n)`; `shares` is read at the same indexes.
 */
export function splitMicros(micros: number, shares: Float64Array, from: number, n: number, out: Float64Array): void {
  const sign = micros < 0 ? -1 : 1;
  const total = micros * sign;
  let given = 0;
  for (let e = from; e < from + n; e++) {
    const part = Math.floor((shares[e] ?? 0) * total);
    out[e] = part;
    given += part;
  }
  // Float shares can sum to a hair over or under 1: the difference is at most a few units of n.
  while (given !== total) {
    const step = given < total ? 1 : -1;
    let best = -1;
    let bestKey = 0;
    for (let e = from; e < from + n; e++) {
      const rest = (shares[e] ?? 0) * total - (out[e] ?? 0);
      const key = step > 0 ? rest : -rest;
      if (step < 0 && (out[e] ?? 0) <= 0) continue;
      if (best < 0 || key > bestKey) {
        best = e;
        bestKey = key;
      }
    }
    if (best < 0) break;
    out[best] = (out[best] ?? 0) + step;
    given += step;
  }
  if (sign < 0) for (let e = from; e < from + n; e++) out[e] = -(out[e] ?? 0);
}

/**
 * Per-channel sums of micro-units: doubles while exact (below 2^52), spilling into a BigInt beyond,
 * so a total over billions of units stays exact without a BigInt add per credit.
 */
export class MicroTotals {
  private small: Float64Array = new Float64Array(16);
  private readonly big = new Map<number, bigint>();

  add(id: number, micros: number): void {
    if (id >= this.small.length) {
      const grown = new Float64Array(Math.max(id + 1, this.small.length * 2));
      grown.set(this.small);
      this.small = grown;
    }
    const sum = (this.small[id] ?? 0) + micros;
    if (Math.abs(sum) < 2 ** 52) {
      this.small[id] = sum;
      return;
    }
    this.big.set(id, (this.big.get(id) ?? 0n) + BigInt(sum));
    this.small[id] = 0;
  }

  /** Channel `id`'s total as an exact amount. */
  amount(id: number): number {
    return fromMicros((this.big.get(id) ?? 0n) + BigInt(this.small[id] ?? 0));
  }
}

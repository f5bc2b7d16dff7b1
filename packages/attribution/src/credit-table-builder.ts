// Accumulates per-channel weights one conversion at a time, normalises them and tallies channel totals.
import type { AttributionResult, ModelName } from './attribution-result.js';
import type { ChannelIndex } from './channel-index.js';
import { CreditTable } from './credit-table.js';
import type { ChannelTotal, Journey } from './journey.js';
import { MicroTotals, splitMicros, toMicros } from './money.js';

/**
 * Call `add(channelId, weight)` for each touch of journey `i`, then `end()`; repeat for every
 * journey in order, then `finish()`. Scratch arrays are reused so the hot loop never allocates.
 */
export class CreditTableBuilder {
  private readonly offsets: Uint32Array;
  private channelIds: Int32Array;
  private shares: Float64Array;
  /** Each entry's revenue in integer micro-units (a conversion's entries add up to its revenue exactly). */
  private micros: Float64Array;
  private readonly maxEntries: number;
  private used = 0;
  private row = 0;
  private weight: Float64Array = new Float64Array(16);
  private stamp: Int32Array = new Int32Array(16);
  private touched: Int32Array = new Int32Array(16);
  private touchedCount = 0;
  private epoch = 1;
  private totalConversions: Float64Array = new Float64Array(16);
  private readonly totalRevenue = new MicroTotals();

  constructor(
    private readonly journeys: readonly Journey[],
    private readonly index: ChannelIndex,
  ) {
    // A conversion never credits more channels than it has touches (an empty one credits direct),
    // but sizing for that worst case up front allocates ~10x what first/last touch need, and large
    // external allocations make V8 run full collections over the (large) journey heap. So start
    // at two entries per conversion and, if that overflows, jump once straight to the bound.
    let bound = 0;
    for (const journey of journeys) bound += Math.max(1, journey.touchpoints.length);
    this.maxEntries = bound;
    const capacity = Math.min(bound, 2 * journeys.length);
    this.offsets = new Uint32Array(journeys.length + 1);
    this.channelIds = new Int32Array(capacity);
    this.shares = new Float64Array(capacity);
    this.micros = new Float64Array(capacity);
  }

  add(channelId: number, weight: number): void {
    if (channelId >= this.weight.length) this.grow(channelId);
    if (this.stamp[channelId] !== this.epoch) {
      this.stamp[channelId] = this.epoch;
      this.weight[channelId] = 0;
      if (this.touchedCount >= this.touched.length) this.touched = growInt(this.touched, this.touchedCount);
      this.touched[this.touchedCount++] = channelId;
    }
    this.weight[channelId] = (this.weight[channelId] ?? 0) + weight;
  }

  /** Registers `channelId` with `weight` unless already present in this conversion (a set, not a sum). */
  include(channelId: number, weight: number): void {
    if (channelId < this.stamp.length && this.stamp[channelId] === this.epoch) return;
    this.add(channelId, weight);
  }

  /** Closes the current conversion. With no usable weight, present channels share equally (no information). */
  end(): void {
    const journey = this.journeys[this.row];
    if (journey === undefined) throw new RangeError('CreditTableBuilder: more conversions ended than journeys given');
    if (this.touchedCount === 0)
      throw new RangeError(`CreditTableBuilder: conversion ${journey.conversionId} credited no channel`);
    let total = 0;
    for (let t = 0; t < this.touchedCount; t++) total += this.weight[this.touched[t] ?? 0] ?? 0;
    const equal = !(total > 0 && Number.isFinite(total));
    if (this.used + this.touchedCount > this.shares.length) this.growEntries(this.used + this.touchedCount);
    const first = this.used;
    for (let t = 0; t < this.touchedCount; t++) {
      const id = this.touched[t] ?? 0;
      const share = equal ? 1 / this.touchedCount : (this.weight[id] ?? 0) / total;
      if (share <= 0) continue;
      this.channelIds[this.used] = id;
      this.shares[this.used++] = share;
      this.totalConversions[id] = (this.totalConversions[id] ?? 0) + share;
    }
    splitMicros(toMicros(journey.revenue), this.shares, first, this.used - first, this.micros);
    for (let e = first; e < this.used; e++) this.totalRevenue.add(this.channelIds[e] ?? 0, this.micros[e] ?? 0);
    this.touchedCount = 0;
    this.epoch++;
    this.offsets[++this.row] = this.used;
  }

  finish(model: ModelName, channelWeights?: ReadonlyMap<string, number>): AttributionResult {
    if (this.row !== this.journeys.length) {
      throw new RangeError(`CreditTableBuilder: ${this.row} of ${this.journeys.length} conversions ended`);
    }
    const names = this.index.names;
    const channels: ChannelTotal[] = [];
    for (let id = 0; id < names.length; id++) {
      const conversions = this.totalConversions[id] ?? 0;
      if (conversions > 0)
        channels.push({ channel: names[id] ?? '', conversions, revenue: this.totalRevenue.amount(id) });
    }
    channels.sort((a, b) => b.conversions - a.conversions || (a.channel < b.channel ? -1 : 1));
    const conversions = new CreditTable(
      this.journeys,
      names,
      this.offsets,
      this.channelIds.subarray(0, this.used),
      this.shares.subarray(0, this.used),
      this.micros.subarray(0, this.used),
    );
    return channelWeights ? { model, channels, conversions, channelWeights } : { model, channels, conversions };
  }

  private growEntries(atLeast: number): void {
    const size = Math.max(atLeast, this.maxEntries);
    const channelIds = new Int32Array(size);
    const shares = new Float64Array(size);
    const micros = new Float64Array(size);
    channelIds.set(this.channelIds.subarray(0, this.used));
    shares.set(this.shares.subarray(0, this.used));
    micros.set(this.micros.subarray(0, this.used));
    this.channelIds = channelIds;
    this.shares = shares;
    this.micros = micros;
  }

  private grow(channelId: number): void {
    this.weight = growFloat(this.weight, channelId);
    this.stamp = growInt(this.stamp, channelId);
    this.totalConversions = growFloat(this.totalConversions, channelId);
  }
}

function growFloat(a: Float64Array, atLeast: number): Float64Array {
  const next = new Float64Array(Math.max(a.length * 2, atLeast + 1));
  next.set(a);
  return next;
}

function growInt(a: Int32Array, atLeast: number): Int32Array {
  const next = new Int32Array(Math.max(a.length * 2, atLeast + 1));
  next.set(a);
  return next;
}

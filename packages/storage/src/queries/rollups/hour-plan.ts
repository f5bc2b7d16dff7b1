// Cuts a bucketed time range into whole UTC hours the rollups answer and sub-hour pieces read from raw rows.

export const HOUR_MS = 3_600_000;

/** Whole hours [from, to) (hour numbers: ms / HOUR_MS) that all lie in bucket `i`. */
export interface HourSpan {
  from: number;
  to: number;
  i: number;
}
/** A piece [from, to) in ms, inside one hour and one bucket, that the rollups cannot answer. */
export interface RawPiece {
  from: number;
  to: number;
  i: number;
}
export interface HourPlan {
  hours: HourSpan[];
  pieces: RawPiece[];
}

/**
 * The range [from, to) in buckets of `bucket` ms counted from `origin` (bucket i is
 * [origin + i * bucket, origin + (i + 1) * bucket), cut to the range; origin <= from). An hour wholly inside the range and inside one
 * bucket comes from the rollups; every other part of the range (the partial hours at its edges,
 * and the hours a bucket boundary cuts) is a raw piece. Hours and pieces cover the range exactly
 * once, so rollup sums plus raw counts equal the raw answer. Whole hours of one bucket in a row
 * merge into one span, so a range of 90 days in day buckets is at most ~90 spans and ~180 pieces.
 */
export function planHours(from: number, to: number, bucket: number, origin: number = from): HourPlan {
  const hours: HourSpan[] = [];
  const pieces: RawPiece[] = [];
  const bucketOf = (t: number): number => Math.floor((t - origin) / bucket);
  for (let h = Math.floor(from / HOUR_MS); h * HOUR_MS < to; h++) {
    const start = h * HOUR_MS;
    const end = start + HOUR_MS;
    if (start >= from && end <= to && bucketOf(start) === bucketOf(end - 1)) {
      const i = bucketOf(start);
      const last = hours[hours.length - 1];
      if (last !== undefined && last.to === h && last.i === i) last.to = h + 1;
      else hours.push({ from: h, to: h + 1, i });
      continue;
    }
    for (let a = Math.max(start, from), b = Math.min(end, to); a < b; ) {
      const i = bucketOf(a);
      const cut = Math.min(b, origin + (i + 1) * bucket);
      pieces.push({ from: a, to: cut, i });
      a = cut;
    }
  }
  return { hours, pieces };
}

/** The whole-hour span [from, to) of each bucket of the plan (a bucket's whole hours are contiguous); [0, 0) for none. */
function spanOf(plan: HourPlan): (i: number) => [number, number] {
  const spans = new Map(plan.hours.map((s) => [s.i, [s.from, s.to] as [number, number]]));
  return (i) => spans.get(i) ?? [0, 0];
}

/**
 * The plan as the JSON arrays SQLite's json_each reads: hours [[from, to, i], ...] and pieces
 * [[from, to, i, spanFrom, spanTo], ...], each piece with its bucket's whole-hour span, so a raw
 * session's visitor can be checked against the visitors the span already counted.
 */
export function planJson(plan: HourPlan): { hours: string; pieces: string } {
  const span = spanOf(plan);
  return {
    hours: JSON.stringify(plan.hours.map((s) => [s.from, s.to, s.i])),
    pieces: JSON.stringify(plan.pieces.map((p) => [p.from, p.to, p.i, ...span(p.i)])),
  };
}

/** The plan as PostgreSQL column arrays, for unnest (pieces with their bucket's span, as in planJson). */
export function planArrays(plan: HourPlan): {
  hourFrom: number[];
  hourTo: number[];
  hourI: number[];
  pieceFrom: number[];
  pieceTo: number[];
  pieceI: number[];
  pieceSpanFrom: number[];
  pieceSpanTo: number[];
} {
  const span = spanOf(plan);
  return {
    hourFrom: plan.hours.map((s) => s.from),
    hourTo: plan.hours.map((s) => s.to),
    hourI: plan.hours.map((s) => s.i),
    pieceFrom: plan.pieces.map((p) => p.from),
    pieceTo: plan.pieces.map((p) => p.to),
    pieceI: plan.pieces.map((p) => p.i),
    pieceSpanFrom: plan.pieces.map((p) => span(p.i)[0]),
    pieceSpanTo: plan.pieces.map((p) => span(p.i)[1]),
  };
}

/**
 * The spans that are exactly one UTC day (hours [24 d, 24 d + 24)), as day numbers with their
 * bucket, and the rest: a bucket whose whole hours are one UTC day has as many distinct visitors
 * as visitor_days counts for that day, so one row replaces the day's visitor_gaps rows.
 */
export function wholeDays(spans: readonly HourSpan[]): { days: Array<{ day: number; i: number }>; rest: HourSpan[] } {
  const days: Array<{ day: number; i: number }> = [];
  const rest: HourSpan[] = [];
  for (const s of spans) {
    if (s.to - s.from === 24 && ((s.from % 24) + 24) % 24 === 0) days.push({ day: Math.floor(s.from / 24), i: s.i });
    else rest.push(s);
  }
  return { days, rest };
}

/** The whole-hour span of bucket 0 (stats' only bucket), for the sessions active at `from`. */
export function firstSpan(plan: HourPlan): [number, number] {
  return spanOf(plan)(0);
}

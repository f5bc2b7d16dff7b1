// Formats epoch milliseconds as an ISO 8601 UTC timestamp, as Date#toISOString does, without a Date.

/** 10000-01-01T00:00:00.000Z: from there on toISOString writes a six-digit year. */
const FAST_LIMIT = 253402300800000;
const TWO = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const two = (n: number): string => TWO[n] as string;
const three = (n: number): string => (n < 10 ? '00' : n < 100 ? '0' : '') + String(n);

/**
 * `new Date(ms).toISOString()` for 1970-01-01 up to year 9999 (other values go through Date).
 * Every item carries one; on this machine toISOString costs ~0.5-0.9 µs with its Date, this
 * ~0.1 µs. The calendar arithmetic is Howard Hinnant's days-to-civil algorithm.
 */
export function isoTimestamp(ms: number): string {
  if (!(ms >= 0 && ms < FAST_LIMIT)) return new Date(ms).toISOString();
  const t = Math.floor(ms);
  const days = Math.floor(t / 86_400_000);
  let rest = t - days * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${two(month)}-${two(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}.${three(millis)}Z`;
}

// Date ranges the dashboard can show: presets ending now (hourly) or at the end of today (daily), or custom days.

export type Preset = '24h' | '7d' | '30d' | '90d' | 'custom';
export interface DateRange {
  preset: Preset;
  from: number;
  to: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const PRESETS: ReadonlyArray<{ value: Preset; label: string }> = [
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: '90d', label: 'Last 90 days' },
  { value: 'custom', label: 'Custom…' },
];

/** Day ranges run from a UTC midnight to the next one after today, so each chart bucket is one whole UTC day. */
export function presetRange(preset: Exclude<Preset, 'custom'>, now: number): DateRange {
  if (preset === '24h') {
    const to = Math.ceil(now / HOUR) * HOUR;
    return { preset, from: to - 24 * HOUR, to };
  }
  const days = preset === '7d' ? 7 : preset === '30d' ? 30 : 90;
  const to = Math.floor(now / DAY) * DAY + DAY;
  return { preset, from: to - days * DAY, to };
}

/** From the start of `fromDay` to the end of `toDay` (both yyyy-mm-dd, UTC); null when either is missing or they are reversed. */
export function customRange(fromDay: string, toDay: string): DateRange | null {
  const from = Date.parse(`${fromDay}T00:00:00Z`);
  const to = Date.parse(`${toDay}T00:00:00Z`) + DAY;
  if (Number.isNaN(from) || Number.isNaN(to) || from >= to) return null;
  return { preset: 'custom', from, to };
}

/** yyyy-mm-dd of a UTC instant, for date inputs. */
export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

// Options of runProbe: the single source of the probe's defaults and limits, validated once.
import { SettingsError, type SettingsProblem } from '@touchline/core';
import type { ProbeScript } from './probe-script.js';

export interface ProbeOptions {
  /** Where the app listens, e.g. `http://127.0.0.1:3000/`. Loopback only unless in `allowHosts`. */
  baseUrl: string;
  /** Virtual browsers, each with its own cookie jar and marker. @default 200 */
  users?: number;
  /** Total requests, shared evenly between the browsers. @default 5000 */
  requests?: number;
  /** Requests in flight across all browsers; browsers start in waves of concurrency / perUserConcurrency. @default 100 */
  concurrency?: number;
  /** Requests in flight per browser, like a page and its XHRs; the first ones race with an empty jar. @default 3 */
  perUserConcurrency?: number;
  /** Per-request timeout; a timed-out request counts as an error, not a violation. @default 10000 */
  timeoutMs?: number;
  /** No new request starts after this long; the report says the run stopped early. @default 60000 */
  maxDurationMs?: number;
  /** Violations kept in the report (all are counted). @default 1000 */
  maxViolations?: number;
  /** Non-loopback hosts the user explicitly allowed. @default [] */
  allowHosts?: string[];
  /** Cookie names excluded from the cookie checks (e.g. a site-wide constant token). @default [] */
  ignoreCookies?: string[];
  /** What each browser requests. @default every browser GETs the base URL's path */
  script?: ProbeScript;
}

export type ResolvedProbeOptions = Required<Omit<ProbeOptions, 'script'>> & { script: ProbeScript | undefined };

const LIMITS = {
  users: [1, 100_000],
  requests: [1, 10_000_000],
  concurrency: [1, 10_000],
  perUserConcurrency: [1, 64],
  timeoutMs: [1, 600_000],
  maxDurationMs: [1, 24 * 60 * 60 * 1000],
  maxViolations: [0, 1_000_000],
} as const;

type NumericOption = keyof typeof LIMITS;

const DEFAULTS: Record<NumericOption, number> = {
  users: 200,
  requests: 5000,
  concurrency: 100,
  perUserConcurrency: 3,
  timeoutMs: 10_000,
  maxDurationMs: 60_000,
  maxViolations: 1000,
};

/** Fills defaults and checks bounds, reporting every bad option in one SettingsError. */
export function resolveProbeOptions(input: ProbeOptions): ResolvedProbeOptions {
  const problems: SettingsProblem[] = [];
  const numbers = { ...DEFAULTS };
  for (const key of Object.keys(LIMITS) as NumericOption[]) {
    const value = input[key];
    if (value === undefined) continue;
    const [min, max] = LIMITS[key];
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push({ path: key, message: `must be an integer from ${min} to ${max}, got ${String(value)}` });
    } else {
      numbers[key] = value;
    }
  }
  if (typeof input.baseUrl !== 'string' || input.baseUrl === '')
    problems.push({ path: 'baseUrl', message: 'is required' });
  if (problems.length > 0) throw new SettingsError('probe', problems);
  return {
    ...numbers,
    baseUrl: input.baseUrl,
    allowHosts: input.allowHosts ?? [],
    ignoreCookies: input.ignoreCookies ?? [],
    script: input.script,
  };
}

// The dashboard's settings: one schema, the single source of defaults, parsed once with every problem reported together.
import { SettingsError } from '@touchline/core';
import { z } from 'zod';

const HOUR = 3_600_000;

export const dashboardSettingsSchema = z.object({
  /**
   * The admin password in plain text (env TOUCHLINE_ADMIN_PASSWORD). When set it wins over the hash
   * stored by `touchline admin set-password`. @default unset
   */
  adminPassword: z.string().min(10, 'must be at least 10 characters long').max(1024).optional(),
  /** How long a sign-in lasts, from sign-in (absolute, server-side). @default 12 hours */
  sessionTtlMs: z
    .number()
    .int()
    .min(60_000)
    .max(30 * 24 * HOUR)
    .default(12 * HOUR),
  /** The Secure cookie attribute: 'auto' sets it when the request came over https. @default 'auto' */
  secureCookies: z.enum(['auto', 'always', 'never']).default('auto'),
  /** Failed sign-ins allowed per client address per window before it is refused (429). @default 5 per 15 minutes */
  loginMaxFailures: z.number().int().min(1).max(1000).default(5),
  loginWindowMs: z
    .number()
    .int()
    .min(1000)
    .default(15 * 60_000),
  /** Signed-in sessions kept at most (oldest dropped first). @default 1000 */
  maxSessions: z.number().int().min(1).default(1000),
  /** Injected clock for tests. @default Date.now */
  now: z
    .custom<() => number>((v) => typeof v === 'function', 'must be a function returning epoch milliseconds')
    .optional(),
});

export type DashboardSettingsInput = z.input<typeof dashboardSettingsSchema>;
export type DashboardSettings = z.output<typeof dashboardSettingsSchema>;

export function parseDashboardSettings(input: DashboardSettingsInput = {}): DashboardSettings {
  const parsed = dashboardSettingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new SettingsError(
    'dashboard',
    parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  );
}

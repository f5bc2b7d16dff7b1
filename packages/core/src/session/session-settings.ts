// Settings of the visitor/session protocol: the single source of its defaults.
import { z } from 'zod';
import { SettingsError } from '../errors/settings-error.js';
import { zodProblems } from '../errors/zod-problems.js';
import { SESSION_CONVENTIONS } from './session-convention.js';

/** Chrome caps cookie lifetimes at 400 days; asking for more only gets truncated. */
export const MAX_COOKIE_AGE_SECONDS = 400 * 24 * 60 * 60;

export const sessionSettingsSchema = z
  .object({
    /** Inactivity after which the next request starts a new session. @default 30 */
    timeoutMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .default(30),
    /**
     * What else starts a new session: `inactivity` (nothing else, as GA4), `inactivity+campaign`
     * (a landing with new utm_* or click ids), `inactivity+campaign+referrer` (also a navigation
     * from a new external referrer, as Multibuzz). @default 'inactivity+campaign'
     */
    convention: z.enum(SESSION_CONVENTIONS).default('inactivity+campaign'),
    /**
     * Further hosts of this site (other own domains, a payment provider's return pages): under the
     * referrer convention a referrer from them, or a subdomain of them, never starts a session.
     * The page's host and `cookieDomain` always count. @default []
     */
    ownHosts: z.array(z.string().min(1).max(253)).max(100).default([]),
    /** Prefix of every identity cookie name; letters, digits and underscore only. @default 'tl_' */
    cookiePrefix: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,15}$/, 'must be 1-16 letters, digits or underscores, starting with a letter')
      .default('tl_'),
    /** Cookie Domain attribute; omitted means host-only cookies. */
    cookieDomain: z
      .string()
      .regex(
        /^\.?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i,
        'must be a host name like example.com',
      )
      .optional(),
    /** Secure attribute: 'auto' sets it when the page URL is https. @default 'auto' */
    cookieSecure: z.union([z.literal('auto'), z.boolean()]).default('auto'),
    /** SameSite attribute. @default 'lax' */
    cookieSameSite: z.enum(['lax', 'strict', 'none']).default('lax'),
    /** Lifetime of the visitor and session-number cookies, in days (max 400). @default 400 */
    visitorDays: z.number().int().positive().max(400).default(400),
  })
  .strict();

export type SessionSettingsInput = z.input<typeof sessionSettingsSchema>;
export type SessionSettings = Readonly<z.output<typeof sessionSettingsSchema>>;

/** Parses once and reports every problem in one SettingsError. */
export function parseSessionSettings(input: SessionSettingsInput = {}): SessionSettings {
  const parsed = sessionSettingsSchema.safeParse(input);
  if (!parsed.success) throw new SettingsError('session', zodProblems(parsed.error));
  if (parsed.data.cookieSameSite === 'none' && parsed.data.cookieSecure === false) {
    throw new SettingsError('session', [
      { path: 'cookieSameSite', message: "'none' requires cookieSecure to be true or 'auto'" },
    ]);
  }
  return Object.freeze(parsed.data);
}

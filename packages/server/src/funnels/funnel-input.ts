// Validates goal and funnel definitions from the API, the dashboard and the CLI: one message naming the field for each problem.
import { GOAL_KINDS, type GoalKind } from '@touchline/storage';
import { z } from 'zod';

const DAY = 86_400_000;
/** The longest funnel window: as long as the longest attribution lookback. */
export const MAX_FUNNEL_WINDOW_MS = 90 * DAY;
export const MAX_FUNNEL_STEPS = 10;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: DAY } as const;

const noNul = (s: string): boolean => !s.includes('\u0000');
const text = (max: number) =>
  z
    .string({ error: 'is required (a string)' })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(noNul, 'must not contain NUL (U+0000)');

export const goalInputSchema = z
  .object({
    name: text(200),
    kind: z.enum(GOAL_KINDS as unknown as [GoalKind, ...GoalKind[]], {
      error: `must be one of ${GOAL_KINDS.join(', ')}`,
    }),
    match: text(1000),
  })
  .strict()
  .superRefine((g, ctx) => {
    if (g.kind === 'pageview' && !g.match.startsWith('/')) {
      ctx.addIssue({
        code: 'custom',
        path: ['match'],
        message:
          "a pageview goal's match is a URL path pattern starting with '/' ('*' matches any characters), e.g. /checkout/*",
      });
    }
  });
export type GoalInput = z.infer<typeof goalInputSchema>;

/** "30m", "24h", "7d": a funnel window of minutes, hours or days. */
export function parseWindow(value: string): number | null {
  const m = /^([1-9]\d{0,5})([mhd])$/.exec(value);
  if (m === null) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return ms <= MAX_FUNNEL_WINDOW_MS ? ms : null;
}

/** A window in the largest unit that divides it: 604800000 -> "7d". */
export function formatWindow(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY}d`;
  return ms % UNIT_MS.h === 0 ? `${ms / UNIT_MS.h}h` : `${ms / UNIT_MS.m}m`;
}

export const funnelInputSchema = z
  .object({
    name: text(200),
    steps: z
      .array(
        z.string({ error: 'must be a goal id (a string)' }).min(1, 'must be a goal id').max(64, 'must be a goal id'),
        { error: 'is required (an array of goal ids, in order)' },
      )
      .min(2, 'a funnel needs at least 2 steps')
      .max(MAX_FUNNEL_STEPS, `a funnel has at most ${MAX_FUNNEL_STEPS} steps`),
    window: z
      .string({ error: 'is required, e.g. "30m", "24h" or "7d"' })
      .refine(
        (w) => parseWindow(w) !== null,
        'must be minutes, hours or days like "30m", "24h" or "7d", at most 90 days',
      )
      .default('7d'),
  })
  .strict();
export type FunnelInput = z.infer<typeof funnelInputSchema>;

/** The first problem as "field: message", as the rest of the API reports bad input. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const path =
    issue?.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '') ?? '';
  if (issue?.code === 'unrecognized_keys')
    return `${path === '' ? 'body' : path}: unknown field(s) ${issue.keys.join(', ')}`;
  return `${path === '' ? 'body' : path}: ${issue?.message ?? 'invalid'}`;
}

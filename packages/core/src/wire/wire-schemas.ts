// Wire format between the SDK and the collector: one batch request, its items, and the reply.
import { z } from 'zod';
import { WIRE_LIMITS as L } from './limits.js';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID');

/** JSON properties with bounded size, depth and key count; `__proto__` is just a key. */
export const propertiesSchema = z.record(z.string().max(L.maxKeyLength), z.unknown()).superRefine((value, ctx) => {
  let keys = 0;
  const walk = (node: unknown, depth: number, path: string): void => {
    if (typeof node === 'string' && node.length > L.maxStringLength) {
      ctx.addIssue({ code: 'custom', message: `string longer than ${L.maxStringLength} characters at ${path}` });
    } else if (typeof node === 'number' && !Number.isFinite(node)) {
      ctx.addIssue({ code: 'custom', message: `non-finite number at ${path}` });
    } else if (node !== null && typeof node === 'object') {
      if (depth > L.maxDepth) {
        ctx.addIssue({ code: 'custom', message: `nesting deeper than ${L.maxDepth} at ${path}` });
        return;
      }
      for (const [k, v] of Object.entries(node)) {
        keys += 1;
        if (k.length > L.maxKeyLength)
          ctx.addIssue({ code: 'custom', message: `key longer than ${L.maxKeyLength} characters at ${path}` });
        walk(v, depth + 1, `${path}.${k}`);
      }
    }
  };
  walk(value, 1, 'properties');
  if (keys > L.maxProperties) ctx.addIssue({ code: 'custom', message: `more than ${L.maxProperties} keys` });
});

export const utmSchema = z
  .object({
    utm_source: z.string(),
    utm_medium: z.string(),
    utm_campaign: z.string(),
    utm_term: z.string(),
    utm_content: z.string(),
    utm_id: z.string(),
  })
  .partial();

/** What the SDK captured from the request the item was recorded in. */
export const requestContextSchema = z.object({
  url: z.string().max(L.maxUrlLength).nullable(),
  referrer: z.string().max(L.maxUrlLength).nullable(),
  user_agent: z.string().max(1024).nullable(),
  /** Raw client IP, for the collector to anonymise before storage. */
  ip: z.string().max(64).nullable(),
  /** Absent or empty: the collector reads the campaign from `url` (campaignOfContext). */
  utm: utmSchema.default({}),
  /** Absent or empty (and `utm` too): the collector reads click ids from `url`. */
  click_ids: z.record(z.string().max(32), z.string().max(500)).default({}),
  /**
   * Why this request began its session, if it did. The item carrying it is its session's landing
   * (landing url, referrer, utm, click ids, hence the channel), whatever order items arrive in.
   */
  session_start: z
    .enum(['new_visitor', 'expired', 'logout', 'campaign', 'referrer'])
    .nullable()
    .describe(
      "Why this request began its session, if it did. The item carrying it is its session's landing " +
        '(landing url, referrer, utm and click ids decide the channel); without one, a pageview before other items, ' +
        'then the earliest timestamp, then the smallest item id. Arrival order never matters.',
    ),
});

const base = {
  id: uuid,
  timestamp: z.iso.datetime({ offset: true }),
  visitor_id: uuid,
  session_id: uuid.nullable(),
  context: requestContextSchema.nullable(),
};

export const pageviewItemSchema = z.object({ type: z.literal('pageview'), ...base });
export const eventItemSchema = z.object({
  type: z.literal('event'),
  ...base,
  name: z.string().min(1).max(L.maxNameLength),
  properties: propertiesSchema,
});
export const conversionItemSchema = z.object({
  type: z.literal('conversion'),
  ...base,
  name: z.string().min(1).max(L.maxNameLength),
  revenue: z
    .number()
    .finite()
    .min(-L.maxRevenue, `must be at least -${L.maxRevenue}`)
    .max(L.maxRevenue, `must be at most ${L.maxRevenue}`)
    .nullable(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like "EUR"')
    .nullable(),
  properties: propertiesSchema,
});
export const identifyItemSchema = z.object({
  type: z.literal('identify'),
  ...base,
  user_id: z.string().min(1).max(256),
  traits: propertiesSchema,
});
export const sessionEndItemSchema = z.object({
  type: z.literal('session_end'),
  ...base,
  /** The session that begins after the logout. */
  next_session_id: uuid,
});

/**
 * A ghost visitor (minted by one of several racing cookieless first navigations of one browser)
 * is the same browser as `visitor_id` (DESIGN.md L10). The collector moves every item of
 * `previous_id` to `visitor_id`, and merges `previous_session_id` into `session_id`, whichever
 * arrives first. Only the SDK's protocol decides an alias: it is never inferred from IP or user agent.
 */
export const aliasItemSchema = z
  .object({
    type: z.literal('alias'),
    ...base,
    /** The ghost visitor whose items join `visitor_id`. */
    previous_id: uuid,
    /** The ghost's session that joins `session_id` (both sessions began as the browser's first). */
    previous_session_id: uuid.nullable(),
  })
  .refine((a) => a.previous_id.toLowerCase() !== a.visitor_id.toLowerCase(), {
    path: ['previous_id'],
    message: 'must differ from visitor_id (a visitor cannot be its own alias)',
  })
  .refine((a) => a.previous_session_id === null || a.session_id !== null, {
    path: ['session_id'],
    message: "must be set when previous_session_id is (the session the ghost's session joins)",
  });

export const itemSchema = z.discriminatedUnion('type', [
  pageviewItemSchema,
  eventItemSchema,
  conversionItemSchema,
  identifyItemSchema,
  sessionEndItemSchema,
  aliasItemSchema,
]);

const counter = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/**
 * Delivery health an SDK instance reports with each batch: counters since the instance started
 * (they only grow). Optional, so SDKs that do not send it still validate.
 */
export const sdkHealthSchema = z.object({
  /** Random per SDK client instance (per process start): the counters are cumulative per instance. */
  instance_id: uuid,
  /** Items acknowledged by the collector. */
  delivered: counter,
  /** HTTP attempts that failed and were retried. */
  retries: counter,
  /** 401/403 answers seen. */
  auth_failures: counter,
  /** Items the SDK gave up on (queue full, rejected, too large, retry budget spent, closed). */
  dropped: counter,
  /** Navigations that got (or kept) a visitor identity. */
  navigations: counter,
  /** Navigations from bot user agents, which get no identity and record nothing. */
  bot_navigations: counter,
});

export const batchRequestSchema = z.object({
  /** Unique per HTTP attempt: the collector echoes it so the SDK can detect crossed replies. */
  batch_id: uuid,
  sent_at: z.iso.datetime({ offset: true }),
  sdk: z.object({ name: z.string().max(64), version: z.string().max(32), health: sdkHealthSchema.optional() }),
  items: z.array(z.unknown()).min(1).max(L.maxItemsPerBatch),
});

export const itemErrorSchema = z.object({
  /** The item's position in the request's items. */
  index: z.number().int().nonnegative(),
  id: z.string().nullable(),
  code: z
    .string()
    .describe(
      'invalid_item, invalid_timestamp, or duplicate_id (another item of the batch has this id and different content)',
    ),
  message: z.string(),
});

export const batchResponseSchema = z.object({
  batch_id: z.string(),
  accepted: z.number().int().nonnegative().describe('items stored now'),
  duplicates: z
    .number()
    .int()
    .nonnegative()
    .describe(
      'items already stored (a retry), or repeated in this batch with identical content: acknowledged again, stored once',
    ),
  errors: z.array(itemErrorSchema).describe('items not stored, one entry each; the others in the batch are stored'),
});

export const errorResponseSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
  batch_id: z.string().optional(),
});

export type RequestContext = z.infer<typeof requestContextSchema>;
export type PageviewItem = z.infer<typeof pageviewItemSchema>;
export type EventItem = z.infer<typeof eventItemSchema>;
export type ConversionItem = z.infer<typeof conversionItemSchema>;
export type IdentifyItem = z.infer<typeof identifyItemSchema>;
export type SessionEndItem = z.infer<typeof sessionEndItemSchema>;
export type AliasItem = z.infer<typeof aliasItemSchema>;
export type Item = z.infer<typeof itemSchema>;
export type SdkHealth = z.infer<typeof sdkHealthSchema>;
export type BatchRequest = Omit<z.infer<typeof batchRequestSchema>, 'items'> & { items: Item[] };
export type ItemError = z.infer<typeof itemErrorSchema>;
export type BatchResponse = z.infer<typeof batchResponseSchema>;
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

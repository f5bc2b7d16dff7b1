// Validates conversion-upload destinations from the API, the dashboard and the CLI: every problem named by its field, in one message.
import { UPLOAD_PLATFORMS, type UploadPlatform } from '@touchline/storage';
import { z } from 'zod';

/** The API versions the default endpoints use; `endpoint_url` overrides them (or points at a stand-in). */
export const GOOGLE_ADS_API_VERSION = 'v22';
export const META_GRAPH_API_VERSION = 'v25.0';
export const MAX_CONVERSION_TYPES = 50;

const noNul = (s: string): boolean => !s.includes('\u0000');
const text = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(noNul, 'must not contain NUL (U+0000)');
/** A token goes into a header or a JSON body as is: printable ASCII, no spaces (a pasted line break would break the request). */
const secret = (max: number) =>
  text(max).refine((v) => /^[\x21-\x7e]+$/.test(v), 'must be printable ASCII without spaces (paste the token alone)');
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https anywhere; plain http only to this machine (a local stand-in), since the URL receives the platform token. */
function endpointProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http(s) URL';
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:')
    return LOOPBACK.has(url.hostname)
      ? null
      : 'must use https (plain http is allowed only to localhost, 127.0.0.1 or [::1])';
  return 'must be an absolute http(s) URL';
}

export const destinationInputSchema = z
  .object({
    name: text(200),
    platform: z.enum(UPLOAD_PLATFORMS as unknown as [UploadPlatform, ...UploadPlatform[]], {
      error: `must be one of ${UPLOAD_PLATFORMS.join(', ')}`,
    }),
    endpoint_url: text(2000)
      .superRefine((v, ctx) => {
        const p = endpointProblem(v);
        if (p !== null) ctx.addIssue({ code: 'custom', message: p });
      })
      .optional(),
    token: secret(4096).optional(),
    developer_token: secret(200).optional(),
    conversion_action: z
      .string({ error: 'must be a string' })
      .trim()
      .regex(
        /^customers\/\d{1,20}\/conversionActions\/\d{1,20}$/,
        'must be a conversion action resource name, customers/<customer id>/conversionActions/<id>',
      )
      .optional(),
    pixel_id: z
      .string({ error: 'must be a string' })
      .trim()
      .regex(/^\d{1,30}$/, 'must be the Meta pixel (dataset) id, digits only')
      .optional(),
    conversion_types: z
      .array(text(200), { error: 'is required: the conversion names to send, e.g. ["purchase"]' })
      .min(1, 'name at least one conversion type')
      .max(MAX_CONVERSION_TYPES, `at most ${MAX_CONVERSION_TYPES} conversion types`),
    send_user_data: z.boolean({ error: 'must be true or false' }).default(false),
    enabled: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .strict()
  .superRefine((d, ctx) => {
    const refuse = (field: string, message: string): void => {
      ctx.addIssue({ code: 'custom', path: [field], message });
    };
    if (d.platform === 'google_ads') {
      if (d.conversion_action === undefined)
        refuse('conversion_action', 'is required for google_ads: customers/<customer id>/conversionActions/<id>');
      if (d.pixel_id !== undefined) refuse('pixel_id', 'is for platform meta, not google_ads');
    } else {
      if (d.pixel_id === undefined && d.endpoint_url === undefined)
        refuse('pixel_id', 'is required for meta (or give endpoint_url)');
      if (d.conversion_action !== undefined) refuse('conversion_action', 'is for platform google_ads, not meta');
      if (d.developer_token !== undefined) refuse('developer_token', 'is for platform google_ads, not meta');
    }
  });
export type DestinationInput = z.infer<typeof destinationInputSchema>;

/** Where a destination sends: its endpoint_url, else the platform's documented endpoint for its customer or pixel. */
export function defaultEndpoint(d: DestinationInput): string {
  if (d.endpoint_url !== undefined) return d.endpoint_url;
  if (d.platform === 'google_ads') {
    const customer = /^customers\/(\d+)\//.exec(d.conversion_action ?? '')?.[1] ?? '';
    return `https://googleads.googleapis.com/${GOOGLE_ADS_API_VERSION}/customers/${customer}:uploadClickConversions`;
  }
  return `https://graph.facebook.com/${META_GRAPH_API_VERSION}/${d.pixel_id ?? ''}/events`;
}

/** Every problem as "field: message", joined: a form with three mistakes hears of all three at once. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '');
      if (issue.code === 'unrecognized_keys')
        return `${path === '' ? 'body' : path}: unknown field(s) ${issue.keys.join(', ')}`;
      return `${path === '' ? 'body' : path}: ${issue.message}`;
    })
    .join('; ');
}

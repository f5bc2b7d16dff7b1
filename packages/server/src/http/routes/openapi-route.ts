// Serves the OpenAPI 3.1 description at /openapi.json, with item schemas generated from the zod wire schemas.
import { batchRequestSchema, batchResponseSchema, errorResponseSchema, itemSchema, WIRE_LIMITS } from '@touchline/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ATTRIBUTION_DIMENSIONS } from '@touchline/storage';
import { MODEL_NAMES } from '@touchline/attribution';

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
const errorRef = { $ref: '#/components/schemas/Error' };
const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [String(c), { description: String(c), content: { 'application/json': { schema: errorRef } } }]),
  );
const ingestResponses = {
  202: {
    description: 'Stored durably (duplicates acknowledged again)',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/BatchResponse' } } },
  },
  ...errors(400, 401, 403, 408, 413, 415, 429, 503),
};
const read = (summary: string, parameters: unknown[], schema: unknown) => ({
  get: {
    summary,
    security: [{ bearer: [] }],
    parameters,
    responses: {
      200: { description: 'OK', content: { 'application/json': { schema } } },
      ...errors(400, 401, 403, 404, 429, 503),
    },
  },
});

const erasure = (summary: string, param: string) => ({
  summary,
  security: [{ bearer: [] }],
  parameters: [{ name: param, in: 'path', required: true, schema: { type: 'string' } }],
  responses: {
    200: {
      description:
        '{erased, audit_id, visitor_ids, user_ids, removed: {visitors, sessions, events, conversions, identities, inbox_items, rollup_sessions, rollup_hours}}',
    },
    ...errors(400, 401, 403, 503),
  },
});

const personExport = (summary: string, param: string) => ({
  summary,
  security: [{ bearer: [] }],
  parameters: [{ name: param, in: 'path', required: true, schema: { type: 'string' } }],
  responses: {
    200: {
      description:
        '{subject, generated_at, visitor_ids, user_ids, visitors, identities, sessions, events, conversions, received_items}',
    },
    ...errors(400, 401, 403, 404, 429, 503),
  },
});

export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Touchline collector API',
      version: '1',
      description: `Limits: ${WIRE_LIMITS.maxItemsPerBatch} items per batch, request body 1 MiB by default, ${WIRE_LIMITS.maxProperties} property keys, depth ${WIRE_LIMITS.maxDepth}, keys ${WIRE_LIMITS.maxKeyLength} characters, strings ${WIRE_LIMITS.maxStringLength} characters, timestamps at most 1 h in the future and 30 days in the past, read on the collector's clock: a batch whose sent_at is more than 1 min (clockToleranceMs) and at most 24 h (maxClockCorrectionMs) off the collector's clock has its items' timestamps corrected by that offset. Ingest is idempotent on (account, item id); every response echoes batch_id. Arrival order never matters: a session's items may come in any batches, from any number of SDK clients (one per app process) and collectors, in any order, retried or not; the stored sessions, channels and attribution are those of in-order delivery. A session's landing is the item that carries context.session_start (else a pageview before other items, then the earliest, then the smallest item id).`,
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Secret key: tl_live_… or tl_test_…' },
      },
      schemas: {
        BatchRequest: {
          ...json(batchRequestSchema),
          properties: {
            ...(json(batchRequestSchema).properties as object),
            items: { type: 'array', items: { $ref: '#/components/schemas/Item' } },
          },
        },
        Item: json(itemSchema),
        BatchResponse: json(batchResponseSchema),
        Error: json(errorResponseSchema),
      },
    },
    paths: {
      '/api/v1/batch': {
        post: {
          summary: 'Ingest a batch of items',
          security: [{ bearer: [] }],
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/BatchRequest' } } } },
          responses: ingestResponses,
        },
      },
      '/api/v1/events': {
        post: { summary: 'Ingest one event (type implied)', security: [{ bearer: [] }], responses: ingestResponses },
      },
      '/api/v1/conversions': {
        post: {
          summary: 'Ingest one conversion (type implied)',
          security: [{ bearer: [] }],
          responses: ingestResponses,
        },
      },
      '/api/v1/identify': {
        post: {
          summary: 'Ingest one identify call (type implied)',
          security: [{ bearer: [] }],
          responses: ingestResponses,
        },
      },
      '/api/v1/stats': read(
        'Totals over a range',
        [
          { name: 'from', in: 'query', schema: { type: 'string' } },
          { name: 'to', in: 'query', schema: { type: 'string' } },
        ],
        {
          type: 'object',
          properties: {
            visitors: { type: 'integer' },
            sessions: { type: 'integer' },
            events: { type: 'integer' },
            conversions: { type: 'integer' },
            revenue: { type: 'number' },
          },
        },
      ),
      '/api/v1/sessions': read(
        "A visitor's sessions",
        [{ name: 'visitor_id', in: 'query', required: true, schema: { type: 'string' } }],
        { type: 'object', properties: { sessions: { type: 'array' } } },
      ),
      '/api/v1/visitors/{id}': {
        ...read(
          'One visitor with sessions, events and user ids',
          [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          { type: 'object' },
        ),
        delete: erasure(
          'Erase this visitor and every device and user id linked to it through identify (admin scope; idempotent)',
          'id',
        ),
      },
      '/api/v1/users/{user_id}': {
        delete: erasure('Erase this user and every device identified as them (admin scope; idempotent)', 'user_id'),
      },
      '/api/v1/visitors/{id}/export': {
        get: personExport(
          'Everything held about this visitor and every device and user id linked to it (admin scope)',
          'id',
        ),
      },
      '/api/v1/users/{user_id}/export': {
        get: personExport(
          'Everything held about this user and every device identified as them (admin scope)',
          'user_id',
        ),
      },
      '/api/v1/attribution': read(
        'Credit under one model, by channel or by another session dimension (group_by; format=csv for CSV)',
        [
          { name: 'model', in: 'query', schema: { type: 'string', enum: [...MODEL_NAMES] } },
          { name: 'group_by', in: 'query', schema: { type: 'string', enum: [...ATTRIBUTION_DIMENSIONS] } },
          { name: 'from', in: 'query', schema: { type: 'string' } },
          { name: 'to', in: 'query', schema: { type: 'string' } },
          { name: 'lookback_days', in: 'query', schema: { type: 'integer', enum: [7, 30, 60, 90] } },
          { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv'] } },
        ],
        {
          type: 'object',
          properties: {
            model: { type: 'string' },
            group_by: { type: 'string' },
            channels: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  channel: { type: 'string' },
                  conversions: { type: 'number' },
                  revenue: { type: 'number' },
                },
              },
            },
            groups: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  group: { type: ['string', 'null'] },
                  conversions: { type: 'number' },
                  revenue: { type: 'number' },
                },
              },
            },
          },
        },
      ),
      '/api/v1/spend': {
        post: {
          summary:
            'Import daily ad spend (text/csv with header date,channel,campaign,amount,currency, or JSON {rows:[...]}); all rows or none; same date+channel+campaign replaces',
          security: [{ bearer: [] }],
          responses: { 200: { description: '{written, currency}' }, ...errors(400, 401, 403) },
        },
      },
      '/api/v1/conversions/{id}/journey': read(
        "One conversion's cross-device touchpoints and per-model credit (format=csv for CSV)",
        [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'lookback_days', in: 'query', schema: { type: 'integer', enum: [7, 30, 60, 90] } },
          { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv'] } },
        ],
        { type: 'object' },
      ),
      '/api/v1/attribution/compare': read(
        "Credit under all eight models side by side, per channel or group_by value, with each model's one-line explanation (format=csv for CSV)",
        [
          { name: 'group_by', in: 'query', schema: { type: 'string', enum: [...ATTRIBUTION_DIMENSIONS] } },
          { name: 'from', in: 'query', schema: { type: 'string' } },
          { name: 'to', in: 'query', schema: { type: 'string' } },
          { name: 'lookback_days', in: 'query', schema: { type: 'integer', enum: [7, 30, 60, 90] } },
          { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv'] } },
        ],
        { type: 'object', properties: { models: { type: 'array' }, groups: { type: 'array' } } },
      ),
      '/api/v1/goals': {
        get: {
          summary: 'List goals',
          security: [{ bearer: [] }],
          responses: { 200: { description: '{goals}' }, ...errors(401, 403) },
        },
        post: {
          summary: 'Create a goal {name, kind: pageview|event|conversion, match}',
          security: [{ bearer: [] }],
          responses: { 201: { description: '{goal}' }, ...errors(400, 401, 403, 409) },
        },
      },
      '/api/v1/goals/{id}': {
        get: {
          summary: 'One goal',
          security: [{ bearer: [] }],
          responses: { 200: { description: '{goal}' }, ...errors(401, 404) },
        },
        put: {
          summary: 'Replace a goal',
          security: [{ bearer: [] }],
          responses: { 200: { description: '{goal}' }, ...errors(400, 401, 403, 404) },
        },
        delete: {
          summary: 'Delete a goal no funnel uses',
          security: [{ bearer: [] }],
          responses: { 204: { description: 'deleted' }, ...errors(401, 403, 404, 409) },
        },
      },
      '/api/v1/funnels': {
        get: {
          summary: 'List funnels',
          security: [{ bearer: [] }],
          responses: { 200: { description: '{funnels}' }, ...errors(401, 403) },
        },
        post: {
          summary: 'Create a funnel {name, steps: [goal ids], window: "7d"}',
          security: [{ bearer: [] }],
          responses: { 201: { description: '{funnel}' }, ...errors(400, 401, 403, 409) },
        },
      },
      '/api/v1/funnels/{id}': {
        get: {
          summary: 'One funnel',
          security: [{ bearer: [] }],
          responses: { 200: { description: '{funnel}' }, ...errors(401, 404) },
        },
        put: {
          summary: 'Replace a funnel',
          security: [{ bearer: [] }],
          responses: { 200: { description: '{funnel}' }, ...errors(400, 401, 403, 404) },
        },
        delete: {
          summary: 'Delete a funnel',
          security: [{ bearer: [] }],
          responses: { 204: { description: 'deleted' }, ...errors(401, 403, 404) },
        },
      },
      '/api/v1/funnels/{id}/report': read(
        'Per-step counts and conversion rates within the funnel window, by entry channel (format=csv for CSV)',
        [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'from', in: 'query', schema: { type: 'string' } },
          { name: 'to', in: 'query', schema: { type: 'string' } },
          { name: 'unit', in: 'query', schema: { type: 'string', enum: ['visitor', 'session'] } },
          { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv'] } },
        ],
        { type: 'object', properties: { steps: { type: 'array' }, channels: { type: 'array' } } },
      ),
      '/api/v1/conversion-uploads': {
        get: {
          summary: 'List conversion upload destinations (tokens masked) with their delivery counts',
          security: [{ bearer: [] }],
          responses: { 200: { description: '{destinations}' }, ...errors(401, 403) },
        },
        post: {
          summary:
            'Create a destination {name, platform: google_ads|meta, token, conversion_types, developer_token+conversion_action (google_ads) | pixel_id (meta), endpoint_url?, send_user_data?, enabled?}; nothing is sent until enabled',
          security: [{ bearer: [] }],
          responses: { 201: { description: '{destination}' }, ...errors(400, 401, 403, 409) },
        },
      },
      '/api/v1/conversion-uploads/{id}': {
        get: {
          summary: 'One destination',
          security: [{ bearer: [] }],
          responses: { 200: { description: '{destination}' }, ...errors(401, 404) },
        },
        put: {
          summary: 'Replace a destination (token and developer_token may be left out to keep the stored ones)',
          security: [{ bearer: [] }],
          responses: { 200: { description: '{destination}' }, ...errors(400, 401, 403, 404) },
        },
        delete: {
          summary: 'Delete a destination and its delivery log',
          security: [{ bearer: [] }],
          responses: { 204: { description: 'deleted' }, ...errors(401, 403, 404) },
        },
      },
      '/api/v1/conversion-uploads/{id}/deliveries': read(
        "The destination's delivery log, newest change first: status, attempts, last error, response code, payload",
        [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          {
            name: 'status',
            in: 'query',
            schema: { type: 'string', enum: ['pending', 'delivered', 'failed', 'skipped'] },
          },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
        ],
        { type: 'object', properties: { deliveries: { type: 'array' } } },
      ),
      '/api/v1/conversion-uploads/{id}/export': read(
        "The destination's conversions in a window as a file: Google's offline conversion import CSV, or Meta's Conversions API JSON body",
        [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'from', in: 'query', schema: { type: 'string' } },
          { name: 'to', in: 'query', schema: { type: 'string' } },
          { name: 'conversion_name', in: 'query', schema: { type: 'string' } },
        ],
        { type: 'string' },
      ),
      '/api/v1/integrity': read(
        "The account's latest integrity report (the monitor's, or evaluated now if it has none yet)",
        [],
        {
          type: 'object',
          properties: {
            state: { type: 'string', enum: ['ok', 'warn', 'alert'] },
            checked_at: { type: 'string', format: 'date-time' },
            source: { type: 'string', enum: ['monitor', 'on_demand'] },
            checks: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  id: { type: 'string' },
                  title: { type: 'string' },
                  state: { type: 'string', enum: ['ok', 'warn', 'alert'] },
                  value: { type: ['number', 'null'] },
                  unit: { type: 'string' },
                  window: { type: 'string' },
                  thresholds: { type: 'object' },
                  note: { type: ['string', 'null'] },
                  explanation: { type: 'string' },
                },
              },
            },
          },
        },
      ),
      '/healthz': { get: { summary: 'Alive', responses: { 200: { description: 'alive' } } } },
      '/readyz': {
        get: {
          summary: 'Ready: migrations done, keys loaded',
          responses: { 200: { description: 'ready' }, ...errors(503) },
        },
      },
      '/metrics': {
        get: { summary: 'Prometheus metrics', responses: { 200: { description: 'text exposition format' } } },
      },
    },
  };
}

export function registerOpenApiRoute(app: FastifyInstance): void {
  const doc = openApiDocument();
  app.get('/openapi.json', async () => doc);
}

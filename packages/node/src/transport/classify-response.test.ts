// Reading one HTTP answer: acknowledged only when it is a batch response echoing this attempt's batch id.
import { describe, expect, it } from 'vitest';
import { acknowledged, failed, type AttemptOutcome } from './attempt-outcome.js';
import { classifyResponse } from './classify-response.js';

const ID = '01900000-0000-7000-8000-000000000001';
const OTHER = '01900000-0000-7000-8000-000000000002';
const h = new Headers();
const ok = { batch_id: ID, accepted: 2, duplicates: 1, errors: [] };
const text = (v: unknown): string => JSON.stringify(v);

describe('classifyResponse', () => {
  it.each<[string, number, string, AttemptOutcome]>([
    ['202 echoing our id', 202, text(ok), acknowledged(ID, 202, ok)],
    ['200 echoing our id', 200, text(ok), acknowledged(ID, 200, ok)],
    [
      '207 with per-item errors',
      207,
      text({ ...ok, errors: [{ index: 0, id: null, code: 'invalid', message: 'bad name' }] }),
      acknowledged(ID, 207, { ...ok, errors: [{ index: 0, id: null, code: 'invalid', message: 'bad name' }] }),
    ],
    [
      '202 echoing another id (crossed reply, L4)',
      202,
      text({ ...ok, batch_id: OTHER }),
      failed(ID, 202, h, 'batch_id_mismatch', `HTTP 202 answered batch ${OTHER}, expected ${ID}`),
    ],
    [
      '200 with HTML',
      200,
      '<html>proxy</html>',
      failed(ID, 200, h, 'bad_response', 'HTTP 200 with a body that is not a batch response: <html>proxy</html>'),
    ],
    [
      '204 with no body',
      204,
      '',
      failed(ID, 204, h, 'bad_response', 'HTTP 204 with a body that is not a batch response: '),
    ],
    [
      '400 with the collector error',
      400,
      text({ error: { code: 'bad_request', message: 'items: required' }, batch_id: ID }),
      failed(ID, 400, h, null, 'HTTP 400 bad_request: items: required'),
    ],
    [
      '400 naming another batch is crossed, not a rejection',
      400,
      text({ error: { code: 'bad_request', message: 'x' }, batch_id: OTHER }),
      failed(ID, 400, h, 'batch_id_mismatch', `HTTP 400 answered batch ${OTHER}, expected ${ID}`),
    ],
    ['502 from a proxy, plain text', 502, 'Bad Gateway', failed(ID, 502, h, null, 'HTTP 502: Bad Gateway')],
    ['503 with an empty body', 503, '', failed(ID, 503, h, null, 'HTTP 503')],
  ])('%s', (_name, status, body, expected) => {
    expect(classifyResponse(ID, status, h, body)).toEqual(expected);
  });
});

// Tenant isolation over HTTP on every /api route: account B's key never reads or changes account A's data, and a new route must join this test.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  conversionItem,
  getJson,
  pageview,
  postBatch,
  startCollector,
  type Fixture,
} from './test-support/collector-fixture.js';

/** Every route the collector serves, read from fastify's route tree ("GET /api/v1/stats", ...; HEAD left out). */
function listRoutes(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(\S+)(?: \(([^)]+)\))?$/.exec(line);
    if (m === null) continue;
    const depth = (m[1] ?? '').length / 4;
    const path = (stack[depth - 1] ?? '') + (m[2] ?? '');
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (m[3] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '' && s !== 'HEAD'))
      routes.push(`${method} ${path}`);
  }
  return routes.sort();
}

let fx: Fixture;
let a: string;
let b: string;
const A = {
  visitor: randomUUID(),
  session: randomUUID(),
  conversion: '',
  user: `user-a-${randomUUID()}`,
  goal: '',
  funnel: '',
  upload: '',
};
const B = { visitor: randomUUID(), session: randomUUID(), conversion: '' };
/** What account A's data looks like from outside: none of it may ever appear in an answer to B. */
const aSecrets = (): string[] => [
  A.visitor,
  A.session,
  A.conversion,
  A.user,
  'paid_search',
  'utm_source=google',
  A.goal,
  A.funnel,
  'a-secret-goal',
  A.upload,
  'a-secret-upload',
  'a-secret-token',
];

async function post(path: string, key: string, body: unknown) {
  const res = await fetch(`${fx.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

async function getText(path: string, key: string) {
  const res = await fetch(`${fx.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  fx = await startCollector();
  a = await fx.keyFor('tenant-a');
  b = await fx.keyFor('tenant-b');
  const now = Date.now();
  const conv = conversionItem(A.visitor, A.session, now, 100);
  A.conversion = conv.id;
  expect(
    (
      await postBatch(fx.url, a, [
        pageview(A.visitor, A.session, now - 1000),
        conv,
        {
          type: 'identify',
          id: randomUUID(),
          timestamp: new Date(now).toISOString(),
          visitor_id: A.visitor,
          session_id: A.session,
          context: null,
          user_id: A.user,
          traits: {},
        },
      ])
    ).status,
  ).toBe(202);
  const bConv = conversionItem(B.visitor, B.session, now, 7);
  B.conversion = bConv.id;
  const emailLanding = pageview(B.visitor, B.session, now - 1000, {
    context: {
      url: 'https://b.example/?utm_source=newsletter&utm_medium=email',
      referrer: null,
      user_agent: 'UA',
      ip: '198.51.100.9',
      utm: { utm_source: 'newsletter', utm_medium: 'email' },
      click_ids: {},
      session_start: 'new_visitor',
    },
  });
  expect((await postBatch(fx.url, b, [emailLanding, bConv])).status).toBe(202);
  await fx.collector.worker.drain();
  A.goal = (
    JSON.parse((await post('/api/v1/goals', a, { name: 'a-secret-goal', kind: 'pageview', match: '/*' })).text) as {
      goal: { id: string };
    }
  ).goal.id;
  const second = (
    JSON.parse(
      (await post('/api/v1/goals', a, { name: 'a-secret-goal 2', kind: 'conversion', match: 'purchase' })).text,
    ) as { goal: { id: string } }
  ).goal.id;
  A.funnel = (
    JSON.parse((await post('/api/v1/funnels', a, { name: 'a-secret-goal funnel', steps: [A.goal, second] })).text) as {
      funnel: { id: string };
    }
  ).funnel.id;
  A.upload = (
    JSON.parse((await post('/api/v1/conversion-uploads', a, metaDestination('a-secret-upload'))).text) as {
      destination: { id: string };
    }
  ).destination.id;
});
/** A disabled Meta destination (pixel 1234567): nothing is ever sent in this test. */
const metaDestination = (name: string) => ({
  name,
  platform: 'meta',
  pixel_id: '1234567',
  token: 'a-secret-token',
  conversion_types: ['purchase'],
});
afterAll(async () => {
  await fx.close();
});

describe("tenant isolation on every API route (B's key against A's data)", () => {
  const reads: Array<[route: string, path: () => string, expectStatus: number]> = [
    ['GET /api/v1/stats', () => '/api/v1/stats?from=0', 200],
    ['GET /api/v1/sessions', () => `/api/v1/sessions?visitor_id=${A.visitor}`, 200],
    ['GET /api/v1/visitors/:id', () => `/api/v1/visitors/${A.visitor}`, 404],
    ['GET /api/v1/attribution', () => '/api/v1/attribution?model=linear&from=0', 200],
    ['GET /api/v1/attribution', () => '/api/v1/attribution?model=markov&from=0&format=csv', 200],
    ['GET /api/v1/conversions/:id/journey', () => `/api/v1/conversions/${A.conversion}/journey`, 404],
    ['GET /api/v1/conversions/:id/journey', () => `/api/v1/conversions/${A.conversion}/journey?format=csv`, 404],
    ['GET /api/v1/integrity', () => '/api/v1/integrity', 200],
    ['GET /api/v1/attribution/compare', () => '/api/v1/attribution/compare?from=0', 200],
    ['GET /api/v1/attribution/compare', () => '/api/v1/attribution/compare?from=0&format=csv', 200],
    ['GET /api/v1/goals', () => '/api/v1/goals', 200],
    ['GET /api/v1/goals/:id', () => `/api/v1/goals/${A.goal}`, 404],
    ['GET /api/v1/funnels', () => '/api/v1/funnels', 200],
    ['GET /api/v1/funnels/:id', () => `/api/v1/funnels/${A.funnel}`, 404],
    ['GET /api/v1/funnels/:id/report', () => `/api/v1/funnels/${A.funnel}/report?from=0`, 404],
    ['GET /api/v1/funnels/:id/report', () => `/api/v1/funnels/${A.funnel}/report?from=0&format=csv`, 404],
    ['GET /api/v1/conversion-uploads', () => '/api/v1/conversion-uploads', 200],
    ['GET /api/v1/conversion-uploads/:id', () => `/api/v1/conversion-uploads/${A.upload}`, 404],
    ['GET /api/v1/conversion-uploads/:id/deliveries', () => `/api/v1/conversion-uploads/${A.upload}/deliveries`, 404],
    ['GET /api/v1/conversion-uploads/:id/export', () => `/api/v1/conversion-uploads/${A.upload}/export?from=0`, 404],
  ];
  // Definition changes by B aimed at A's goal and funnel: each answered as if they did not exist.
  const definitionWrites: Array<
    [route: string, method: string, path: () => string, body: () => unknown, expectStatus: number]
  > = [
    ['POST /api/v1/goals', 'POST', () => '/api/v1/goals', () => ({ name: 'b goal', kind: 'event', match: 'x' }), 201],
    [
      'PUT /api/v1/goals/:id',
      'PUT',
      () => `/api/v1/goals/${A.goal}`,
      () => ({ name: 'b renamed', kind: 'event', match: 'x' }),
      404,
    ],
    ['DELETE /api/v1/goals/:id', 'DELETE', () => `/api/v1/goals/${A.goal}`, () => undefined, 404],
    [
      'POST /api/v1/funnels',
      'POST',
      () => '/api/v1/funnels',
      () => ({ name: 'b funnel', steps: [A.goal, A.goal] }),
      400,
    ],
    [
      'PUT /api/v1/funnels/:id',
      'PUT',
      () => `/api/v1/funnels/${A.funnel}`,
      () => ({ name: 'b funnel', steps: [A.goal, A.goal] }),
      404,
    ],
    ['DELETE /api/v1/funnels/:id', 'DELETE', () => `/api/v1/funnels/${A.funnel}`, () => undefined, 404],
    [
      'POST /api/v1/conversion-uploads',
      'POST',
      () => '/api/v1/conversion-uploads',
      () => metaDestination('b upload'),
      201,
    ],
    [
      'PUT /api/v1/conversion-uploads/:id',
      'PUT',
      () => `/api/v1/conversion-uploads/${A.upload}`,
      () => ({ ...metaDestination('b renamed'), enabled: true }),
      404,
    ],
    [
      'DELETE /api/v1/conversion-uploads/:id',
      'DELETE',
      () => `/api/v1/conversion-uploads/${A.upload}`,
      () => undefined,
      404,
    ],
  ];
  const writes: Array<[route: string, path: string, body: () => unknown]> = [
    // Same item ids as A's: B's copies are B's rows; A's are neither replaced nor reported as B's duplicates.
    [
      'POST /api/v1/batch',
      '/api/v1/batch',
      () => ({
        batch_id: randomUUID(),
        sent_at: new Date().toISOString(),
        sdk: { name: 't', version: '0' },
        items: [conversionItem(A.visitor, A.session, Date.now(), 999_999)],
      }),
    ],
    [
      'POST /api/v1/events',
      '/api/v1/events',
      () => ({
        id: randomUUID(),
        timestamp: new Date().toISOString(),
        visitor_id: A.visitor,
        session_id: A.session,
        context: null,
        name: 'b-wrote-this',
        properties: {},
      }),
    ],
    [
      'POST /api/v1/conversions',
      '/api/v1/conversions',
      () => ({
        id: A.conversion,
        timestamp: new Date().toISOString(),
        visitor_id: A.visitor,
        session_id: A.session,
        context: null,
        name: 'purchase',
        revenue: 1,
        currency: 'EUR',
        properties: {},
      }),
    ],
    [
      'POST /api/v1/identify',
      '/api/v1/identify',
      () => ({
        id: randomUUID(),
        timestamp: new Date().toISOString(),
        visitor_id: A.visitor,
        session_id: null,
        context: null,
        user_id: 'b-user',
        traits: {},
      }),
    ],
  ];

  it('covers every /api route the collector serves (a new route fails here until it is added above)', async () => {
    const served = listRoutes(fx.collector.app.printRoutes({ commonPrefix: false })).filter((r) =>
      r.includes(' /api/'),
    );
    const covered = [
      ...new Set([
        ...reads.map((r) => r[0]),
        ...writes.map((w) => w[0]),
        ...definitionWrites.map((w) => w[0]),
        'POST /api/v1/spend',
        'DELETE /api/v1/visitors/:id',
        'DELETE /api/v1/users/:user_id',
        'GET /api/v1/visitors/:id/export',
        'GET /api/v1/users/:user_id/export',
      ]),
    ].sort();
    expect(served).toEqual(covered);
  });

  it("B's reads return only B's data, or 404 for A's ids, as JSON and CSV", async () => {
    const before = await getJson(fx.url, a, '/api/v1/stats?from=0');
    for (const [route, path, status] of reads) {
      const res = await getText(path(), b);
      expect(res.status, `${route} ${path()}`).toBe(status);
      // An id the caller sent may be echoed back ("no visitor X in this account"); anything else of A's may not.
      for (const secret of aSecrets().filter((s) => !path().includes(s)))
        expect(res.text, `${route} ${path()} leaked ${secret}`).not.toContain(secret);
    }
    expect((await getJson(fx.url, b, '/api/v1/stats?from=0')).body).toMatchObject({
      visitors: 1,
      conversions: 1,
      revenue: 7,
    });
    expect((await getJson(fx.url, b, '/api/v1/attribution?model=linear&from=0')).body).toMatchObject({
      conversions: 1,
      revenue: 7,
      channels: [{ channel: 'email', conversions: 1, revenue: 7 }],
    });
    // And A's own key sees A's data through the same routes (the 404s above are isolation, not absence).
    expect((await getText(`/api/v1/conversions/${A.conversion}/journey`, a)).status).toBe(200);
    expect((await getText(`/api/v1/visitors/${A.visitor}`, a)).status).toBe(200);
    expect(before.body).toMatchObject({ visitors: 1, conversions: 1, revenue: 100 });
  });

  it("B's writes, even with A's visitor, session and item ids, land in B and leave A unchanged", async () => {
    const aBefore = await getText(`/api/v1/visitors/${A.visitor}`, a);
    const statsBefore = await getJson(fx.url, a, '/api/v1/stats?from=0');
    for (const [route, path, body] of writes) {
      const res = await post(path, b, body());
      expect(res.status, `${route}: ${res.text}`).toBe(202);
      expect((JSON.parse(res.text) as { duplicates: number }).duplicates, route).toBe(0);
    }
    await fx.collector.worker.drain();
    expect(await getText(`/api/v1/visitors/${A.visitor}`, a)).toEqual(aBefore);
    const counts = (body: Record<string, unknown>) => ({ ...body, to: 'now' }); // `to` defaults to the moment of the query
    expect(counts((await getJson(fx.url, a, '/api/v1/stats?from=0')).body)).toEqual(counts(statsBefore.body));
    const bView = await getJson(fx.url, b, `/api/v1/visitors/${A.visitor}`); // B now has its own visitor with that id
    expect(bView.status).toBe(200);
    expect(bView.body).toMatchObject({ user_ids: ['b-user'] });
    expect(JSON.stringify(bView.body)).not.toContain(A.user);
  });

  it("B cannot see, change or delete A's goals, funnels and upload destinations, nor build a funnel of A's goals", async () => {
    const aBefore = [
      await getText('/api/v1/goals', a),
      await getText(`/api/v1/funnels/${A.funnel}`, a),
      await getText(`/api/v1/conversion-uploads/${A.upload}`, a),
    ];
    for (const [route, method, path, body, status] of definitionWrites) {
      const sent = body();
      const res = await fetch(`${fx.url}${path()}`, {
        method,
        headers: {
          authorization: `Bearer ${b}`,
          ...(sent === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: sent === undefined ? undefined : JSON.stringify(sent),
      });
      expect(res.status, route).toBe(status);
    }
    expect([
      await getText('/api/v1/goals', a),
      await getText(`/api/v1/funnels/${A.funnel}`, a),
      await getText(`/api/v1/conversion-uploads/${A.upload}`, a),
    ]).toEqual(aBefore);
    expect((await getText(`/api/v1/funnels/${A.funnel}/report?from=0`, a)).status).toBe(200);
  });

  it("B's erasures and exports touch only B's data, even with A's visitor and user ids", async () => {
    const bAdmin = await fx.keyFor('tenant-b', ['read', 'admin']);
    const aBefore = await getText(`/api/v1/visitors/${A.visitor}`, a);
    const statsBefore = await getJson(fx.url, a, '/api/v1/stats?from=0');
    const erase = async (path: string) => {
      const res = await fetch(`${fx.url}${path}`, { method: 'DELETE', headers: { authorization: `Bearer ${bAdmin}` } });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    // B wrote items under A's visitor, session and conversion ids above: those ids are B's own data now.
    const bWrote = new Set([A.visitor, A.session, A.conversion]);
    for (const path of [`/api/v1/users/${A.user}/export`, `/api/v1/visitors/${A.visitor}/export`]) {
      const res = await getText(path, bAdmin);
      expect(res.status, path).toBe(200);
      for (const secret of aSecrets().filter((x) => !path.includes(x) && !bWrote.has(x)))
        expect(res.text, `${path} leaked ${secret}`).not.toContain(secret);
    }
    expect(await erase(`/api/v1/users/${A.user}`)).toMatchObject({
      status: 200,
      body: { visitor_ids: 0, removed: { visitors: 0, identities: 0 } },
    });
    // B's own visitor under A's id (written by the test above) goes; A's stays as it was.
    expect(await erase(`/api/v1/visitors/${A.visitor}`)).toMatchObject({
      status: 200,
      body: { removed: { visitors: 1 } },
    });
    await fx.collector.worker.drain();
    expect(await getText(`/api/v1/visitors/${A.visitor}`, a)).toEqual(aBefore);
    const counts = (body: Record<string, unknown>) => ({ ...body, to: 'now' });
    expect(counts((await getJson(fx.url, a, '/api/v1/stats?from=0')).body)).toEqual(counts(statsBefore.body));
    expect((await getText(`/api/v1/visitors/${A.visitor}`, bAdmin)).status).toBe(404);
  });

  it("B's ad spend is B's: A's attribution carries none of it", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const res = await fetch(`${fx.url}/api/v1/spend`, {
      method: 'POST',
      headers: { authorization: `Bearer ${b}`, 'content-type': 'text/csv' },
      body: `date,channel,amount,currency\n${today},email,5,EUR\n`,
    });
    expect(res.status).toBe(200);
    expect((await getJson(fx.url, b, '/api/v1/attribution?model=linear&from=0')).body.spend).toEqual({
      currency: 'EUR',
      total: 5,
    });
    expect((await getJson(fx.url, a, '/api/v1/attribution?model=linear&from=0')).body.spend).toBeUndefined();
  });
});

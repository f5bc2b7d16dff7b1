// The dashboard's HTTP surface on a real socket: setup page, sign-in, throttling, cookies, CSRF and Origin checks, data scoping, CSV.
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password-hash.js';
import { sendAndSettle, startDashboard, visitorItems, type DashboardFixture } from '../test-support/seed-traffic.js';

const PASSWORD = 'correct horse battery';
let fixture: DashboardFixture | null = null;
afterEach(async () => {
  await fixture?.close();
  fixture = null;
});

const post = (f: DashboardFixture, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${f.url}/dashboard/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: f.url, ...headers },
    body: JSON.stringify(body),
  });
const get = (f: DashboardFixture, path: string, cookie = '') =>
  fetch(`${f.url}/dashboard/api/${path}`, { headers: cookie ? { cookie } : {} });

async function signIn(f: DashboardFixture): Promise<{ cookie: string; csrf: string }> {
  const res = await post(f, 'login', { password: PASSWORD });
  expect(res.status).toBe(200);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, csrf: ((await res.json()) as { csrf_token: string }).csrf_token };
}

describe('without an admin password', () => {
  it('says how to set one, and nobody can sign in or read data', async () => {
    fixture = await startDashboard();
    const page = await fetch(`${fixture.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const uplot = await fetch(`${fixture.url}/dashboard/assets/uplot.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(uplot.headers.get('content-encoding')).toBe('gzip');
    expect(await uplot.text()).toContain('export { uPlot as default }');
    expect((await fetch(`${fixture.url}/dashboard/assets/..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${fixture.url}/dashboard/assets/app/..%2f..%2fpackage.json`)).status).toBe(404);
    expect(await (await get(fixture, 'session')).json()).toMatchObject({
      state: 'setup',
      help: expect.stringContaining('touchline admin set-password'),
    });
    const login = await post(fixture, 'login', { password: 'anything at all' });
    expect(login.status).toBe(409);
    expect((await get(fixture, 'accounts')).status).toBe(401);
  });

  it('accepts the hash stored by `touchline admin set-password` without a restart', async () => {
    fixture = await startDashboard();
    await fixture.storage.setAdminSetting('admin_password_hash', await hashPassword(PASSWORD), Date.now());
    expect(await (await get(fixture, 'session')).json()).toEqual({ state: 'signed_out' });
    await signIn(fixture);
  });
});

describe('signing in', () => {
  it('sets an HttpOnly SameSite=Strict session cookie and refuses wrong passwords', async () => {
    fixture = await startDashboard({ adminPassword: PASSWORD });
    const wrong = await post(fixture, 'login', { password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'wrong_password' } });
    const res = await post(fixture, 'login', { password: PASSWORD });
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^tl_dash=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const cookie = setCookie.split(';')[0] ?? '';
    expect(await (await get(fixture, 'session', cookie)).json()).toMatchObject({
      state: 'signed_in',
      csrf_token: expect.any(String),
    });
    expect((await get(fixture, 'accounts', cookie)).status).toBe(200);
    expect((await get(fixture, 'accounts', 'tl_dash=forged-token')).status).toBe(401);
  });

  it('marks the cookie Secure when told to', async () => {
    fixture = await startDashboard({ adminPassword: PASSWORD, secureCookies: 'always' });
    const res = await post(fixture, 'login', { password: PASSWORD });
    expect(res.headers.get('set-cookie')).toMatch(/; Secure$/);
  });

  it('refuses a client after 5 failed attempts with 429 and Retry-After, even with the right password', async () => {
    fixture = await startDashboard({ adminPassword: PASSWORD });
    for (let i = 0; i < 5; i++)
      expect((await post(fixture, 'login', { password: `wrong ${i} guess` })).status).toBe(401);
    const refused = await post(fixture, 'login', { password: PASSWORD });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('counts parallel attempts before checking them: 60 at once get 5 password checks and 55 refusals', async () => {
    fixture = await startDashboard({ adminPassword: PASSWORD });
    const f = fixture;
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => post(f, 'login', { password: `wrong ${i} guess` })),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(55);
  });

  it('a parallel burst of 30 wrong guesses with the right password last does not sign in', async () => {
    fixture = await startDashboard({ adminPassword: PASSWORD });
    const f = fixture;
    const guesses = Array.from({ length: 29 }, (_, i) => post(f, 'login', { password: `wrong ${i} guess` }));
    const right = post(f, 'login', { password: PASSWORD });
    const answers = await Promise.all([...guesses, right]);
    expect(answers[29]!.status).toBe(429);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(0);
  });

  it('rejects sign-in from another origin, without an Origin, or as a form post', async () => {
    fixture = await startDashboard({ adminPassword: PASSWORD });
    expect(
      await (await post(fixture, 'login', { password: PASSWORD }, { origin: 'https://evil.example' })).json(),
    ).toMatchObject({ error: { code: 'bad_origin', message: expect.stringContaining('https://evil.example') } });
    const noOrigin = await fetch(`${fixture.url}/dashboard/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: PASSWORD }),
    });
    expect(noOrigin.status).toBe(403);
    const form = await fetch(`${fixture.url}/dashboard/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: fixture.url },
      body: 'password=x',
    });
    expect(form.status).toBe(415);
    expect((await post(fixture, 'login', {})).status).toBe(400);
  });
});

describe('signing out', () => {
  it("needs the session's CSRF token, then ends the session server-side", async () => {
    fixture = await startDashboard({ adminPassword: PASSWORD });
    const { cookie, csrf } = await signIn(fixture);
    const noToken = await post(fixture, 'logout', {}, { cookie });
    expect(await noToken.json()).toMatchObject({ error: { code: 'bad_csrf_token' } });
    expect((await post(fixture, 'logout', {}, { cookie, 'x-csrf-token': `${csrf}x` })).status).toBe(403);
    expect((await post(fixture, 'logout', {}, { cookie, 'x-csrf-token': csrf })).status).toBe(200);
    expect((await get(fixture, 'accounts', cookie)).status).toBe(401);
  });
});

describe('data API', () => {
  it('scopes every answer to the chosen account, names bad parameters, and exports CSV', async () => {
    fixture = await startDashboard({ adminPassword: PASSWORD });
    const shop = await fixture.keyFor('shop');
    const blog = await fixture.keyFor('blog');
    const now = Date.now();
    await sendAndSettle(
      fixture,
      shop.key,
      visitorItems(
        [{ at: now - 3_600_000, url: 'https://shop.example/pricing?utm_source=x', referrer: 'https://news.example/a' }],
        { conversion: { revenue: 50, afterMs: 60_000 } },
      ),
    );
    await sendAndSettle(fixture, blog.key, visitorItems([{ at: now - 7_200_000, url: 'https://blog.example/post' }]));
    const { cookie, csrf } = await signIn(fixture);
    const q = (account: string, extra = '') => `account=${account}&from=${now - 86_400_000}&to=${now}${extra}`;

    const pages = await (await get(fixture, `landing-pages?${q(shop.accountId)}`, cookie)).json();
    expect(pages).toEqual({ rows: [{ landing_page: '/pricing', sessions: 1, visitors: 1 }] });
    expect(await (await get(fixture, `landing-pages?${q(blog.accountId)}`, cookie)).json()).toEqual({
      rows: [{ landing_page: '/post', sessions: 1, visitors: 1 }],
    });
    // utm values from the landing URL, read from the rollups' utm dimensions.
    expect(await (await get(fixture, `sources?${q(shop.accountId)}`, cookie)).json()).toEqual({
      rows: [{ utm_source: 'x', sessions: 1, visitors: 1 }],
    });
    expect(await (await get(fixture, `campaigns?${q(shop.accountId)}`, cookie)).json()).toEqual({ rows: [] });
    expect(await (await get(fixture, `mediums?${q(blog.accountId)}`, cookie)).json()).toEqual({ rows: [] });
    const overview = (await (await get(fixture, `overview?${q(shop.accountId)}`, cookie)).json()) as {
      stats: unknown;
      bucket: string;
      series: unknown[];
    };
    expect(overview.stats).toEqual(await fixture.storage.stats(shop.accountId, now - 86_400_000, now));
    expect(overview.bucket).toBe('hour');
    // Clock-hour buckets: the first is partial (from `from` to the next whole hour), every later one starts on the hour.
    const series = overview.series as Array<{ at: number; sessions: number }>;
    expect(series[0]?.at).toBe(now - 86_400_000);
    expect(series.slice(1).every((p) => p.at % 3_600_000 === 0)).toBe(true);
    expect(series.length).toBe(now % 3_600_000 === 0 ? 24 : 25);
    expect(series.reduce((n, p) => n + p.sessions, 0)).toBe(1);

    const csv = await get(fixture, `referrers?${q(shop.accountId, '&format=csv')}`, cookie);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="referrers.csv"');
    expect(await csv.text()).toBe('referrer,sessions,visitors\r\nnews.example,1,1\r\n');

    expect(await (await get(fixture, 'overview?from=1', cookie)).json()).toMatchObject({
      error: { code: 'invalid_query', message: expect.stringMatching(/^account: /) },
    });
    expect((await get(fixture, `overview?${q('no-such-account')}`, cookie)).status).toBe(404);
    expect(await (await get(fixture, `channels?${q(shop.accountId, '&model=magic')}`, cookie)).json()).toMatchObject({
      error: { message: expect.stringMatching(/^model: must be one of/) },
    });
    expect(
      await (await get(fixture, `overview?account=${shop.accountId}&from=yesterday`, cookie)).json(),
    ).toMatchObject({ error: { message: expect.stringContaining('from: "yesterday" is not an ISO date') } });
    const conversions = (await (await get(fixture, `conversions?${q(shop.accountId)}`, cookie)).json()) as {
      rows: Array<{ id: string }>;
    };
    const id = conversions.rows[0]?.id ?? '';
    expect((await get(fixture, `conversions/${id}/journey?account=${blog.accountId}`, cookie)).status).toBe(404);
    expect(
      (
        (await (await get(fixture, `conversions/${id}/journey?account=${shop.accountId}`, cookie)).json()) as {
          touchpoints: unknown[];
        }
      ).touchpoints,
    ).toHaveLength(1);

    // Funnels and the model comparison: scoped to the account, bad parameters named.
    const goal = async (match: string, kind: string) =>
      (
        await fixture!.storage.saveGoal(shop.accountId, {
          id: `g-${kind}`,
          name: match,
          kind: kind as 'pageview',
          match,
          createdAt: now,
          updatedAt: now,
        })
      ).id;
    await fixture.storage.saveFunnel(shop.accountId, {
      id: 'f1',
      name: 'Buy',
      windowMs: 86_400_000,
      steps: [await goal('/pricing', 'pageview'), await goal('purchase', 'conversion')],
      createdAt: now,
      updatedAt: now,
    });
    expect(await (await get(fixture, `funnels?${q(shop.accountId)}`, cookie)).json()).toMatchObject({
      funnels: [{ id: 'f1', name: 'Buy', window: '1d', steps: ['g-pageview', 'g-conversion'] }],
    });
    expect(await (await get(fixture, `funnels?${q(blog.accountId)}`, cookie)).json()).toEqual({
      funnels: [],
      goals: [],
    });
    const report = await get(fixture, `funnels/f1/report?${q(shop.accountId, '&format=csv')}`, cookie);
    expect(await report.text()).toBe(
      'step,goal,count,conversion_rate,step_rate,organic_social\r\n1,/pricing,1,1,,1\r\n2,purchase,1,1,1,1\r\n',
    );
    expect((await get(fixture, `funnels/f1/report?${q(blog.accountId)}`, cookie)).status).toBe(404);
    expect(
      await (await get(fixture, `funnels/f1/report?${q(shop.accountId, '&unit=people')}`, cookie)).json(),
    ).toMatchObject({ error: { message: 'unit: must be one of visitor, session' } });
    const compare = (await (await get(fixture, `compare?${q(shop.accountId)}`, cookie)).json()) as {
      models: unknown[];
      groups: Array<{ group: string; credit: Record<string, unknown> }>;
    };
    expect(compare.models).toHaveLength(8);
    expect(compare.groups).toEqual([
      {
        group: 'organic_social',
        credit: expect.objectContaining({
          markov: { conversions: 1, revenue: 50 },
          shapley: { conversions: 1, revenue: 50 },
        }),
      },
    ]);
    expect(
      await (await get(fixture, `compare?${q(shop.accountId, '&group_by=weather')}`, cookie)).json(),
    ).toMatchObject({ error: { message: expect.stringMatching(/^group_by: must be one of/) } });
    // "New funnel": a state change, so CSRF-checked; steps reuse goals of the same kind and match.
    const newFunnel = {
      account: shop.accountId,
      name: 'Again',
      window: '2h',
      steps: [
        { kind: 'pageview', match: '/pricing' },
        { kind: 'event', match: 'signup' },
      ],
    };
    expect((await post(fixture, 'funnels', newFunnel, { cookie })).status).toBe(403);
    expect(
      await (
        await post(
          fixture,
          'funnels',
          { ...newFunnel, steps: [{ kind: 'pageview', match: 'pricing' }] },
          { cookie, 'x-csrf-token': csrf },
        )
      ).json(),
    ).toMatchObject({ error: { message: expect.stringMatching(/^step 1: match: /) } });
    const made = await post(fixture, 'funnels', newFunnel, { cookie, 'x-csrf-token': csrf });
    expect(made.status).toBe(200);
    const again = (await fixture.storage.listFunnels(shop.accountId)).find((f) => f.name === 'Again');
    expect(again?.steps[0]).toBe('g-pageview');
    expect(again?.windowMs).toBe(7_200_000);
  });
});

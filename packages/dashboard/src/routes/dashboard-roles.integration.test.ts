// Users and roles on a real socket: an admin invites a viewer, the one-time link sets a password, the viewer reads only their accounts and every admin-only route refuses them; role changes, removal and password changes end sessions.
import { afterEach, describe, expect, it } from 'vitest';
import { sendAndSettle, startDashboard, visitorItems, type DashboardFixture } from '../test-support/seed-traffic.js';

const PASSWORD = 'correct horse battery';
const HOUR = 3_600_000;
let fixture: DashboardFixture | null = null;
afterEach(async () => {
  await fixture?.close();
  fixture = null;
});

interface Who {
  cookie: string;
  csrf: string;
}
const post = (f: DashboardFixture, path: string, body: unknown, who?: Who) =>
  fetch(`${f.url}/dashboard/api/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: f.url,
      ...(who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {}),
    },
    body: JSON.stringify(body),
  });
const get = (f: DashboardFixture, path: string, who?: Who) =>
  fetch(`${f.url}/dashboard/api/${path}`, { headers: who ? { cookie: who.cookie } : {} });

async function signIn(f: DashboardFixture, body: { login?: string; password: string }): Promise<Who> {
  const res = await post(f, 'login', body);
  expect(res.status).toBe(200);
  return {
    cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
    csrf: ((await res.json()) as { csrf_token: string }).csrf_token,
  };
}

async function invite(f: DashboardFixture, admin: Who, body: Record<string, unknown>): Promise<string> {
  const res = await post(f, 'users/invite', body, admin);
  expect(res.status).toBe(200);
  const { link } = (await res.json()) as { link: string };
  expect(link).toMatch(new RegExp(`^${f.url}/#invite=[\\w-]{43}$`));
  return link.slice(link.indexOf('#invite=') + '#invite='.length);
}

async function twoAccounts(f: DashboardFixture): Promise<{ shop: string; blog: string }> {
  const shop = await f.keyFor('shop');
  const blog = await f.keyFor('blog');
  const now = Date.now();
  await sendAndSettle(
    f,
    shop.key,
    visitorItems([{ at: now - HOUR, url: 'https://shop.example/pricing' }], {
      conversion: { revenue: 50, afterMs: 60_000 },
    }),
  );
  await sendAndSettle(f, blog.key, visitorItems([{ at: now - 2 * HOUR, url: 'https://blog.example/post' }]));
  return { shop: shop.accountId, blog: blog.accountId };
}

describe('users and roles', () => {
  it('an invited viewer sets a password once, reads only their account, and is refused every admin-only route', async () => {
    fixture = await startDashboard({ adminPassword: PASSWORD });
    const f = fixture;
    const { shop, blog } = await twoAccounts(f);
    const admin = await signIn(f, { password: PASSWORD });
    expect(await (await get(f, 'session', admin)).json()).toMatchObject({
      user: { login: null, role: 'admin', built_in: true },
    });

    const token = await invite(f, admin, { role: 'viewer', accounts: [shop], login: 'Ana@Example.com' });
    expect(await (await post(f, 'invitation', { token })).json()).toMatchObject({
      login: 'ana@example.com',
      role: 'viewer',
    });
    expect(await (await post(f, 'invitation/accept', { token, password: 'short' })).json()).toMatchObject({
      error: { message: expect.stringMatching(/^password: the password must be at least 10/) },
    });
    expect((await post(f, 'invitation/accept', { token, password: 'viewer passphrase' })).status).toBe(200);
    const again = await post(f, 'invitation/accept', { token, password: 'another passphrase' });
    expect(again.status).toBe(410);
    expect(await again.json()).toMatchObject({
      error: { code: 'invitation_used', message: expect.stringContaining('already used') },
    });
    expect(await (await post(f, 'invitation', { token })).json()).toMatchObject({ error: { code: 'invitation_used' } });
    expect(await (await post(f, 'invitation', { token: 'x'.repeat(43) })).json()).toMatchObject({
      error: { code: 'invitation_unknown' },
    });

    expect((await post(f, 'login', { login: 'ana@example.com', password: 'wrong passphrase' })).status).toBe(401);
    const viewer = await signIn(f, { login: ' ANA@example.com ', password: 'viewer passphrase' });
    expect(await (await get(f, 'session', viewer)).json()).toMatchObject({
      user: { login: 'ana@example.com', role: 'viewer', accounts: [shop], built_in: false },
    });
    expect(await (await get(f, 'accounts', viewer)).json()).toEqual({ accounts: [{ id: shop, name: 'shop' }] });
    expect(((await (await get(f, 'accounts', admin)).json()) as { accounts: unknown[] }).accounts).toHaveLength(2);

    // Every data route answers for the viewer's account and refuses the other by name.
    const range = `from=${Date.now() - 86_400_000}&to=${Date.now()}`;
    const reads = [
      'overview',
      'landing-pages',
      'referrers',
      'campaigns',
      'sources',
      'mediums',
      'channels',
      'conversions',
      'events',
      'integrity',
      'funnels',
      'compare',
      'funnels/f1/report',
      'conversions/c1/journey',
    ];
    for (const path of reads) {
      const mine = await get(f, `${path}?account=${shop}&${range}`, viewer);
      expect([200, 404], path).toContain(mine.status);
      const theirs = await get(f, `${path}?account=${blog}&${range}`, viewer);
      expect(theirs.status, path).toBe(403);
      expect(await theirs.json(), path).toMatchObject({
        error: {
          code: 'forbidden_account',
          message: `user ana@example.com may not read account ${blog}; ask an admin to add it to your accounts`,
        },
      });
      expect((await get(f, `${path}?account=${blog}&${range}`, admin)).status, path).not.toBe(403);
    }
    expect(
      ((await (await get(f, `overview?account=${shop}&${range}`, viewer)).json()) as { stats: { sessions: number } })
        .stats.sessions,
    ).toBe(1);

    // Admin-only: refused for the viewer (403 admin_only), allowed past the role check for the admin.
    const adminOnly: Array<[string, string, unknown]> = [
      ['GET', 'users', null],
      ['POST', 'users/invite', { role: 'viewer', accounts: [shop] }],
      ['POST', 'users/u1/role', { role: 'admin' }],
      ['POST', 'users/u1/remove', {}],
      ['POST', 'invitations/i1/revoke', {}],
      ['POST', 'spend', { account: shop, csv: 'date,channel,campaign,amount,currency\n' }],
      ['POST', 'funnels', { account: shop, name: 'F', steps: [{ kind: 'pageview', match: '/pricing' }] }],
      ['GET', `conversion-uploads?account=${shop}`, null],
      ['POST', 'conversion-uploads', { account: shop, destination: {} }],
      ['POST', 'conversion-uploads/d1/enabled', { account: shop, enabled: true }],
    ];
    for (const [method, path, body] of adminOnly) {
      const res = method === 'GET' ? await get(f, path, viewer) : await post(f, path, body, viewer);
      expect(res.status, path).toBe(403);
      expect(await res.json(), path).toMatchObject({
        error: {
          code: 'admin_only',
          message: expect.stringMatching(/^only an admin may .+; user ana@example.com is a viewer$/),
        },
      });
      const asAdmin = method === 'GET' ? await get(f, path, admin) : await post(f, path, body, admin);
      expect(asAdmin.status, path).not.toBe(403);
    }
  });

  it('refuses an expired link, lets an open invitation choose a login, and lists, re-roles and removes users (ending their sessions)', async () => {
    let t = Date.now();
    fixture = await startDashboard({ adminPassword: PASSWORD, now: () => t });
    const f = fixture;
    const { shop, blog } = await twoAccounts(f);
    const admin = await signIn(f, { password: PASSWORD });
    expect(await (await post(f, 'users/invite', { role: 'viewer', accounts: [] }, admin)).json()).toMatchObject({
      error: { message: 'role: a viewer needs at least one account' },
    });
    expect(await (await post(f, 'users/invite', { role: 'viewer', accounts: ['nope'] }, admin)).json()).toMatchObject({
      error: { message: 'role: no account with id nope' },
    });
    expect(await (await post(f, 'users/invite', { role: 'owner' }, admin)).json()).toMatchObject({
      error: { message: 'role: the role must be admin or viewer, not "owner"' },
    });

    const late = await invite(f, admin, { role: 'viewer', accounts: [shop], expires_hours: 1 });
    const open = await invite(f, admin, { role: 'viewer', accounts: [shop, blog] });
    t += HOUR;
    const expired = await post(f, 'invitation/accept', {
      token: late,
      login: 'late@example.com',
      password: 'viewer passphrase',
    });
    expect(expired.status).toBe(410);
    expect(await expired.json()).toMatchObject({
      error: { code: 'invitation_expired', message: expect.stringContaining('expired at') },
    });
    expect(
      await (await post(f, 'invitation/accept', { token: open, password: 'viewer passphrase' })).json(),
    ).toMatchObject({ error: { message: 'login: choose a login name (this invitation does not name one)' } });
    expect(
      await (await post(f, 'invitation/accept', { token: open, login: 'bo', password: 'viewer passphrase' })).json(),
    ).toEqual({ state: 'accepted', login: 'bo', role: 'viewer' });

    const people = (await (await get(f, 'users', admin)).json()) as {
      users: Array<{ id: string; login: string; accounts: string[] }>;
      invitations: Array<{ id: string; expired: boolean }>;
    };
    expect(people.users).toEqual([expect.objectContaining({ login: 'bo', role: 'viewer', accounts: [shop, blog] })]);
    expect(people.invitations).toEqual([expect.objectContaining({ expired: true })]);
    const bo = people.users[0]?.id ?? '';

    const first = await signIn(f, { login: 'bo', password: 'viewer passphrase' });
    expect((await get(f, `overview?account=${blog}`, first)).status).toBe(200);
    expect((await post(f, `users/${bo}/role`, { role: 'viewer', accounts: [shop] }, admin)).status).toBe(200);
    expect((await get(f, 'accounts', first)).status).toBe(401);
    const second = await signIn(f, { login: 'bo', password: 'viewer passphrase' });
    expect((await get(f, `overview?account=${blog}`, second)).status).toBe(403);

    expect((await post(f, `invitations/${people.invitations[0]?.id}/revoke`, {}, admin)).status).toBe(200);
    expect((await post(f, `users/${bo}/remove`, {}, admin)).status).toBe(200);
    expect((await get(f, 'accounts', second)).status).toBe(401);
    expect((await post(f, 'login', { login: 'bo', password: 'viewer passphrase' })).status).toBe(401);
    expect(await (await get(f, 'users', admin)).json()).toEqual({ users: [], invitations: [] });
  });

  it('a user changes their password with the current one; their other sessions end, this one stays; a viewer signs out only their own sessions everywhere', async () => {
    fixture = await startDashboard({ adminPassword: PASSWORD });
    const f = fixture;
    const { shop } = await twoAccounts(f);
    const admin = await signIn(f, { password: PASSWORD });
    const token = await invite(f, admin, { role: 'viewer', accounts: [shop], login: 'cy' });
    await post(f, 'invitation/accept', { token, password: 'first passphrase' });
    const here = await signIn(f, { login: 'cy', password: 'first passphrase' });
    const elsewhere = await signIn(f, { login: 'cy', password: 'first passphrase' });

    expect(
      await (
        await post(f, 'password', { current_password: 'not my password', new_password: 'second passphrase' }, here)
      ).json(),
    ).toMatchObject({ error: { code: 'wrong_password', message: expect.stringMatching(/^current_password: /) } });
    expect(
      await (await post(f, 'password', { current_password: 'first passphrase', new_password: 'short' }, here)).json(),
    ).toMatchObject({ error: { message: expect.stringMatching(/^new_password: the password must be at least 10/) } });
    expect(
      await (
        await post(f, 'password', { current_password: 'first passphrase', new_password: 'second passphrase' }, here)
      ).json(),
    ).toEqual({ changed: true, other_sessions_signed_out: 1 });
    expect((await get(f, 'accounts', here)).status).toBe(200);
    expect((await get(f, 'accounts', elsewhere)).status).toBe(401);
    expect((await post(f, 'login', { login: 'cy', password: 'first passphrase' })).status).toBe(401);
    const later = await signIn(f, { login: 'cy', password: 'second passphrase' });
    expect(
      await (
        await post(f, 'password', { current_password: PASSWORD, new_password: 'second passphrase' }, admin)
      ).json(),
    ).toMatchObject({
      error: { code: 'admin_password_from_env', message: expect.stringContaining('TOUCHLINE_ADMIN_PASSWORD') },
    });

    expect(await (await post(f, 'logout-everywhere', {}, later)).json()).toEqual({
      state: 'signed_out',
      sessions_signed_out: 2,
    });
    expect((await get(f, 'accounts', here)).status).toBe(401);
    expect((await get(f, 'accounts', admin)).status).toBe(200);
  });

  it("the built-in admin changes its stored password with the current one: its other sessions end, named users' stay", async () => {
    fixture = await startDashboard();
    const f = fixture;
    const { shop } = await twoAccounts(f);
    const { hashPassword } = await import('../auth/password-hash.js');
    await f.storage.setAdminSetting('admin_password_hash', await hashPassword(PASSWORD), Date.now());
    const here = await signIn(f, { password: PASSWORD });
    const elsewhere = await signIn(f, { password: PASSWORD });
    const token = await invite(f, here, { role: 'viewer', accounts: [shop], login: 'ed' });
    await post(f, 'invitation/accept', { token, password: 'ed passphrase' });
    const named = await signIn(f, { login: 'ed', password: 'ed passphrase' });

    expect(
      await (
        await post(f, 'password', { current_password: 'not the password', new_password: 'new admin pass' }, here)
      ).json(),
    ).toMatchObject({ error: { code: 'wrong_password', message: expect.stringMatching(/^current_password: /) } });
    expect(
      await (await post(f, 'password', { current_password: PASSWORD, new_password: 'short' }, here)).json(),
    ).toMatchObject({
      error: { message: expect.stringMatching(/^new_password: the admin password must be at least 10/) },
    });
    // Refused changes left everything as it was.
    expect((await get(f, 'accounts', elsewhere)).status).toBe(200);
    expect(
      await (await post(f, 'password', { current_password: PASSWORD, new_password: 'new admin pass' }, here)).json(),
    ).toEqual({ changed: true, other_sessions_signed_out: 1 });
    expect((await get(f, 'accounts', here)).status).toBe(200);
    expect((await get(f, 'accounts', elsewhere)).status).toBe(401);
    expect((await get(f, 'accounts', named)).status).toBe(200);
    expect((await post(f, 'login', { password: PASSWORD })).status).toBe(401);
    await signIn(f, { password: 'new admin pass' });
  });

  it('with no admin password but a named user, the page asks for sign-in (not setup) and the user signs in', async () => {
    fixture = await startDashboard();
    const f = fixture;
    const { shop } = await twoAccounts(f);
    expect(await (await get(f, 'session')).json()).toMatchObject({ state: 'setup' });
    const { createInvitation } = await import('../auth/invitations.js');
    const { token } = await createInvitation(f.storage, {
      role: 'viewer',
      accountIds: [shop],
      login: 'dee',
      expiresHours: 1,
      now: Date.now(),
    });
    await post(f, 'invitation/accept', { token, password: 'dee passphrase' });
    expect(await (await get(f, 'session')).json()).toEqual({ state: 'signed_out' });
    expect(await (await post(f, 'login', { password: 'dee passphrase' })).json()).toMatchObject({
      error: { code: 'no_admin_password' },
    });
    await signIn(f, { login: 'dee', password: 'dee passphrase' });
  });
});

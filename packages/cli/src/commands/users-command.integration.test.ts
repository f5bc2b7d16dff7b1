// Runs the built `touchline users` against real SQLite and PostgreSQL: an invitation link whose token is stored only as a hash and works once, list, set-role and remove ending sessions, refusals named; `admin set-password` leaves named users signed in.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tokenHash } from '../../../dashboard/src/auth/session-store.js';
import { storageFactories } from '../../../storage/src/test-support/storage-factories.js';

const BIN = fileURLToPath(new URL('../../bin/touchline.mjs', import.meta.url));

/** The CLI as a child process (async, so a slow machine does not block the test runner's event loop). */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return cliWithInput(null, ...args);
}

function cliWithInput(
  input: string | null,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: [input === null ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, TOUCHLINE_PUBLIC_URL: '', TOUCHLINE_ADMIN_PASSWORD: '' },
    });
    if (input !== null) child.stdin?.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.each(await storageFactories(process.env, import.meta.url))('touchline users on $dialect', (factory) => {
  it('invites with a one-time link, lists, changes a role and removes, ending sessions; names what is wrong', async () => {
    const db = await factory.open();
    try {
      const shop = await db.storage.ensureAccount('shop', 1);
      const blog = await db.storage.ensureAccount('blog', 1);
      const at = ['--db', db.url];
      const invited = await cli(
        'users',
        'invite',
        '--role',
        'viewer',
        '--account',
        shop.id,
        '--account',
        'blog',
        '--name',
        'Ana@Example.com',
        '--base-url',
        'https://tl.example/',
        ...at,
      );
      expect(invited).toMatchObject({
        code: 0,
        stdout: expect.stringContaining(`for ana@example.com as viewer of ${shop.id}, ${blog.id}`),
      });
      const link = /https:\/\/tl\.example\/#invite=([\w-]{43})\n/.exec(invited.stdout);
      expect(link).not.toBeNull();
      const token = link?.[1] ?? '';
      // Only the token's hash is stored: the token itself names nothing.
      expect(await db.storage.findDashboardInvitation(token)).toBeNull();
      expect(await db.storage.findDashboardInvitation(tokenHash(token))).toMatchObject({
        login: 'ana@example.com',
        role: 'viewer',
        accountIds: [shop.id, blog.id],
      });
      const accept = () =>
        db.storage.acceptDashboardInvitation({
          tokenHash: tokenHash(token),
          userId: 'u-ana',
          login: null,
          passwordHash: 'h',
          now: Date.now(),
        });
      expect(await accept()).toMatchObject({ kind: 'accepted' });
      expect(await accept()).toMatchObject({ kind: 'used' });

      const open = await cli('users', 'invite', '--role', 'admin', '--expires-hours', '2', ...at);
      expect(open).toMatchObject({ code: 0, stdout: expect.stringContaining('http://localhost:8710/#invite=') });
      const listed = JSON.parse((await cli('users', 'list', '--json', ...at)).stdout) as {
        users: unknown[];
        invitations: Array<{ id: string; role: string; expired: boolean }>;
      };
      expect(listed.users).toEqual([
        { id: 'u-ana', login: 'ana@example.com', role: 'viewer', accounts: [shop.id, blog.id] },
      ]);
      expect(listed.invitations).toEqual([expect.objectContaining({ role: 'admin', expired: false })]);
      expect((await cli('users', 'list', ...at)).stdout).toContain('user ana@example.com  viewer of');

      await db.storage.createDashboardSession(
        { tokenHash: 's1', csrfToken: 'c', createdAt: Date.now(), expiresAt: Date.now() + 60_000, userId: 'u-ana' },
        100,
      );
      expect(
        await cli('users', 'set-role', 'ANA@example.com', '--role', 'viewer', '--account', 'shop', ...at),
      ).toMatchObject({ code: 0, stdout: expect.stringContaining('sessions are ended') });
      expect(await db.storage.findDashboardSession('s1', Date.now())).toBeNull();
      expect((await db.storage.findDashboardUser({ id: 'u-ana' }))?.accountIds).toEqual([shop.id]);

      // A new admin password signs out the built-in admin's sessions only: named users keep theirs.
      await db.storage.createDashboardSession(
        { tokenHash: 's2', csrfToken: 'c', createdAt: Date.now(), expiresAt: Date.now() + 60_000, userId: 'u-ana' },
        100,
      );
      await db.storage.createDashboardSession(
        { tokenHash: 's-admin', csrfToken: 'c', createdAt: Date.now(), expiresAt: Date.now() + 60_000, userId: null },
        100,
      );
      expect(await cliWithInput('a long passphrase\n', 'admin', 'set-password', ...at)).toMatchObject({
        code: 0,
        stdout: expect.stringContaining('1 dashboard session(s) signed out'),
      });
      expect(await db.storage.findDashboardSession('s-admin', Date.now())).toBeNull();
      expect(await db.storage.findDashboardSession('s2', Date.now())).not.toBeNull();

      expect(await cli('users', 'invite', '--role', 'viewer', ...at)).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('a viewer needs at least one --account'),
      });
      expect(await cli('users', 'invite', '--role', 'viewer', '--account', 'nope', ...at)).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('no account with id or name "nope"'),
      });
      expect(await cli('users', 'invite', '--role', 'admin', '--account', 'shop', ...at)).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('give --account only with --role viewer'),
      });
      expect(await cli('users', 'invite', '--role', 'owner', ...at)).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('the role must be admin or viewer, not "owner"'),
      });
      expect(await cli('users', 'invite', '--role', 'admin', '--expires-hours', '0', ...at)).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('--expires-hours "0"'),
      });
      expect(await cli('users', 'invite', '--role', 'admin', '--name', 'ana@example.com', ...at)).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('a user named ana@example.com exists already'),
      });
      expect(await cli('users', 'promote', ...at)).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('unknown subcommand "promote"'),
      });

      expect(await cli('users', 'remove', 'ana@example.com', ...at)).toMatchObject({
        code: 0,
        stdout: expect.stringContaining('Removed user ana@example.com'),
      });
      expect(await cli('users', 'remove', listed.invitations[0]?.id ?? '', ...at)).toMatchObject({
        code: 0,
        stdout: expect.stringContaining('Revoked invitation'),
      });
      expect(await cli('users', 'remove', 'ana@example.com', ...at)).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('no dashboard user or unused invitation "ana@example.com"'),
      });
      expect(await db.storage.listDashboardUsers()).toEqual({ users: [], invitations: [] });
    } finally {
      await db.remove();
    }
  });
});

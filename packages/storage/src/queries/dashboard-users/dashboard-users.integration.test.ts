// Dashboard users and invitations on both dialects: one-time acceptance (also under racing acceptances on two connections), expiry, login names, roles and passwords that end sessions, removal.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorage } from '../../open-storage.js';
import type { Storage } from '../../storage.js';
import { storageFactories, type TestStorage } from '../../test-support/storage-factories.js';
import type { NewDashboardInvitation } from './dashboard-user-row.js';

const HOUR = 3_600_000;
const invitation = (over: Partial<NewDashboardInvitation> = {}): NewDashboardInvitation => ({
  id: 'inv-1',
  tokenHash: 'hash-1',
  login: 'ana@example.com',
  role: 'viewer',
  accountIds: ['acct-a'],
  createdAt: 1000,
  expiresAt: 1000 + 72 * HOUR,
  ...over,
});
const session = (tokenHash: string, userId: string | null, createdAt = 1000) => ({
  tokenHash,
  csrfToken: `csrf-${tokenHash}`,
  createdAt,
  expiresAt: createdAt + HOUR,
  userId,
});

describe.each(await storageFactories(process.env, import.meta.url))('$dialect', (factory) => {
  let db: TestStorage;
  let storage: Storage;
  beforeEach(async () => {
    db = await factory.open();
    storage = db.storage;
  });
  afterEach(async () => {
    await db.remove();
  });

  it('accepts an invitation once: the user gets its role, accounts and password hash; a second use, an expired or unknown token are refused by name', async () => {
    await storage.createDashboardInvitation(invitation());
    await storage.createDashboardInvitation(
      invitation({ id: 'inv-2', tokenHash: 'hash-2', login: 'old@example.com', expiresAt: 2000 }),
    );
    expect(await storage.findDashboardInvitation('hash-1')).toMatchObject({
      id: 'inv-1',
      login: 'ana@example.com',
      role: 'viewer',
      accountIds: ['acct-a'],
      usedAt: null,
    });
    expect((await storage.listDashboardUsers()).invitations.map((i) => i.id)).toEqual(['inv-1', 'inv-2']);

    const first = await storage.acceptDashboardInvitation({
      tokenHash: 'hash-1',
      userId: 'u-1',
      login: 'ignored@example.com',
      passwordHash: 'scrypt$x',
      now: 1500,
    });
    expect(first).toEqual({
      kind: 'accepted',
      user: {
        id: 'u-1',
        login: 'ana@example.com',
        role: 'viewer',
        accountIds: ['acct-a'],
        createdAt: 1500,
        updatedAt: 1500,
      },
    });
    expect(
      await storage.acceptDashboardInvitation({
        tokenHash: 'hash-1',
        userId: 'u-2',
        login: null,
        passwordHash: 'scrypt$y',
        now: 1600,
      }),
    ).toEqual({ kind: 'used', usedAt: 1500 });
    expect(
      await storage.acceptDashboardInvitation({
        tokenHash: 'hash-2',
        userId: 'u-3',
        login: null,
        passwordHash: 'scrypt$y',
        now: 2000,
      }),
    ).toEqual({ kind: 'expired', expiredAt: 2000 });
    expect(
      await storage.acceptDashboardInvitation({
        tokenHash: 'nope',
        userId: 'u-4',
        login: null,
        passwordHash: 'scrypt$y',
        now: 1600,
      }),
    ).toEqual({ kind: 'unknown' });
    expect(await storage.findDashboardUser({ login: 'ana@example.com' })).toMatchObject({
      id: 'u-1',
      passwordHash: 'scrypt$x',
    });
    expect(await storage.findDashboardUser({ id: 'u-2' })).toBeNull();
    const people = await storage.listDashboardUsers();
    expect(people.users.map((u) => u.login)).toEqual(['ana@example.com']);
    expect(people.invitations.map((i) => i.id)).toEqual(['inv-2']);
    expect(await storage.findDashboardInvitation('hash-1')).toMatchObject({ usedAt: 1500, userId: 'u-1' });
  });

  it('an invitation without a login takes the chosen one; a missing or taken login gives the invitation back unused', async () => {
    await storage.createDashboardInvitation(invitation());
    await storage.acceptDashboardInvitation({
      tokenHash: 'hash-1',
      userId: 'u-1',
      login: null,
      passwordHash: 'h',
      now: 1100,
    });
    await storage.createDashboardInvitation(
      invitation({ id: 'inv-open', tokenHash: 'open', login: null, role: 'admin', accountIds: [] }),
    );
    expect(
      await storage.acceptDashboardInvitation({
        tokenHash: 'open',
        userId: 'u-2',
        login: null,
        passwordHash: 'h',
        now: 1200,
      }),
    ).toEqual({ kind: 'login_required' });
    expect(
      await storage.acceptDashboardInvitation({
        tokenHash: 'open',
        userId: 'u-2',
        login: 'ana@example.com',
        passwordHash: 'h',
        now: 1200,
      }),
    ).toEqual({ kind: 'login_taken', login: 'ana@example.com' });
    expect((await storage.findDashboardInvitation('open'))?.usedAt).toBeNull();
    expect(
      await storage.acceptDashboardInvitation({
        tokenHash: 'open',
        userId: 'u-2',
        login: 'bo@example.com',
        passwordHash: 'h',
        now: 1300,
      }),
    ).toMatchObject({ kind: 'accepted', user: { id: 'u-2', login: 'bo@example.com', role: 'admin', accountIds: [] } });
  });

  it('racing acceptances of one token on two connections: exactly one wins, every other is told it was used', async () => {
    const other = openStorage(db.url);
    try {
      for (let round = 0; round < 5; round++) {
        await storage.createDashboardInvitation(
          invitation({ id: `inv-${round}`, tokenHash: `race-${round}`, login: null }),
        );
        const answers = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            (i % 2 === 0 ? storage : other).acceptDashboardInvitation({
              tokenHash: `race-${round}`,
              userId: `u-${round}-${i}`,
              login: `p${round}-${i}@example.com`,
              passwordHash: 'h',
              now: 2000,
            }),
          ),
        );
        expect(answers.filter((a) => a.kind === 'accepted')).toHaveLength(1);
        expect(answers.filter((a) => a.kind === 'used')).toHaveLength(7);
      }
      expect((await storage.listDashboardUsers()).users).toHaveLength(5);
    } finally {
      await other.close();
    }
  });

  it("sessions carry their user's current role and accounts; a role change, removal or password change ends that user's sessions only", async () => {
    await storage.createDashboardInvitation(invitation());
    await storage.acceptDashboardInvitation({
      tokenHash: 'hash-1',
      userId: 'u-1',
      login: null,
      passwordHash: 'h1',
      now: 1000,
    });
    await storage.createDashboardSession(session('s-admin', null), 100);
    await storage.createDashboardSession(session('s-ana-1', 'u-1'), 100);
    await storage.createDashboardSession(session('s-ana-2', 'u-1'), 100);
    expect(await storage.findDashboardSession('s-admin', 1001)).toMatchObject({
      userId: null,
      login: null,
      role: 'admin',
      accountIds: [],
    });
    expect(await storage.findDashboardSession('s-ana-1', 1001)).toMatchObject({
      userId: 'u-1',
      login: 'ana@example.com',
      role: 'viewer',
      accountIds: ['acct-a'],
    });

    expect(
      await storage.setDashboardUserPassword({
        userId: 'u-1',
        passwordHash: 'h2',
        keepTokenHash: 's-ana-1',
        now: 1100,
      }),
    ).toBe(1);
    expect(await storage.findDashboardSession('s-ana-2', 1101)).toBeNull();
    expect(await storage.findDashboardSession('s-ana-1', 1101)).not.toBeNull();
    expect((await storage.findDashboardUser({ id: 'u-1' }))?.passwordHash).toBe('h2');
    expect(
      await storage.setDashboardUserPassword({ userId: 'nobody', passwordHash: 'h2', keepTokenHash: null, now: 1100 }),
    ).toBeNull();

    expect(
      await storage.setDashboardUserRole({
        userId: 'u-1',
        role: 'viewer',
        accountIds: ['acct-a', 'acct-b'],
        now: 1200,
      }),
    ).toBe(true);
    expect(await storage.findDashboardSession('s-ana-1', 1201)).toBeNull();
    expect(await storage.findDashboardUser({ id: 'u-1' })).toMatchObject({
      accountIds: ['acct-a', 'acct-b'],
      updatedAt: 1200,
    });
    expect(await storage.setDashboardUserRole({ userId: 'nobody', role: 'admin', accountIds: [], now: 1200 })).toBe(
      false,
    );

    await storage.createDashboardSession(session('s-ana-3', 'u-1', 1300), 100);
    expect(await storage.deleteDashboardSessions({ userId: null })).toBe(1);
    expect(await storage.findDashboardSession('s-ana-3', 1301)).not.toBeNull();
    expect(await storage.removeDashboardUser('u-1')).toBe(true);
    expect(await storage.findDashboardSession('s-ana-3', 1301)).toBeNull();
    expect(await storage.removeDashboardUser('u-1')).toBe(false);
    expect((await storage.listDashboardUsers()).users).toEqual([]);
  });

  it('a session whose user row is gone is no session, even if its row survived', async () => {
    await storage.createDashboardSession(session('orphan', 'u-gone'), 100);
    expect(await storage.findDashboardSession('orphan', 1001)).toBeNull();
  });

  it('revokes an unused invitation only', async () => {
    await storage.createDashboardInvitation(invitation());
    await storage.createDashboardInvitation(invitation({ id: 'inv-2', tokenHash: 'hash-2', login: 'bo@example.com' }));
    await storage.acceptDashboardInvitation({
      tokenHash: 'hash-2',
      userId: 'u-2',
      login: null,
      passwordHash: 'h',
      now: 1100,
    });
    expect(await storage.revokeDashboardInvitation('inv-2')).toBe(false);
    expect(await storage.revokeDashboardInvitation('inv-1')).toBe(true);
    expect(
      await storage.acceptDashboardInvitation({
        tokenHash: 'hash-1',
        userId: 'u-1',
        login: null,
        passwordHash: 'h',
        now: 1100,
      }),
    ).toEqual({ kind: 'unknown' });
  });
});

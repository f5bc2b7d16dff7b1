// The admin password hash: salted scrypt that verifies the right password only and rejects malformed stored values.
import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './password-hash.js';

describe('hashPassword / verifyPassword', () => {
  it('verifies the password it hashed and nothing else; two hashes of one password differ (salt)', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batter', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('treats malformed or tampered stored values as no match', async () => {
    const good = await hashPassword('correct horse battery');
    for (const bad of [
      '',
      'plain-text',
      good.replace('scrypt', 'bcrypt'),
      good.slice(0, -4),
      good.replace('$32768$', '$99999999$'),
    ]) {
      expect(await verifyPassword('correct horse battery', bad)).toBe(false);
    }
  });

  it('names what is wrong with a too short password', () => {
    expect(passwordProblem('short')).toBe('the admin password must be at least 10 characters long');
    expect(passwordProblem('long enough!')).toBeNull();
  });
});

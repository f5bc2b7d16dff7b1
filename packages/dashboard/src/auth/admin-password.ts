// Where the admin password comes from (env, else the stored hash) and the check of a sign-in attempt against it.
import type { Storage } from '@touchline/storage';
import { hashPassword, verifyPassword } from './password-hash.js';

export type PasswordSource = 'env' | 'database' | null;

export interface AdminPassword {
  /** Which password is in force: env wins; null means none is configured and nobody can sign in. */
  source(): Promise<PasswordSource>;
  /** True when `attempt` is the admin password; always false when none is configured. */
  verify(attempt: string): Promise<boolean>;
}

/** A stored hash is read on every check, so `touchline admin set-password` takes effect without a restart. */
export function createAdminPassword(storage: Storage, envPassword: string | undefined): AdminPassword {
  // The env password is hashed once, so checking it costs the same scrypt work as a stored one.
  let envHash: Promise<string> | null = null;
  const current = async (): Promise<{ source: PasswordSource; hash: string | null }> => {
    if (envPassword !== undefined) {
      envHash ??= hashPassword(envPassword);
      return { source: 'env', hash: await envHash };
    }
    const stored = await storage.adminSetting('admin_password_hash');
    return { source: stored === null ? null : 'database', hash: stored };
  };
  return {
    async source() {
      return (await current()).source;
    },
    async verify(attempt) {
      const { hash } = await current();
      return hash !== null && (await verifyPassword(attempt, hash));
    },
  };
}

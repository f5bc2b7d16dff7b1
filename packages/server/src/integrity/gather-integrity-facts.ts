// gatherIntegrityFacts: everything the integrity checks need for one account at one instant, read from storage.
import type { Storage } from '@touchline/storage';
import type { CheckFacts } from './integrity-checks.js';

const DAY = 24 * 3_600_000;

export async function gatherIntegrityFacts(storage: Storage, accountId: string, now: number): Promise<CheckFacts> {
  const facts = await storage.integrityFacts(accountId, now);
  const sdkHealthDay = await storage.sdkHealth(accountId, { from: now - DAY, to: now + 1 });
  return { ...facts, sdkHealthDay };
}

// gatherIntegrityFacts: everything the integrity checks need for one account at one instant, read from storage.
import type { IntegrityFacts, Storage } from '@touchline/storage';

export function gatherIntegrityFacts(storage: Storage, accountId: string, now: number): Promise<IntegrityFacts> {
  return storage.integrityFacts(accountId, now);
}

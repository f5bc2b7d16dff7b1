// The identities upsert's conflict clause, shared by ingest passes and alias merges.

// A (user, visitor) pair keeps when it was first seen and the latest traits; equal times take the
// greater traits text (bytewise in both dialects), so the order of arrival never decides.
const traitsNewer = (collate: string): string => `excluded.traits_at > identities.traits_at
      OR (excluded.traits_at = identities.traits_at AND excluded.traits${collate} > identities.traits${collate})`;
export const identityConflict = (
  min: string,
  max: string,
  collate: string,
): string => `ON CONFLICT (account_key, user_id, visitor_id) DO UPDATE SET
    occurred_at = ${min}(identities.occurred_at, excluded.occurred_at),
    traits = CASE WHEN ${traitsNewer(collate)} THEN excluded.traits ELSE identities.traits END,
    traits_at = ${max}(identities.traits_at, excluded.traits_at)`;

// Creating, replacing and deleting conversion-upload destinations from untrusted input: one result union for the API, the dashboard and the CLI.
import { newId, ok } from '@touchline/core';
import type { AccountUploadDestination, Storage, UploadDestination } from '@touchline/storage';
import type { Defined } from '../funnels/define-funnels.js';
import { defaultEndpoint, describeIssues, destinationInputSchema } from './upload-input.js';

/** Destinations per account are few; bounded so a runaway script cannot fill the table. */
export const MAX_DESTINATIONS = 20;

const invalid = (message: string): Defined<never> => ({ kind: 'invalid', message });
const notFound = (id: string): Defined<never> => ({
  kind: 'not_found',
  message: `no conversion upload destination ${id.slice(0, 64)} in this account`,
});

/**
 * Creates a destination (`id` null) or replaces destination `id`. A replacement may leave `token`
 * (and `developer_token`) out to keep the stored ones: the API never shows them back in full.
 */
export async function defineDestination(
  storage: Storage,
  accountId: string,
  id: string | null,
  body: unknown,
  now: number,
): Promise<Defined<UploadDestination>> {
  const parsed = destinationInputSchema.safeParse(body);
  if (!parsed.success) return invalid(describeIssues(parsed.error));
  const input = parsed.data;
  const all = await storage.listUploadDestinations(accountId);
  const existing = id === null ? undefined : all.find((d) => d.id === id);
  if (id !== null && existing === undefined) return notFound(id);
  if (id === null && all.length >= MAX_DESTINATIONS)
    return {
      kind: 'conflict',
      code: 'too_many',
      message: `an account has at most ${MAX_DESTINATIONS} conversion upload destinations; delete one first`,
    };
  const samePlatform = existing?.platform === input.platform;
  const token = input.token ?? (samePlatform ? existing?.token : undefined);
  if (token === undefined)
    return invalid(
      `token: is required (the ${input.platform === 'google_ads' ? 'OAuth access token' : 'Conversions API access token'})`,
    );
  const developerToken = input.developer_token ?? (samePlatform ? (existing?.developerToken ?? undefined) : undefined);
  if (input.platform === 'google_ads' && developerToken === undefined)
    return invalid('developer_token: is required for google_ads (your Google Ads API developer token)');
  const destination: UploadDestination = {
    id: id ?? newId(now),
    name: input.name,
    platform: input.platform,
    endpointUrl: defaultEndpoint(input),
    token,
    developerToken: input.platform === 'google_ads' ? (developerToken ?? null) : null,
    conversionAction: input.conversion_action ?? null,
    conversionTypes: [...new Set(input.conversion_types)],
    sendUserData: input.send_user_data,
    enabled: input.enabled,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  return ok(await storage.saveUploadDestination(accountId, destination));
}

/** Turns a destination on or off, keeping everything else (the CLI's enable/disable, the dashboard's switch). */
export async function setDestinationEnabled(
  storage: Storage,
  accountId: string,
  id: string,
  enabled: boolean,
  now: number,
): Promise<Defined<UploadDestination>> {
  const existing = (await storage.listUploadDestinations(accountId)).find((d) => d.id === id);
  if (existing === undefined) return notFound(id);
  return ok(await storage.saveUploadDestination(accountId, { ...destinationOf(existing), enabled, updatedAt: now }));
}

export async function removeDestination(storage: Storage, accountId: string, id: string): Promise<Defined<null>> {
  const done = await storage.deleteUploadDestination(accountId, id);
  return done.kind === 'deleted' ? ok(null) : notFound(id);
}

/** A listed destination without its account id: what payload builders and saves take. */
export function destinationOf(d: AccountUploadDestination): UploadDestination {
  const { accountId, ...destination } = d;
  void accountId;
  return destination;
}

/** The last 4 characters of a secret, so an operator can tell which one is stored without it being shown. */
export const maskSecret = (secret: string | null): string | null => (secret === null ? null : `…${secret.slice(-4)}`);

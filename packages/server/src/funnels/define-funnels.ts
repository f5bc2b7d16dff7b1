// Creating, replacing and deleting goals and funnels from untrusted input: one result union for the API, the dashboard and the CLI.
import { newId, ok, type Ok } from '@touchline/core';
import type { Funnel, Goal, Storage } from '@touchline/storage';
import { describeIssue, funnelInputSchema, goalInputSchema, parseWindow } from './funnel-input.js';

/** Definitions per account are few: bounded so a runaway script cannot fill the tables. */
export const MAX_GOALS = 200;
export const MAX_FUNNELS = 100;

/**
 * A definition edit's outcome: ok(value) as for every fallible step (core's Result), or one of the
 * refusals the API, dashboard and CLI answer 400, 404 or 409 with.
 */
export type Defined<T> =
  | Ok<T>
  | { kind: 'invalid'; message: string }
  | { kind: 'not_found'; message: string }
  | { kind: 'conflict'; code: 'goal_in_use' | 'too_many'; message: string };

const invalid = (message: string): Defined<never> => ({ kind: 'invalid', message });
const notFound = (what: string, id: string): Defined<never> => ({
  kind: 'not_found',
  message: `no ${what} ${id.slice(0, 64)} in this account`,
});

/** Creates a goal (`id` null) or replaces the goal `id`. */
export async function defineGoal(
  storage: Storage,
  accountId: string,
  id: string | null,
  body: unknown,
  now: number,
): Promise<Defined<Goal>> {
  const parsed = goalInputSchema.safeParse(body);
  if (!parsed.success) return invalid(describeIssue(parsed.error));
  const goals = await storage.listGoals(accountId);
  const existing = id === null ? undefined : goals.find((g) => g.id === id);
  if (id !== null && existing === undefined) return notFound('goal', id);
  if (id === null && goals.length >= MAX_GOALS)
    return {
      kind: 'conflict',
      code: 'too_many',
      message: `an account has at most ${MAX_GOALS} goals; delete one first`,
    };
  const goal: Goal = { id: id ?? newId(now), ...parsed.data, createdAt: existing?.createdAt ?? now, updatedAt: now };
  return ok(await storage.saveGoal(accountId, goal));
}

/** Creates a funnel (`id` null) or replaces the funnel `id` and its steps. */
export async function defineFunnel(
  storage: Storage,
  accountId: string,
  id: string | null,
  body: unknown,
  now: number,
): Promise<Defined<Funnel>> {
  const parsed = funnelInputSchema.safeParse(body);
  if (!parsed.success) return invalid(describeIssue(parsed.error));
  const funnels = await storage.listFunnels(accountId);
  const existing = id === null ? undefined : funnels.find((f) => f.id === id);
  if (id !== null && existing === undefined) return notFound('funnel', id);
  if (id === null && funnels.length >= MAX_FUNNELS)
    return {
      kind: 'conflict',
      code: 'too_many',
      message: `an account has at most ${MAX_FUNNELS} funnels; delete one first`,
    };
  const { name, steps, window } = parsed.data;
  const funnel: Funnel = {
    id: id ?? newId(now),
    name,
    steps,
    windowMs: parseWindow(window) as number,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  const saved = await storage.saveFunnel(accountId, funnel);
  if (saved.kind === 'saved') return ok(saved.funnel);
  const index = steps.findIndex((s) => saved.goals.includes(s));
  return invalid(
    `steps[${index}]: no goal ${saved.goals[0]?.slice(0, 64) ?? ''} in this account (create it with POST /api/v1/goals)`,
  );
}

export async function removeGoal(storage: Storage, accountId: string, id: string): Promise<Defined<null>> {
  const done = await storage.deleteGoal(accountId, id);
  switch (done.kind) {
    case 'deleted':
      return ok(null);
    case 'not_found':
      return notFound('goal', id);
    case 'in_use':
      return {
        kind: 'conflict',
        code: 'goal_in_use',
        message: `goal ${id} is a step of funnel(s) ${done.funnels.join(', ')}; change or delete them first`,
      };
  }
}

export async function removeFunnel(storage: Storage, accountId: string, id: string): Promise<Defined<null>> {
  const done = await storage.deleteFunnel(accountId, id);
  return done.kind === 'deleted' ? ok(null) : notFound('funnel', id);
}

// The storage contract's goal and funnel types: per-account definitions and the items a funnel report reads.

/** What a goal matches: a pageview by URL path pattern, an event by name, a conversion by name (its type). */
export type GoalKind = 'pageview' | 'event' | 'conversion';
export const GOAL_KINDS: readonly GoalKind[] = ['pageview', 'event', 'conversion'];

/** A goal as stored. `match` is the path pattern ('*' any characters, case-sensitive) or the exact name. */
export interface Goal {
  id: string;
  name: string;
  kind: GoalKind;
  match: string;
  createdAt: number;
  updatedAt: number;
}

/** An ordered funnel: its steps are goal ids, each step must follow the previous within `windowMs` of the first. */
export interface Funnel {
  id: string;
  name: string;
  windowMs: number;
  steps: string[];
  createdAt: number;
  updatedAt: number;
}

/** Deleting a goal: refused while funnels use it (their ids), so a funnel never points at nothing. */
export type GoalDelete = { kind: 'deleted' } | { kind: 'not_found' } | { kind: 'in_use'; funnels: string[] };
/** Saving a funnel: refused (nothing written) when a step names a goal the account does not have. */
export type FunnelSave = { kind: 'saved'; funnel: Funnel } | { kind: 'unknown_goals'; goals: string[] };
export type FunnelDelete = { kind: 'deleted' } | { kind: 'not_found' };

/** The items a funnel report reads: those matching any of `goals` that occurred in [from, until). */
export interface FunnelItemsWindow {
  from: number;
  until: number;
  goals: ReadonlyArray<{ kind: GoalKind; match: string }>;
  /** At most this many (item, goal) rows, in visitor order; `truncated` says when more matched. */
  maxRows: number;
}

/** One (item, goal) match; an item matching several goals gives one row per goal. `channel` is its session's. */
export interface FunnelItem {
  goal: number;
  id: string;
  visitorId: string;
  sessionId: string | null;
  timestamp: number;
  channel: string | null;
}
export interface FunnelItems {
  items: FunnelItem[];
  truncated: boolean;
}

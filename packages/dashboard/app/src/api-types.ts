// Shapes of the dashboard API's JSON answers (the server's routes under /dashboard/api).

export type SessionState =
  | { state: 'setup'; help: string }
  | { state: 'signed_out' }
  | { state: 'signed_in'; csrf_token: string; expires_at: string; user: SignedInUser };

/** Who is signed in: a named user, or the built-in admin (login null). A viewer's accounts; null for admins (all). */
export interface SignedInUser {
  login: string | null;
  role: 'admin' | 'viewer';
  accounts: string[] | null;
  built_in: boolean;
}

export interface DashboardUserRow {
  id: string;
  login: string;
  role: 'admin' | 'viewer';
  accounts: string[] | null;
  created_at: string;
}
export interface InvitationRow {
  id: string;
  login: string | null;
  role: 'admin' | 'viewer';
  accounts: string[] | null;
  created_at: string;
  expires_at: string;
  expired: boolean;
}
export interface UserList {
  users: DashboardUserRow[];
  invitations: InvitationRow[];
}
export interface Invited {
  invitation: InvitationRow;
  link: string;
}
export interface InvitationInfo {
  login: string | null;
  role: 'admin' | 'viewer';
  expires_at: string;
}

export interface AccountList {
  accounts: Array<{ id: string; name: string }>;
}

export interface Stats {
  visitors: number;
  sessions: number;
  events: number;
  conversions: number;
  revenue: number;
}
export interface SeriesPoint extends Stats {
  at: number;
}
export interface Overview {
  stats: Stats;
  sessions_per_visitor: number | null;
  bucket: 'hour' | 'day';
  series: SeriesPoint[];
}

export interface Rows<R> {
  rows: R[];
}
export interface TopRow {
  sessions: number;
  visitors: number;
  landing_page?: string;
  referrer?: string;
  utm_campaign?: string;
  utm_source?: string;
  utm_medium?: string;
}
/** A credited row: keyed by `channel`, or by the breakdown's name (`campaign`, `source`...; null: sessions without a value). */
export type ChannelRow = { conversions: number; revenue: number } & Record<string, string | number | null>;
export interface Channels extends Rows<ChannelRow> {
  model: string;
  group_by: string;
  conversions: number;
  revenue: number;
  truncated: boolean;
  /** Imported ad spend of the range; then rows carry cost, roas and cac (null where a row has no spend). */
  spend: { currency: string; total: number } | null;
}
export interface SpendImport {
  written: number;
  currency: string;
}
export interface ConversionRow {
  id: string;
  name: string;
  visitor_id: string;
  time: string;
  revenue: number | null;
  currency: string | null;
}
export interface Journey {
  conversion: { id: string; visitor_id: string; time: string; revenue: number | null };
  lookback_days: number;
  touchpoints: Array<{ step: number; time: string; channel: string; campaign: string | null }>;
  credits: Array<Record<string, string | number>>;
}
export interface EventRow {
  id: string;
  time: string;
  type: string;
  name: string | null;
  url: string | null;
  visitor_id: string;
  session_id: string | null;
}
export interface IntegrityRow {
  check: string;
  state: 'ok' | 'warn' | 'alert';
  value: number | null;
  unit: '%' | 'ratio';
  window: string;
  thresholds: string;
  note: string | null;
  explanation: string;
}
export interface Integrity extends Rows<IntegrityRow> {
  state: 'ok' | 'warn' | 'alert';
  checked_at: string;
}

/** What the channels panel can break credit down by (the API's group_by). */
export const GROUPINGS: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'channel', label: 'Channel' },
  { value: 'source', label: 'Source' },
  { value: 'medium', label: 'Medium' },
  { value: 'campaign', label: 'Campaign' },
  { value: 'content', label: 'Content' },
  { value: 'term', label: 'Term' },
  { value: 'landing_page', label: 'Landing page' },
  { value: 'click_platform', label: 'Ad platform' },
];

export const MODELS: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'linear', label: 'Linear' },
  { value: 'first_touch', label: 'First touch' },
  { value: 'last_touch', label: 'Last touch' },
  { value: 'last_non_direct', label: 'Last non-direct' },
  { value: 'time_decay', label: 'Time decay' },
  { value: 'position_based', label: 'Position based' },
  { value: 'markov', label: 'Markov chain' },
  { value: 'shapley', label: 'Shapley value' },
];

export interface FunnelList {
  funnels: Array<{ id: string; name: string; window: string; steps: string[] }>;
  goals: Array<{ id: string; name: string; kind: string; match: string }>;
}
/** One funnel step: totals, then one count column per entry channel (named by channel, "(none)" without one). */
export type FunnelStepRow = {
  step: number;
  goal: string;
  count: number;
  conversion_rate: number | null;
  step_rate: number | null;
} & Record<string, string | number | null>;
export interface FunnelReport extends Rows<FunnelStepRow> {
  funnel: { id: string; name: string; window: string };
  unit: 'visitor' | 'session';
  truncated: boolean;
  channels: Array<{ channel: string | null; counts: number[]; conversion_rate: number | null }>;
}
export interface Comparison {
  group_by: string;
  models: Array<{ model: string; explanation: string }>;
  groups: Array<{ group: string | null; credit: Record<string, { conversions: number; revenue: number }> }>;
}

/** A conversion upload destination as the dashboard sees it: tokens masked, delivery counts per status. */
export interface UploadDestinationRow {
  id: string;
  name: string;
  platform: 'google_ads' | 'meta';
  endpoint_url: string;
  token: string | null;
  conversion_types: string[];
  send_user_data: boolean;
  enabled: boolean;
  deliveries: { pending: number; delivered: number; failed: number; skipped: number };
}
export interface UploadDeliveryRow {
  destination_id: string;
  conversion_id: string;
  occurred_at: string;
  status: 'pending' | 'delivered' | 'failed' | 'skipped';
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  response_code: number | null;
  updated_at: string;
}
export interface ConversionUploads {
  destinations: UploadDestinationRow[];
  deliveries: UploadDeliveryRow[];
}

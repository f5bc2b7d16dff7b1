// The integrity checks (DESIGN.md L6 and its "Integrity checks" table) as data: what each measures, its thresholds, and why it matters.
import { MATERIALIZE_MAX_VISITORS, SHARED_LOGIN_VISITORS } from '@touchline/storage';
import type { IntegrityCheck } from './integrity-check.js';
import { SDK_HEALTH_CHECKS } from './sdk-health-checks.js';

export { MIN_SAMPLE, type CheckFacts, type IntegrityCheck, type Measurement } from './integrity-check.js';

const HOUR = 3_600_000;

const percent = (part: number, whole: number): number | null => (whole === 0 ? null : (100 * part) / whole);
const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

const STORED_DATA_CHECKS: readonly IntegrityCheck[] = [
  {
    id: 'session-inflation',
    title: 'Sessions per visitor',
    explanation:
      'Sessions per distinct visitor over 7 days (the visitor id stands in for the device). Above 2, one browser is getting ' +
      'many sessions: cookies may be leaking between concurrent requests so one visitor id reaches many browsers (L1), session ids ' +
      'may be flapping at a session boundary (L2), or sessions may be split on clock buckets instead of inactivity (L7).',
    unit: 'ratio',
    window: '7 d',
    thresholds: { above: { warn: 2, alert: 5 } },
    sample: (f) => f.week.sessions,
    measure: (f) => ({
      value: ratio(f.week.sessions, f.week.visitors),
      note:
        `${f.week.sessions} sessions, ${f.week.visitors} visitors; visitors first seen in the window: ` +
        `${f.week.newVisitorSessions} sessions, ${f.week.newVisitors} visitors`,
    }),
  },
  {
    id: 'extreme-visitors',
    title: 'Visitors with more than 10 sessions in 24 h',
    explanation:
      "% of the last 24 h's visitors who started more than 10 sessions in it. No person does that: one visitor id shared by " +
      'many browsers (a cookie leaking between requests, L1), a bot, or a session id that changes on every request (L2). ' +
      "Look at the named visitors' sessions first.",
    unit: '%',
    window: '24 h',
    thresholds: { above: { warn: 0, alert: 5 } },
    sample: (f) => f.day.sessions,
    measure: (f) => ({
      value: percent(f.extremeVisitorsDay.count, f.day.visitors),
      note:
        f.extremeVisitorsDay.count === 0
          ? undefined
          : `${f.extremeVisitorsDay.count} visitor(s); worst: ` +
            f.extremeVisitorsDay.top.map((v) => `${v.visitorId} (${v.sessions})`).join(', '),
    }),
  },
  {
    id: 'heavy-visitors',
    title: 'Visitors with more than 50 sessions in 30 d',
    explanation:
      "% of the last 30 days' visitors who started more than 50 sessions in them. A few loyal users may; more than 1% " +
      'means visitor ids are shared between browsers (L1: some visitors had 1,500+ sessions) or sessions split far too often (L2, L7).',
    unit: '%',
    window: '30 d',
    thresholds: { above: { warn: 1, alert: 5 } },
    sample: (f) => f.heavyVisitorsMonth.visitors,
    measure: (f) => ({
      value: percent(f.heavyVisitorsMonth.count, f.heavyVisitorsMonth.visitors),
      note:
        f.heavyVisitorsMonth.count === 0
          ? undefined
          : `${f.heavyVisitorsMonth.count} of ${f.heavyVisitorsMonth.visitors} visitors`,
    }),
  },
  {
    id: 'flapping',
    title: 'Sessions started less than 1 s apart',
    explanation:
      "% of the last 24 h's sessions started less than a second after the previous session of the same visitor. Any is " +
      'suspicious: racing requests at a session boundary (first visit, 30-minute expiry, logout) computed different session ids, ' +
      'so the id flapped (L2), or concurrent sub-requests each started a session (L8).',
    unit: '%',
    window: '24 h',
    thresholds: { above: { warn: 0, alert: 1 } },
    sample: (f) => f.day.sessions,
    measure: (f) => ({
      value: percent(f.flappingDay.pairs, f.day.sessions),
      note:
        f.flappingDay.pairs === 0
          ? undefined
          : `${f.flappingDay.pairs} pair(s) across ${f.flappingDay.visitors} visitor(s)`,
    }),
  },
  {
    id: 'ghost-sessions',
    title: 'Empty sessions',
    explanation:
      "% of the last 24 h's sessions with no events or no pageview. Usually identity minted on asset, API or prefetch " +
      'requests instead of navigations (L8: 341k ghost sessions), or a background task reading the request after the response ended.',
    unit: '%',
    window: '24 h',
    thresholds: { above: { warn: 20, alert: 50 } },
    sample: (f) => f.day.sessions,
    measure: (f) => ({ value: percent(f.emptySessionsDay, f.day.sessions) }),
  },
  {
    id: 'self-referral',
    title: 'Self-referrals',
    explanation:
      "% of the last 7 days' sessions whose referrer is the site's own host. High values mean internal navigation is " +
      'starting sessions (sessions split too early, or a cookie lost between pages), or the landing host is being taken from the ' +
      'referrer instead of the page URL (L8: self-referral poisoning turns organic search into "direct").',
    unit: '%',
    window: '7 d',
    thresholds: { above: { warn: 15, alert: 40 } },
    sample: (f) => f.week.sessions,
    measure: (f) => ({ value: percent(f.selfReferralsWeek, f.week.sessions) }),
  },
  {
    id: 'sessions-per-converter',
    title: 'Sessions per converting visitor',
    explanation:
      "Sessions started in the last 7 days by visitors who converted in them, per such visitor. High values mean converters' " +
      'journeys are split into many sessions (flapping, L2; leaked visitor ids, L1), which skews multi-touch attribution credit.',
    unit: 'ratio',
    window: '7 d',
    thresholds: { above: { warn: 5, alert: 15 } },
    sample: (f) => f.week.sessions,
    measure: (f) =>
      f.convertersWeek.converters === 0
        ? { value: null, note: 'no conversions in the window' }
        : {
            value: ratio(f.convertersWeek.sessions, f.convertersWeek.converters),
            note: `${f.convertersWeek.converters} converting visitor(s)`,
          },
  },
  {
    id: 'session-rate',
    title: 'Session creation rate against baseline',
    explanation:
      'Sessions started in the last hour divided by the hourly average of the 7 days before it. A sudden jump without a ' +
      'campaign usually means identity is being re-minted (a deploy that breaks cookies, L1/L2/L8) or bot traffic. ' +
      "Thresholds (3x / 10x) are Touchline's own; the anchor's table has none.",
    unit: 'ratio',
    window: '1 h vs 7 d',
    thresholds: { above: { warn: 3, alert: 10 } },
    sample: (f) => f.sessionRate.baselineSessions,
    measure: (f) => {
      const { lastHour, baselineSessions, baselineFrom, baselineTo } = f.sessionRate;
      if (baselineFrom === null) return { value: null };
      const hours = Math.min(168, Math.max(1, (baselineTo - baselineFrom) / HOUR));
      const average = baselineSessions / hours;
      return {
        value: ratio(lastHour, average),
        note: `${lastHour} in the last hour, baseline ${average.toFixed(1)}/h`,
      };
    },
  },
  {
    id: 'event-volume',
    title: 'Event volume change',
    explanation:
      '% change in events, last 24 h against the 24 h before. A fall usually means the SDK stopped delivering (rejected ' +
      'keys, L5; request data read after the response ended, L8); a surge means duplicated delivery or bot traffic.',
    unit: '%',
    window: '24 h vs previous 24 h',
    thresholds: { above: { warn: 200, alert: 500 }, below: { warn: -30, alert: -60 } },
    sample: (f) => f.eventVolume.previous24h,
    measure: (f) => ({
      value:
        f.eventVolume.previous24h === 0
          ? null
          : percent(f.eventVolume.last24h - f.eventVolume.previous24h, f.eventVolume.previous24h),
      note: `${f.eventVolume.last24h} events, previously ${f.eventVolume.previous24h}`,
    }),
  },
  {
    id: 'shared-logins',
    title: 'Visitors on one user id',
    explanation:
      'The most visitors (browsers, devices) that identify linked to one user id, over all stored data. A person signs in on a ' +
      'handful; hundreds mean a shared or test login, or identify called with a placeholder id (a constant, "undefined", an ' +
      'empty name): attribution then takes all of those visitors as one person, and every conversion of any of them gets credit ' +
      "from every channel any of them came from. Past 1,000 the person's journeys are not materialized but built at each read " +
      '(slower attribution on that account). The user ids are not named here (they may be e-mail addresses); find them with ' +
      'SELECT user_id, COUNT(*) FROM identities GROUP BY user_id ORDER BY 2 DESC.',
    unit: 'count',
    window: 'all time',
    // More than a hundred warns; past the refresher's bound (the person is read live) alerts.
    thresholds: { above: { warn: SHARED_LOGIN_VISITORS + 1, alert: MATERIALIZE_MAX_VISITORS + 1 } },
    minSample: 1,
    sample: (f) => f.sharedLogins.users,
    measure: (f) => ({
      value: f.sharedLogins.users === 0 ? null : f.sharedLogins.largest,
      note: `${f.sharedLogins.overShared} of ${f.sharedLogins.users} user id(s) linked to more than ${SHARED_LOGIN_VISITORS} visitors`,
    }),
  },
];

export const INTEGRITY_CHECKS: readonly IntegrityCheck[] = [...STORED_DATA_CHECKS, ...SDK_HEALTH_CHECKS];

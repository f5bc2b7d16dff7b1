-- Rollups, as on SQLite (see its 007 migration and docs/read-model.md). Text dimensions are in the
-- "C" collation, so ties sort bytewise as the raw queries' do; channel keeps the sessions column's
-- collation, as the raw sessions-by-channel query sorts it.
CREATE TABLE rollup_sessions (
  account_key   integer NOT NULL REFERENCES accounts (key),
  hour          bigint NOT NULL,
  visitor_id    text COLLATE "C" NOT NULL,
  channel       text NOT NULL,
  landing_path  text COLLATE "C" NOT NULL,
  referrer_host text COLLATE "C" NOT NULL,
  sessions      integer NOT NULL,
  PRIMARY KEY (account_key, hour, visitor_id, channel, landing_path, referrer_host)
);

CREATE TABLE rollup_items (
  account_key    integer NOT NULL REFERENCES accounts (key),
  hour           bigint NOT NULL,
  events         bigint NOT NULL,
  conversions    bigint NOT NULL,
  revenue_units  bigint NOT NULL,
  revenue_micros bigint NOT NULL,
  PRIMARY KEY (account_key, hour)
);

CREATE TABLE session_spans (
  account_key integer PRIMARY KEY REFERENCES accounts (key),
  max_span    bigint NOT NULL
);

INSERT INTO rollup_sessions (account_key, hour, visitor_id, channel, landing_path, referrer_host, sessions)
  SELECT account_key, started_at / 3600000, visitor_id, coalesce(channel, ''),
    CASE WHEN landing_url IS NULL THEN '' ELSE coalesce(substring((CASE WHEN strpos((landing_url COLLATE "C"), '://') > 0 THEN substr((landing_url COLLATE "C"), strpos((landing_url COLLATE "C"), '://') + 3) ELSE (landing_url COLLATE "C") END) from '/[^?#]*'), '/') END,
    CASE WHEN referrer IS NULL OR referrer = '' THEN '' ELSE lower(substring((CASE WHEN strpos((referrer COLLATE "C"), '://') > 0 THEN substr((referrer COLLATE "C"), strpos((referrer COLLATE "C"), '://') + 3) ELSE (referrer COLLATE "C") END) from '^[^/?#]*')) END,
    COUNT(*)
  FROM sessions GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO rollup_items (account_key, hour, events, conversions, revenue_units, revenue_micros)
  SELECT account_key, hour, SUM(events), SUM(conversions), SUM(units), SUM(micros) FROM (
    SELECT account_key, occurred_at / 3600000 AS hour, COUNT(*) AS events, 0 AS conversions, 0 AS units, 0 AS micros
      FROM events GROUP BY 1, 2
    UNION ALL
    SELECT account_key, occurred_at / 3600000, 0, COUNT(*),
      COALESCE(SUM(trunc(revenue)::bigint), 0),
      COALESCE(SUM(round((revenue - trunc(revenue)) * 1000000)::bigint), 0)
      FROM conversions GROUP BY 1, 2) AS items
  GROUP BY account_key, hour;

INSERT INTO session_spans (account_key, max_span)
  SELECT account_key, MAX(last_seen_at - started_at) FROM sessions GROUP BY account_key;

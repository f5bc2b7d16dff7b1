-- Rollups: the read model that stats, the time series, top lists and sessions by channel read
-- (docs/read-model.md). Maintained in the transaction that stores the facts (apply-processed.ts);
-- this migration builds them from the rows already stored.
--
-- rollup_sessions: sessions by the UTC hour they started in (started_at / 3600000), their visitor
-- and their landing's dimensions; '' stands for none (no channel, no landing url, no referrer host),
-- since NULL cannot take part in the ON CONFLICT key. The path and host are the expressions of
-- src/queries/dashboard/url-parts.ts, so they equal what the raw queries compute.
CREATE TABLE rollup_sessions (
  account_key   INTEGER NOT NULL REFERENCES accounts (key),
  hour          INTEGER NOT NULL,
  visitor_id    TEXT NOT NULL,
  channel       TEXT NOT NULL,
  landing_path  TEXT NOT NULL,
  referrer_host TEXT NOT NULL,
  sessions      INTEGER NOT NULL,
  PRIMARY KEY (account_key, hour, visitor_id, channel, landing_path, referrer_host)
) STRICT, WITHOUT ROWID;

-- rollup_items: events, conversions and revenue (whole units + micro-unit remainders, see
-- revenue-sum.ts) by the UTC hour they happened in.
CREATE TABLE rollup_items (
  account_key    INTEGER NOT NULL REFERENCES accounts (key),
  hour           INTEGER NOT NULL,
  events         INTEGER NOT NULL,
  conversions    INTEGER NOT NULL,
  revenue_units  INTEGER NOT NULL,
  revenue_micros INTEGER NOT NULL,
  PRIMARY KEY (account_key, hour)
) STRICT, WITHOUT ROWID;

-- The longest session span (last_seen_at - started_at) of each account: it bounds the raw scans
-- for the partial hours at a range's edges. Spans only grow, so it only grows.
CREATE TABLE session_spans (
  account_key INTEGER PRIMARY KEY REFERENCES accounts (key),
  max_span    INTEGER NOT NULL
) STRICT;

INSERT INTO rollup_sessions (account_key, hour, visitor_id, channel, landing_path, referrer_host, sessions)
  SELECT account_key, started_at / 3600000, visitor_id, coalesce(channel, ''),
    CASE WHEN landing_url IS NULL THEN '' ELSE coalesce(nullif(substr(substr(substr(landing_url, CASE WHEN instr(landing_url, '://') > 0 THEN instr(landing_url, '://') + 3 ELSE 1 END), instr(substr(landing_url, CASE WHEN instr(landing_url, '://') > 0 THEN instr(landing_url, '://') + 3 ELSE 1 END) || '/', '/')), 1, min(instr(substr(substr(landing_url, CASE WHEN instr(landing_url, '://') > 0 THEN instr(landing_url, '://') + 3 ELSE 1 END), instr(substr(landing_url, CASE WHEN instr(landing_url, '://') > 0 THEN instr(landing_url, '://') + 3 ELSE 1 END) || '/', '/')) || '?', '?'), instr(substr(substr(landing_url, CASE WHEN instr(landing_url, '://') > 0 THEN instr(landing_url, '://') + 3 ELSE 1 END), instr(substr(landing_url, CASE WHEN instr(landing_url, '://') > 0 THEN instr(landing_url, '://') + 3 ELSE 1 END) || '/', '/')) || '#', '#')) - 1), ''), '/') END,
    CASE WHEN referrer IS NULL OR referrer = '' THEN '' ELSE lower(substr(substr(referrer, CASE WHEN instr(referrer, '://') > 0 THEN instr(referrer, '://') + 3 ELSE 1 END), 1, min(instr(substr(referrer, CASE WHEN instr(referrer, '://') > 0 THEN instr(referrer, '://') + 3 ELSE 1 END) || '/', '/'), instr(substr(referrer, CASE WHEN instr(referrer, '://') > 0 THEN instr(referrer, '://') + 3 ELSE 1 END) || '?', '?'), instr(substr(referrer, CASE WHEN instr(referrer, '://') > 0 THEN instr(referrer, '://') + 3 ELSE 1 END) || '#', '#')) - 1)) END,
    COUNT(*)
  FROM sessions GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO rollup_items (account_key, hour, events, conversions, revenue_units, revenue_micros)
  SELECT account_key, hour, SUM(events), SUM(conversions), SUM(units), SUM(micros) FROM (
    SELECT account_key, occurred_at / 3600000 AS hour, COUNT(*) AS events, 0 AS conversions, 0 AS units, 0 AS micros
      FROM events GROUP BY 1, 2
    UNION ALL
    SELECT account_key, occurred_at / 3600000, 0, COUNT(*),
      COALESCE(SUM(CAST(revenue AS INTEGER)), 0),
      COALESCE(SUM(CAST(ROUND((revenue - CAST(revenue AS INTEGER)) * 1000000) AS INTEGER)), 0)
      FROM conversions GROUP BY 1, 2)
  GROUP BY account_key, hour;

INSERT INTO session_spans (account_key, max_span)
  SELECT account_key, MAX(last_seen_at - started_at) FROM sessions GROUP BY account_key;

-- As on SQLite (its 010 migration): visitor-free rollups with exact distinct visitors (docs/read-model.md). rollup_sessions kept the
-- visitor in its key, so it had about one row per session and reads were barely faster than raw.
--
-- rollup_dims: sessions by the UTC hour they started in, one dimension at a time, no visitor:
-- dim 0 = all sessions (value ''), 1 = landing path, 2 = referrer host (none: no row), 3 = channel
-- ('' for none). Each report reads only its own dimension: a few rows per hour.
CREATE TABLE rollup_dims (
  account_key integer NOT NULL REFERENCES accounts (key),
  dim         integer NOT NULL,
  hour        bigint NOT NULL,
  value       text COLLATE "C" NOT NULL,
  sessions    integer NOT NULL,
  PRIMARY KEY (account_key, dim, hour, value)
);

-- visitor_hours: the hours each visitor started sessions in (sessions: how many), per dimension:
-- dim 0 = all sessions (value ''), 1 = landing path, 2 = referrer host (none: no row). Only writes
-- read it (to find a visitor's previous and next hour), and the edge scans (to tell whether a
-- visitor was already counted in the whole hours).
CREATE TABLE visitor_hours (
  account_key integer NOT NULL REFERENCES accounts (key),
  dim         integer NOT NULL,
  value       text COLLATE "C" NOT NULL,
  visitor_id  text COLLATE "C" NOT NULL,
  hour        bigint NOT NULL,
  sessions    integer NOT NULL,
  PRIMARY KEY (account_key, dim, value, visitor_id, hour)
);

-- visitor_gaps: how many visitors have a visitor_hours row at `hour` whose previous row (same
-- account, dim, value) is at prev_hour (-1: none). Distinct visitors over whole hours [h1, h2) =
-- SUM(visitors) WHERE hour >= h1 AND hour < h2 AND prev_hour < h1: each visitor counts at its
-- first hour inside the range, exactly once.
CREATE TABLE visitor_gaps (
  account_key integer NOT NULL REFERENCES accounts (key),
  dim         integer NOT NULL,
  hour        bigint NOT NULL,
  value       text COLLATE "C" NOT NULL,
  prev_hour   bigint NOT NULL,
  visitors    integer NOT NULL,
  PRIMARY KEY (account_key, dim, hour, value, prev_hour)
);

INSERT INTO rollup_dims (account_key, dim, hour, value, sessions)
  SELECT account_key, 0, hour, '', SUM(sessions)::integer FROM rollup_sessions GROUP BY account_key, hour;
INSERT INTO rollup_dims (account_key, dim, hour, value, sessions)
  SELECT account_key, 1, hour, landing_path, SUM(sessions)::integer FROM rollup_sessions
  WHERE landing_path <> '' GROUP BY account_key, hour, landing_path;
INSERT INTO rollup_dims (account_key, dim, hour, value, sessions)
  SELECT account_key, 2, hour, referrer_host, SUM(sessions)::integer FROM rollup_sessions
  WHERE referrer_host <> '' GROUP BY account_key, hour, referrer_host;
INSERT INTO rollup_dims (account_key, dim, hour, value, sessions)
  SELECT account_key, 3, hour, channel, SUM(sessions)::integer FROM rollup_sessions GROUP BY account_key, hour, channel;

INSERT INTO visitor_hours (account_key, dim, value, visitor_id, hour, sessions)
  SELECT account_key, 0, '', visitor_id, hour, SUM(sessions)::integer FROM rollup_sessions GROUP BY account_key, visitor_id, hour;
INSERT INTO visitor_hours (account_key, dim, value, visitor_id, hour, sessions)
  SELECT account_key, 1, landing_path, visitor_id, hour, SUM(sessions)::integer FROM rollup_sessions
  WHERE landing_path <> '' GROUP BY account_key, landing_path, visitor_id, hour;
INSERT INTO visitor_hours (account_key, dim, value, visitor_id, hour, sessions)
  SELECT account_key, 2, referrer_host, visitor_id, hour, SUM(sessions)::integer FROM rollup_sessions
  WHERE referrer_host <> '' GROUP BY account_key, referrer_host, visitor_id, hour;

INSERT INTO visitor_gaps (account_key, dim, hour, value, prev_hour, visitors)
  SELECT account_key, dim, hour, value, prev_hour, COUNT(*)::integer FROM (
    SELECT account_key, dim, hour, value,
      COALESCE(LAG(hour) OVER (PARTITION BY account_key, dim, value, visitor_id ORDER BY hour), -1) AS prev_hour
    FROM visitor_hours) AS x
  GROUP BY 1, 2, 3, 4, 5;

DROP TABLE rollup_sessions;

-- Statistics now, not whenever autovacuum gets to it: without them the planner took the edge scans'
-- one-row probes into visitor_hours for a scan of the whole table (55 s instead of 59 ms, measured).
ANALYZE rollup_dims;
ANALYZE visitor_hours;
ANALYZE visitor_gaps;

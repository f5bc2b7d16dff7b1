-- Markov's path steps as a read model (docs/read-model.md, "Aggregated path steps"): every session
-- counted by its start day, its channel, and its visitor's previous session's start day and channel
-- (path_steps), and by its visitor's next session's start day (path_ends). A window's counted steps
-- come from these rows for the days wholly inside it and from raw sessions on its two edge days
-- (attribution/path-step-counts.ts), instead of a window function over every session of the window.
-- Days are UTC day numbers (started_at / 86400000); -1 stands for no previous / next session and
-- '' for no channel or no previous session, since NULL cannot take part in the ON CONFLICT key.
-- Maintained in the transaction that stores the sessions (rollups/write-path-steps.ts); this
-- migration builds them from the rows already stored, in path order (start, then id).
CREATE TABLE path_steps (
  account_key  INTEGER NOT NULL REFERENCES accounts (key),
  day          INTEGER NOT NULL,
  prev_day     INTEGER NOT NULL,
  prev_channel TEXT NOT NULL,
  channel      TEXT NOT NULL,
  sessions     INTEGER NOT NULL,
  PRIMARY KEY (account_key, day, prev_day, prev_channel, channel)
) STRICT, WITHOUT ROWID;

CREATE TABLE path_ends (
  account_key INTEGER NOT NULL REFERENCES accounts (key),
  day         INTEGER NOT NULL,
  next_day    INTEGER NOT NULL,
  channel     TEXT NOT NULL,
  sessions    INTEGER NOT NULL,
  PRIMARY KEY (account_key, day, next_day, channel)
) STRICT, WITHOUT ROWID;

CREATE TEMP TABLE path_backfill AS
  SELECT account_key, started_at / 86400000 AS day, coalesce(channel, '') AS channel,
    coalesce(LAG(started_at) OVER w / 86400000, -1) AS prev_day,
    CASE WHEN LAG(started_at) OVER w IS NULL THEN '' ELSE coalesce(LAG(channel) OVER w, '') END AS prev_channel,
    coalesce(LEAD(started_at) OVER w / 86400000, -1) AS next_day
  FROM sessions WINDOW w AS (PARTITION BY account_key, visitor_id ORDER BY started_at, id);
INSERT INTO path_steps (account_key, day, prev_day, prev_channel, channel, sessions)
  SELECT account_key, day, prev_day, prev_channel, channel, COUNT(*) FROM path_backfill
  GROUP BY account_key, day, prev_day, prev_channel, channel;
INSERT INTO path_ends (account_key, day, next_day, channel, sessions)
  SELECT account_key, day, next_day, channel, COUNT(*) FROM path_backfill GROUP BY account_key, day, next_day, channel;
DROP TABLE path_backfill;

-- SDK delivery health: the cumulative counters each SDK instance sends with its batches (sdk.health),
-- kept as one row per account, instance and hour holding that hour's latest report. Counters only
-- grow per instance, so a window's change is its latest row minus the last row before it.
CREATE TABLE sdk_health (
  account_key     INTEGER NOT NULL REFERENCES accounts (key),
  instance_id     TEXT NOT NULL,
  hour            INTEGER NOT NULL, -- floor(reported_at / 3600000)
  reported_at     INTEGER NOT NULL,
  sdk             TEXT NOT NULL,    -- "name/version"
  delivered       INTEGER NOT NULL,
  retries         INTEGER NOT NULL,
  auth_failures   INTEGER NOT NULL,
  dropped         INTEGER NOT NULL,
  navigations     INTEGER NOT NULL,
  bot_navigations INTEGER NOT NULL,
  PRIMARY KEY (account_key, instance_id, hour)
) STRICT, WITHOUT ROWID;
CREATE INDEX sdk_health_by_time ON sdk_health (account_key, reported_at);

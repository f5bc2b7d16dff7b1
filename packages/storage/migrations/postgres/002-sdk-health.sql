-- SDK delivery health: the mirror of migrations/sqlite/002-sdk-health.sql. The cumulative counters
-- each SDK instance sends with its batches (sdk.health), kept as one row per account, instance and
-- hour holding that hour's latest report. Counters only grow per instance, so a window's change is
-- its latest row minus the last row before it. Counters are bigint, as SQLite's 64-bit INTEGER.
CREATE TABLE sdk_health (
  account_key     integer NOT NULL REFERENCES accounts (key),
  instance_id     text COLLATE "C" NOT NULL,
  hour            bigint NOT NULL, -- floor(reported_at / 3600000)
  reported_at     bigint NOT NULL,
  sdk             text NOT NULL,   -- "name/version"
  delivered       bigint NOT NULL,
  retries         bigint NOT NULL,
  auth_failures   bigint NOT NULL,
  dropped         bigint NOT NULL,
  navigations     bigint NOT NULL,
  bot_navigations bigint NOT NULL,
  PRIMARY KEY (account_key, instance_id, hour)
);
CREATE INDEX sdk_health_by_time ON sdk_health (account_key, reported_at);

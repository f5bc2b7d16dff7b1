-- Initial schema: accounts, API keys, the durable inbox and the processed data, every row scoped by account.
-- Times are integer milliseconds since the Unix epoch. JSON columns hold text written by the pipeline.

CREATE TABLE accounts (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE api_keys (
  id         TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  prefix     TEXT NOT NULL,
  hash       TEXT NOT NULL UNIQUE,
  mode       TEXT NOT NULL CHECK (mode IN ('live', 'test')),
  scopes     TEXT NOT NULL, -- JSON array of 'ingest' | 'read'
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
) STRICT;
CREATE INDEX api_keys_by_account ON api_keys (account_id, created_at);

-- The inbox: every acknowledged item, exactly once per (account, item id), until a worker finishes it.
-- seq is the rowid: appends are cheap and it orders claims by arrival.
CREATE TABLE inbox (
  seq          INTEGER PRIMARY KEY,
  account_id   TEXT NOT NULL REFERENCES accounts (id),
  item_id      TEXT NOT NULL,
  type         TEXT NOT NULL,
  payload      TEXT NOT NULL,
  received_at  INTEGER NOT NULL,
  status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  leased_until INTEGER,
  error        TEXT,
  UNIQUE (account_id, item_id)
) STRICT;
-- Claims walk pending rows in seq order and health counts them. Partial indexes: a finished row
-- (almost every row, over time) leaves the index instead of moving within it, so the index stays
-- the size of the backlog and marking a row done costs one index delete, not a delete and insert.
CREATE INDEX inbox_pending ON inbox (seq) WHERE status = 'pending';
CREATE INDEX inbox_dead ON inbox (seq) WHERE status = 'dead';

-- Small rows looked up only by key: WITHOUT ROWID stores them in the key's own b-tree.
CREATE TABLE visitors (
  account_id    TEXT NOT NULL REFERENCES accounts (id),
  id            TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL,
  PRIMARY KEY (account_id, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE sessions (
  account_id     TEXT NOT NULL REFERENCES accounts (id),
  id             TEXT NOT NULL,
  visitor_id     TEXT NOT NULL,
  started_at     INTEGER NOT NULL,
  last_seen_at   INTEGER NOT NULL,
  landing_url    TEXT,
  landing_host   TEXT,
  referrer       TEXT,
  channel        TEXT,
  utm            TEXT NOT NULL DEFAULT '{}', -- JSON object
  click_ids      TEXT NOT NULL DEFAULT '{}', -- JSON object
  event_count    INTEGER NOT NULL DEFAULT 0,
  pageview_count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, id)
) STRICT;
CREATE INDEX sessions_by_visitor ON sessions (account_id, visitor_id, started_at);
-- Covers the stats query (sessions active in a range) without touching the table.
CREATE INDEX sessions_by_activity ON sessions (account_id, last_seen_at, started_at, visitor_id);

CREATE TABLE events (
  account_id  TEXT NOT NULL REFERENCES accounts (id),
  id          TEXT NOT NULL,
  type        TEXT NOT NULL,
  name        TEXT,
  visitor_id  TEXT NOT NULL,
  session_id  TEXT,
  occurred_at INTEGER NOT NULL,
  url         TEXT,
  properties  TEXT NOT NULL DEFAULT '{}', -- JSON object
  PRIMARY KEY (account_id, id)
) STRICT;
CREATE INDEX events_by_session ON events (account_id, session_id, occurred_at);
CREATE INDEX events_by_visitor ON events (account_id, visitor_id, occurred_at);
CREATE INDEX events_by_time ON events (account_id, occurred_at);

CREATE TABLE conversions (
  account_id  TEXT NOT NULL REFERENCES accounts (id),
  id          TEXT NOT NULL,
  name        TEXT NOT NULL,
  visitor_id  TEXT NOT NULL,
  session_id  TEXT,
  occurred_at INTEGER NOT NULL,
  revenue     REAL,
  currency    TEXT,
  properties  TEXT NOT NULL DEFAULT '{}', -- JSON object
  PRIMARY KEY (account_id, id)
) STRICT;
-- Includes revenue so the stats sum is answered from the index alone.
CREATE INDEX conversions_by_time ON conversions (account_id, occurred_at, revenue);

-- Which user ids a visitor has been identified as; occurred_at is when the pair was first seen.
CREATE TABLE identities (
  account_id  TEXT NOT NULL REFERENCES accounts (id),
  user_id     TEXT NOT NULL,
  visitor_id  TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  traits      TEXT NOT NULL DEFAULT '{}', -- JSON object
  PRIMARY KEY (account_id, user_id, visitor_id)
) STRICT;
CREATE INDEX identities_by_visitor ON identities (account_id, visitor_id, occurred_at);

-- Initial schema: accounts, API keys, the durable inbox and the processed data, every row scoped by account.
-- Times are integer milliseconds since the Unix epoch. JSON columns hold text written by the pipeline.

-- key is a compact surrogate (the rowid) that every data table and index stores instead of the
-- 36-character id: half the bytes per index entry on the hot paths. Queries take the account id
-- and resolve it with (SELECT key FROM accounts WHERE id = ?), so the key never leaves storage.
CREATE TABLE accounts (
  key        INTEGER PRIMARY KEY,
  id         TEXT NOT NULL UNIQUE,
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

-- The inbox: every acknowledged item, exactly once per (account, item id). seq is the rowid:
-- appends are cheap and it orders claims by arrival. A row is written once and never updated:
-- its work state lives in the narrow tables below, so claiming and finishing it never rewrite
-- (and never re-log to the WAL) its payload. The row stays after processing: its
-- (account, item id) key is what makes a retried request a duplicate.
CREATE TABLE inbox (
  seq          INTEGER PRIMARY KEY,
  account_key  INTEGER NOT NULL REFERENCES accounts (key),
  item_id      TEXT NOT NULL,
  type         TEXT NOT NULL,
  payload      TEXT NOT NULL,
  received_at  INTEGER NOT NULL,
  UNIQUE (account_key, item_id)
) STRICT;

-- One small row per inbox row still to be processed (leased or not); finishing a row deletes it.
-- So this table is the size of the backlog, a claim rewrites ~20 bytes per row, and "still
-- pending?" is one rowid lookup. seq references inbox (seq); rows enter only through the trigger below.
CREATE TABLE inbox_pending (
  seq          INTEGER PRIMARY KEY,
  attempts     INTEGER NOT NULL DEFAULT 0,
  leased_until INTEGER
) STRICT;

-- Dead-lettered inbox rows and why; the payload stays in inbox.
CREATE TABLE inbox_dead (
  seq   INTEGER PRIMARY KEY,
  error TEXT NOT NULL
) STRICT;

-- Every inbox row starts pending, in the same statement that stores it, whoever inserts it.
CREATE TRIGGER inbox_enqueue AFTER INSERT ON inbox BEGIN
  INSERT INTO inbox_pending (seq) VALUES (new.seq);
END;

-- Small rows looked up only by key: WITHOUT ROWID stores them in the key's own b-tree.
CREATE TABLE visitors (
  account_key   INTEGER NOT NULL REFERENCES accounts (key),
  id            TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL,
  last_seen_at  INTEGER NOT NULL,
  PRIMARY KEY (account_key, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE sessions (
  account_key    INTEGER NOT NULL REFERENCES accounts (key),
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
  PRIMARY KEY (account_key, id)
) STRICT;
CREATE INDEX sessions_by_visitor ON sessions (account_key, visitor_id, started_at);
-- Covers the stats query (sessions active in a range) without touching the table.
CREATE INDEX sessions_by_activity ON sessions (account_key, last_seen_at, started_at, visitor_id);

CREATE TABLE events (
  account_key INTEGER NOT NULL REFERENCES accounts (key),
  id          TEXT NOT NULL,
  type        TEXT NOT NULL,
  name        TEXT,
  visitor_id  TEXT NOT NULL,
  session_id  TEXT,
  occurred_at INTEGER NOT NULL,
  url         TEXT,
  properties  TEXT NOT NULL DEFAULT '{}', -- JSON object
  PRIMARY KEY (account_key, id)
) STRICT;
CREATE INDEX events_by_visitor ON events (account_key, visitor_id, occurred_at);
CREATE INDEX events_by_time ON events (account_key, occurred_at);

CREATE TABLE conversions (
  account_key INTEGER NOT NULL REFERENCES accounts (key),
  id          TEXT NOT NULL,
  name        TEXT NOT NULL,
  visitor_id  TEXT NOT NULL,
  session_id  TEXT,
  occurred_at INTEGER NOT NULL,
  revenue     REAL,
  currency    TEXT,
  properties  TEXT NOT NULL DEFAULT '{}', -- JSON object
  PRIMARY KEY (account_key, id)
) STRICT;
-- Includes revenue so the stats sum is answered from the index alone.
CREATE INDEX conversions_by_time ON conversions (account_key, occurred_at, revenue);

-- Which user ids a visitor has been identified as; occurred_at is when the pair was first seen.
CREATE TABLE identities (
  account_key INTEGER NOT NULL REFERENCES accounts (key),
  user_id     TEXT NOT NULL,
  visitor_id  TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  traits      TEXT NOT NULL DEFAULT '{}', -- JSON object
  PRIMARY KEY (account_key, user_id, visitor_id)
) STRICT;
CREATE INDEX identities_by_visitor ON identities (account_key, visitor_id, occurred_at);

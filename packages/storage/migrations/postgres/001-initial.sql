-- Initial PostgreSQL schema: the mirror of migrations/sqlite/001-initial.sql, every row scoped by account.
-- Identifier columns sort bytewise (COLLATE "C", as SQLite does), whatever the database's locale.
-- Times are bigint milliseconds since the Unix epoch. JSON columns hold text written by the pipeline,
-- kept byte for byte (jsonb would reorder keys and change what the inbox stored).

-- key is a compact surrogate that every data table and index stores instead of the 36-character
-- id. Queries take the account id and resolve it with (SELECT key FROM accounts WHERE id = $n),
-- so the key never leaves storage.
CREATE TABLE accounts (
  key        integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id         text COLLATE "C" NOT NULL UNIQUE,
  name       text COLLATE "C" NOT NULL UNIQUE,
  created_at bigint NOT NULL
);

CREATE TABLE api_keys (
  id         text COLLATE "C" PRIMARY KEY,
  account_id text COLLATE "C" NOT NULL REFERENCES accounts (id),
  prefix     text NOT NULL,
  hash       text NOT NULL UNIQUE,
  mode       text NOT NULL CHECK (mode IN ('live', 'test')),
  scopes     text NOT NULL, -- JSON array of 'ingest' | 'read'
  created_at bigint NOT NULL,
  revoked_at bigint
);
CREATE INDEX api_keys_by_account ON api_keys (account_id, created_at);

-- Time partitioning. The two tables that grow with traffic, inbox (by received_at) and events (by
-- occurred_at), are partitioned by month (UTC), so retention drops whole partitions instead of
-- deleting rows. Storage.maintain() creates the partitions ahead of time and drops the expired
-- ones; a DEFAULT partition takes any row outside the created months (a clock far off, an old
-- import) so no insert ever fails for want of a partition.

-- The inbox's dedupe key. PostgreSQL enforces a unique constraint on a partitioned table only if it
-- includes the partition key, and a retried request arrives with a new received_at: so
-- (account, item id) lives in this small unpartitioned table, claimed first by insertInbox, and
-- the inbox row is written only for keys that were new. Retention deletes keys as old as the
-- dropped partitions: the collector rejects items that old (maxPastAgeMs) anyway.
CREATE TABLE inbox_keys (
  account_key integer NOT NULL REFERENCES accounts (key),
  item_id     text COLLATE "C" NOT NULL,
  received_at bigint NOT NULL,
  PRIMARY KEY (account_key, item_id)
);
CREATE INDEX inbox_keys_by_time ON inbox_keys (received_at);

-- The inbox: every acknowledged item, once per (account, item id) (see inbox_keys). seq orders
-- claims by arrival. A row is written once and never updated: its work state lives in
-- inbox_pending, so claiming and finishing it never rewrite (and never re-log to the WAL) its payload.
CREATE SEQUENCE inbox_seq AS bigint;
CREATE TABLE inbox (
  seq          bigint NOT NULL DEFAULT nextval('inbox_seq'),
  account_key  integer NOT NULL REFERENCES accounts (key),
  item_id      text COLLATE "C" NOT NULL,
  type         text NOT NULL,
  payload      text NOT NULL,
  received_at  bigint NOT NULL,
  PRIMARY KEY (seq, received_at)
) PARTITION BY RANGE (received_at);
CREATE TABLE inbox_default PARTITION OF inbox DEFAULT;

-- One small row per inbox row still to be processed (leased or not); finishing a row deletes it.
-- Claimers lock these rows with FOR UPDATE SKIP LOCKED, so several collectors never wait on each
-- other's claims. received_at locates the inbox row's partition. Rows enter only through the trigger below.
CREATE TABLE inbox_pending (
  seq          bigint PRIMARY KEY,
  received_at  bigint NOT NULL,
  attempts     integer NOT NULL DEFAULT 0,
  leased_until bigint
);
CREATE INDEX inbox_pending_by_time ON inbox_pending (received_at);

-- Dead-lettered inbox rows and why; the payload stays in inbox (until retention drops its partition).
CREATE TABLE inbox_dead (
  seq         bigint PRIMARY KEY,
  received_at bigint NOT NULL,
  error       text NOT NULL
);

-- Every inbox row starts pending, in the same statement that stores it, whoever inserts it.
-- A statement-level trigger with a transition table: one INSERT ... SELECT per statement, not one per row.
CREATE FUNCTION inbox_enqueue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO inbox_pending (seq, received_at) SELECT seq, received_at FROM new_rows;
  RETURN NULL;
END
$$;
CREATE TRIGGER inbox_enqueue AFTER INSERT ON inbox
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION inbox_enqueue();

CREATE TABLE visitors (
  account_key   integer NOT NULL REFERENCES accounts (key),
  id            text COLLATE "C" NOT NULL,
  first_seen_at bigint NOT NULL,
  last_seen_at  bigint NOT NULL,
  PRIMARY KEY (account_key, id)
);

CREATE TABLE sessions (
  account_key    integer NOT NULL REFERENCES accounts (key),
  id             text COLLATE "C" NOT NULL,
  visitor_id     text COLLATE "C" NOT NULL,
  started_at     bigint NOT NULL,
  last_seen_at   bigint NOT NULL,
  landing_url    text,
  landing_host   text,
  referrer       text,
  channel        text,
  utm            text NOT NULL DEFAULT '{}', -- JSON object
  click_ids      text NOT NULL DEFAULT '{}', -- JSON object
  event_count    integer NOT NULL DEFAULT 0,
  pageview_count integer NOT NULL DEFAULT 0,
  PRIMARY KEY (account_key, id)
);
CREATE INDEX sessions_by_visitor ON sessions (account_key, visitor_id, started_at);
-- Covers the stats query (sessions active in a range) with an index-only scan.
CREATE INDEX sessions_by_activity ON sessions (account_key, last_seen_at, started_at, visitor_id);

-- Partitioned by occurred_at, so the primary key must include it. Deduplication does not rely on
-- it: an item reaches events only through the inbox, which already stores each (account, item id)
-- once, and a replayed inbox row carries the same payload, so the same occurred_at, and still
-- meets this key (ON CONFLICT DO NOTHING).
CREATE TABLE events (
  account_key integer NOT NULL REFERENCES accounts (key),
  id          text COLLATE "C" NOT NULL,
  type        text NOT NULL,
  name        text COLLATE "C",
  visitor_id  text COLLATE "C" NOT NULL,
  session_id  text COLLATE "C",
  occurred_at bigint NOT NULL,
  url         text,
  properties  text NOT NULL DEFAULT '{}', -- JSON object
  PRIMARY KEY (account_key, id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE TABLE events_default PARTITION OF events DEFAULT;
CREATE INDEX events_by_visitor ON events (account_key, visitor_id, occurred_at);
CREATE INDEX events_by_time ON events (account_key, occurred_at);

CREATE TABLE conversions (
  account_key integer NOT NULL REFERENCES accounts (key),
  id          text COLLATE "C" NOT NULL,
  name        text COLLATE "C" NOT NULL,
  visitor_id  text COLLATE "C" NOT NULL,
  session_id  text COLLATE "C",
  occurred_at bigint NOT NULL,
  revenue     double precision,
  currency    text,
  properties  text NOT NULL DEFAULT '{}', -- JSON object
  PRIMARY KEY (account_key, id)
);
CREATE INDEX conversions_by_time ON conversions (account_key, occurred_at) INCLUDE (revenue);

-- Which user ids a visitor has been identified as; occurred_at is when the pair was first seen.
CREATE TABLE identities (
  account_key integer NOT NULL REFERENCES accounts (key),
  user_id     text COLLATE "C" NOT NULL,
  visitor_id  text COLLATE "C" NOT NULL,
  occurred_at bigint NOT NULL,
  traits      text NOT NULL DEFAULT '{}', -- JSON object
  PRIMARY KEY (account_key, user_id, visitor_id)
);
CREATE INDEX identities_by_visitor ON identities (account_key, visitor_id, occurred_at);

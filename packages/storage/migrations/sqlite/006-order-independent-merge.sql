-- Order-independent processing (DESIGN.md L12): a session's landing is the best of its landing
-- candidates by landing order (queries/processed/landing-order.ts), whatever order its items arrive
-- in, so the row keeps the winning candidate's order key: rank (session start 2 + pageview 1), time
-- and item id. Rows stored before this migration have a landing without a rank: the merge keeps
-- it as it is (the old rule) until `touchline repair-sessions` re-derives it from the inbox.
ALTER TABLE sessions ADD COLUMN landing_rank INTEGER;
ALTER TABLE sessions ADD COLUMN landing_at INTEGER;
ALTER TABLE sessions ADD COLUMN landing_item TEXT;

-- An identity pair keeps when it was first seen and the traits of its latest identify item: the
-- traits' time is kept to compare with. Stored traits came from the first item processed.
ALTER TABLE identities ADD COLUMN traits_at INTEGER NOT NULL DEFAULT 0;
UPDATE identities SET traits_at = occurred_at;

-- Where `touchline repair-sessions` stages the sessions it re-derives from processed inbox rows,
-- with the same columns and merge as sessions; empty outside a repair.
CREATE TABLE session_landing_repair (
  account_key    INTEGER NOT NULL REFERENCES accounts (key),
  id             TEXT NOT NULL,
  visitor_id     TEXT NOT NULL,
  started_at     INTEGER NOT NULL,
  last_seen_at   INTEGER NOT NULL,
  landing_url    TEXT,
  landing_host   TEXT,
  referrer       TEXT,
  channel        TEXT,
  utm            TEXT NOT NULL DEFAULT '{}',
  click_ids      TEXT NOT NULL DEFAULT '{}',
  landing_rank   INTEGER,
  landing_at     INTEGER,
  landing_item   TEXT,
  event_count    INTEGER NOT NULL DEFAULT 0,
  pageview_count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account_key, visitor_id, id)
) STRICT;

-- Order-independent processing (DESIGN.md L12), as on SQLite (see its 006 migration): sessions keep
-- their landing candidate's order key; rows stored before have none and keep their landing until
-- `touchline repair-sessions`. landing_item compares bytewise (COLLATE "C"), as in SQLite and JS.
ALTER TABLE sessions ADD COLUMN landing_rank integer;
ALTER TABLE sessions ADD COLUMN landing_at bigint;
ALTER TABLE sessions ADD COLUMN landing_item text COLLATE "C";

ALTER TABLE identities ADD COLUMN traits_at bigint NOT NULL DEFAULT 0;
UPDATE identities SET traits_at = occurred_at;

CREATE TABLE session_landing_repair (
  account_key    integer NOT NULL REFERENCES accounts (key),
  id             text COLLATE "C" NOT NULL,
  visitor_id     text COLLATE "C" NOT NULL,
  started_at     bigint NOT NULL,
  last_seen_at   bigint NOT NULL,
  landing_url    text,
  landing_host   text,
  referrer       text,
  channel        text,
  utm            text NOT NULL DEFAULT '{}',
  click_ids      text NOT NULL DEFAULT '{}',
  landing_rank   integer,
  landing_at     bigint,
  landing_item   text COLLATE "C",
  event_count    integer NOT NULL DEFAULT 0,
  pageview_count integer NOT NULL DEFAULT 0,
  PRIMARY KEY (account_key, visitor_id, id)
);

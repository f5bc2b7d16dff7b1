-- Materialized journeys (docs/read-model.md, "Materialized journeys"): each conversion's person's sessions
-- in its largest lookback, kept by a background refresher; journey_dirty holds the visitors whose
-- persons changed since (a mark per visitor, repeated marks bump its version). Reads build the persons
-- of marked visitors live, so answers never depend on the refresher's progress.
-- WITHOUT ROWID: a mark or a touch is one b-tree entry (its key), not a row plus a key index entry.
CREATE TABLE journey_touches (
  account_key    integer NOT NULL REFERENCES accounts (key),
  conversion_id  text NOT NULL,
  visitor_id     text NOT NULL,
  session_id     text NOT NULL,
  PRIMARY KEY (account_key, conversion_id, visitor_id, session_id)
) WITHOUT ROWID;
-- Erasure deletes a person's rows by visitor.
CREATE INDEX journey_touches_by_visitor ON journey_touches (account_key, visitor_id);

CREATE TABLE journey_dirty (
  account_key  integer NOT NULL REFERENCES accounts (key),
  visitor_id   text NOT NULL,
  -- Bumped by every mark: the refresher deletes a mark only at the version it read, so a mark written meanwhile survives.
  version      integer NOT NULL DEFAULT 1,
  PRIMARY KEY (account_key, visitor_id)
) WITHOUT ROWID;

-- Existing databases: every converting visitor is marked, and the refresher builds their journeys in
-- bounded steps (a kill loses nothing: unconsumed marks stay). Until then reads take the live path.
-- "Conversions of a person" reads conversions_by_visitor (migration 012).
INSERT INTO journey_dirty (account_key, visitor_id) SELECT DISTINCT account_key, visitor_id FROM conversions;

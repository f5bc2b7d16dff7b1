-- Sessions are keyed by (account, visitor, session id) instead of (account, session id), as on
-- SQLite (see its 004 migration): hash-derived session ids scattered every new session over the
-- key's index, while time-ordered visitor ids put new visitors' sessions at its right edge. The
-- key also serves "a visitor's sessions", so sessions_by_visitor goes.
ALTER TABLE sessions DROP CONSTRAINT sessions_pkey;
ALTER TABLE sessions ADD PRIMARY KEY (account_key, visitor_id, id);
DROP INDEX sessions_by_visitor;

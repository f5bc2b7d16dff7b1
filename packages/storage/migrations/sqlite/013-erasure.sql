-- Erasure (issue 20): tombstones that keep an erased person's late items out, and an audit of erasure requests.
--
-- A tombstone holds a SHA-256 digest of (account id, kind, id), never the id itself, so the raw
-- database holds no erased id after an erasure; the worker drops any item whose visitor id or user id
-- digests to a live tombstone, until expires_at (docs/privacy.md: at least the collector's oldest
-- accepted item age plus its future skew, after which a replayed item is refused as too old anyway).
CREATE TABLE erasure_tombstones (
  account_key INTEGER NOT NULL REFERENCES accounts (key),
  digest      TEXT NOT NULL,    -- hex SHA-256 of "<account id>\0<visitor|user>\0<id>"
  erased_at   INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  PRIMARY KEY (account_key, digest)
) STRICT, WITHOUT ROWID;
CREATE INDEX erasure_tombstones_by_expiry ON erasure_tombstones (expires_at);

-- One row per erasure request, kept: who asked (the API key's id, or 'cli'), when, for which kind
-- of subject, and how many rows of each table went. Never the subject's ids.
CREATE TABLE erasure_audit (
  id           TEXT PRIMARY KEY,
  account_key  INTEGER NOT NULL REFERENCES accounts (key),
  subject_kind TEXT NOT NULL CHECK (subject_kind IN ('visitor', 'user')),
  requested_by TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  counts       TEXT NOT NULL  -- JSON object: table -> rows removed
) STRICT;
CREATE INDEX erasure_audit_by_account ON erasure_audit (account_key, requested_at);

-- Erasure (issue 20): tombstones that keep an erased person's late items out, and an audit of erasure requests.
--
-- A tombstone holds a SHA-256 digest of (account id, kind, id), never the id itself, so the
-- database holds no erased id after an erasure; the worker drops any item whose visitor id or user id
-- digests to a live tombstone, until expires_at (docs/privacy.md).
CREATE TABLE erasure_tombstones (
  account_key integer NOT NULL REFERENCES accounts (key),
  digest      text COLLATE "C" NOT NULL, -- hex SHA-256 of "<account id>\0<visitor|user>\0<id>"
  erased_at   bigint NOT NULL,
  expires_at  bigint NOT NULL,
  PRIMARY KEY (account_key, digest)
);
CREATE INDEX erasure_tombstones_by_expiry ON erasure_tombstones (expires_at);

-- One row per erasure request, kept: who asked (the API key's id, or 'cli'), when, for which kind
-- of subject, and how many rows of each table went. Never the subject's ids.
CREATE TABLE erasure_audit (
  id           text COLLATE "C" PRIMARY KEY,
  account_key  integer NOT NULL REFERENCES accounts (key),
  subject_kind text NOT NULL CHECK (subject_kind IN ('visitor', 'user')),
  requested_by text NOT NULL,
  requested_at bigint NOT NULL,
  counts       text NOT NULL -- JSON object: table -> rows removed
);
CREATE INDEX erasure_audit_by_account ON erasure_audit (account_key, requested_at);

-- Dashboard users and roles (issue 20 item 5): named users (admin, or viewer of some accounts), one-time invitations, and the user a sign-in session belongs to.
--
-- The single admin password (TOUCHLINE_ADMIN_PASSWORD or admin_settings) stays: it signs in the
-- built-in admin, whose sessions have user_id NULL.
CREATE TABLE dashboard_users (
  id            TEXT PRIMARY KEY,
  login         TEXT NOT NULL UNIQUE,   -- lower-cased at the edge (e.g. an email address)
  role          TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),
  account_ids   TEXT NOT NULL,          -- JSON array of the account ids a viewer may read ('[]' for an admin)
  password_hash TEXT NOT NULL,          -- scrypt, as password-hash.ts writes it
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL
);

-- An invitation is stored by SHA-256 of its token (the link carries the token, the database never
-- does). used_at is set once, by the one acceptance that wins; user_id names the user it created.
CREATE TABLE dashboard_invitations (
  id          TEXT PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,
  login       TEXT,                     -- NULL: the invited person chooses their login name
  role        TEXT NOT NULL CHECK (role IN ('admin', 'viewer')),
  account_ids TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL,
  used_at     BIGINT,
  user_id     TEXT
);

-- NULL: a session of the built-in admin (signed in with the admin password alone).
ALTER TABLE dashboard_sessions ADD COLUMN user_id TEXT;
CREATE INDEX dashboard_sessions_by_user ON dashboard_sessions (user_id);

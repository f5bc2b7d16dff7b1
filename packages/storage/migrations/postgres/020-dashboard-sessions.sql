-- Dashboard sign-in sessions in the database (issue 20 item 5), so a restart signs no one out and
-- several collectors behind one address need no sticky sessions. Keyed by SHA-256 of the cookie's
-- token: the token itself is never stored, so a copy of the database signs no one in.
CREATE TABLE dashboard_sessions (
  token_hash  TEXT PRIMARY KEY,  -- base64url SHA-256 of the session cookie's token
  csrf_token  TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL
);
CREATE INDEX dashboard_sessions_by_expiry ON dashboard_sessions (expires_at);
CREATE INDEX dashboard_sessions_by_creation ON dashboard_sessions (created_at);

-- Dashboard and monitor state in the database (issue 20 item 5): sign-in sessions and announced integrity alerts, so a restart signs no one out and re-sends no alert, and several collectors share both.
--
-- Sessions are keyed by SHA-256 of the cookie's token: the token itself is never stored, so a copy
-- of the database signs no one in.
CREATE TABLE dashboard_sessions (
  token_hash  TEXT PRIMARY KEY,  -- base64url SHA-256 of the session cookie's token
  csrf_token  TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL
);
CREATE INDEX dashboard_sessions_by_expiry ON dashboard_sessions (expires_at);
CREATE INDEX dashboard_sessions_by_creation ON dashboard_sessions (created_at);

-- The integrity checks each account has in alert, as notified (issue 20 item 5): a row is the claim
-- "this alert was announced". The collector that inserts it sends the alert notice, the one that
-- deletes it sends the recovery, so a restart re-sends nothing and several collectors sharing the
-- database announce each transition once.
CREATE TABLE integrity_alert_states (
  account_key INTEGER NOT NULL REFERENCES accounts (key),
  check_id    TEXT NOT NULL,
  since       BIGINT NOT NULL,
  PRIMARY KEY (account_key, check_id)
);

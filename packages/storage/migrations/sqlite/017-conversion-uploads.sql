-- Conversions sent back to ad platforms (issue 21, item 4): per-account destinations and a delivery log.
-- Nothing is sent unless a destination exists and is enabled.
CREATE TABLE upload_destinations (
  account_key      INTEGER NOT NULL REFERENCES accounts (key),
  id               TEXT NOT NULL,
  name             TEXT NOT NULL,
  platform         TEXT NOT NULL CHECK (platform IN ('google_ads', 'meta')),
  endpoint_url     TEXT NOT NULL,
  token            TEXT NOT NULL,   -- the platform's access token; never returned in full by the API
  developer_token  TEXT,            -- Google Ads only
  conversion_action TEXT,           -- Google Ads only: customers/<id>/conversionActions/<id>
  conversion_types TEXT NOT NULL,   -- JSON array of conversion names to send
  send_user_data   INTEGER NOT NULL CHECK (send_user_data IN (0, 1)),
  enabled          INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  PRIMARY KEY (account_key, id)
) STRICT;

-- One row per (destination, conversion): the payload built once and sent as is on every retry, so
-- the platform's deduplication key (order_id / event_id = the conversion id) never changes.
CREATE TABLE upload_deliveries (
  account_key     INTEGER NOT NULL,
  destination_id  TEXT NOT NULL,
  conversion_id   TEXT NOT NULL,
  occurred_at     INTEGER NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  response_code   INTEGER,
  payload         TEXT NOT NULL,   -- JSON: one ClickConversion or one Meta server event ('{}' when skipped)
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  PRIMARY KEY (account_key, destination_id, conversion_id),
  FOREIGN KEY (account_key, destination_id) REFERENCES upload_destinations (account_key, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX upload_deliveries_due ON upload_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX upload_deliveries_log ON upload_deliveries (account_key, destination_id, updated_at);

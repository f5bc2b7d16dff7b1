-- Conversions sent back to ad platforms (issue 21, item 4): per-account destinations and a delivery log.
-- Nothing is sent unless a destination exists and is enabled.
CREATE TABLE upload_destinations (
  account_key      integer NOT NULL REFERENCES accounts (key),
  id               text NOT NULL,
  name             text NOT NULL,
  platform         text NOT NULL CHECK (platform IN ('google_ads', 'meta')),
  endpoint_url     text NOT NULL,
  token            text NOT NULL,   -- the platform's access token; never returned in full by the API
  developer_token  text,            -- Google Ads only
  conversion_action text,           -- Google Ads only: customers/<id>/conversionActions/<id>
  conversion_types text NOT NULL,   -- JSON array of conversion names to send
  send_user_data   boolean NOT NULL,
  enabled          boolean NOT NULL,
  created_at       bigint NOT NULL,
  updated_at       bigint NOT NULL,
  PRIMARY KEY (account_key, id)
);

-- One row per (destination, conversion): the payload built once and sent as is on every retry, so
-- the platform's deduplication key (order_id / event_id = the conversion id) never changes.
CREATE TABLE upload_deliveries (
  account_key     integer NOT NULL,
  destination_id  text NOT NULL,
  conversion_id   text NOT NULL,
  occurred_at     bigint NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'skipped')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at bigint NOT NULL,
  last_error      text,
  response_code   integer,
  payload         text NOT NULL,   -- JSON: one ClickConversion or one Meta server event ('{}' when skipped)
  created_at      bigint NOT NULL,
  updated_at      bigint NOT NULL,
  PRIMARY KEY (account_key, destination_id, conversion_id),
  FOREIGN KEY (account_key, destination_id) REFERENCES upload_destinations (account_key, id) ON DELETE CASCADE
);
CREATE INDEX upload_deliveries_due ON upload_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX upload_deliveries_log ON upload_deliveries (account_key, destination_id, updated_at);

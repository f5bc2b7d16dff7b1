-- Ad spend per day, channel and campaign (issue 21): imported, replaced on re-import of the same key, in integer micro-units.
CREATE TABLE ad_spend (
  account_key   INTEGER NOT NULL REFERENCES accounts (key),
  day           TEXT NOT NULL,               -- UTC calendar day, YYYY-MM-DD
  channel       TEXT NOT NULL,
  campaign      TEXT NOT NULL DEFAULT '',    -- '' = spend not tied to a campaign
  currency      TEXT NOT NULL,               -- ISO 4217, upper case
  amount_micros INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (account_key, day, channel, campaign)
) STRICT, WITHOUT ROWID;

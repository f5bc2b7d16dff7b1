-- Ad spend per day, channel and campaign (issue 21): imported, replaced on re-import of the same key, in integer micro-units.
CREATE TABLE ad_spend (
  account_key   integer NOT NULL REFERENCES accounts (key),
  day           date NOT NULL,
  channel       text NOT NULL,
  campaign      text NOT NULL DEFAULT '',
  currency      text NOT NULL,
  amount_micros bigint NOT NULL,
  updated_at    bigint NOT NULL,
  PRIMARY KEY (account_key, day, channel, campaign)
);

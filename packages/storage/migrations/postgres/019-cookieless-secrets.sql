-- Cookieless mode (issue 20 item 4): one random secret per account and day, keying the daily visitor hash.
--
-- The worker computes a cookieless visitor id as HMAC(secret of the item's UTC day, truncated IP,
-- user agent, site). A secret is created on first use and deleted once its day and the margin after
-- it have passed (expires_at): from then on nobody, the operator included, can recompute that day's
-- ids or link them to another day's. The secret is random bytes, never derived from anything.
CREATE TABLE cookieless_secrets (
  account_key integer NOT NULL REFERENCES accounts (key),
  day         integer NOT NULL,  -- days since 1970-01-01, UTC
  secret      text NOT NULL,     -- 32 random bytes, hex
  expires_at  bigint NOT NULL,   -- end of the day plus the collector's margin, epoch ms
  PRIMARY KEY (account_key, day)
);
CREATE INDEX cookieless_secrets_by_expiry ON cookieless_secrets (expires_at);

-- Goals and ordered funnels (issue 21, item 3): per-account definitions; reports are computed at query time from events and conversions.
-- A goal is one kind of item: a pageview whose URL path matches a pattern, an event by name, or a conversion by name.
CREATE TABLE goals (
  account_key INTEGER NOT NULL REFERENCES accounts (key),
  id          TEXT NOT NULL,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('pageview', 'event', 'conversion')),
  match       TEXT NOT NULL,   -- pageview: a path pattern ('*' any characters); event, conversion: the exact name
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (account_key, id)
) STRICT;

CREATE TABLE funnels (
  account_key INTEGER NOT NULL REFERENCES accounts (key),
  id          TEXT NOT NULL,
  name        TEXT NOT NULL,
  window_ms   INTEGER NOT NULL, -- every step must follow the first within this time
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (account_key, id)
) STRICT;

-- A funnel's steps in order. The goal reference is a real foreign key, so a goal a funnel uses
-- cannot be deleted from under it, whatever the order of concurrent requests.
CREATE TABLE funnel_steps (
  account_key INTEGER NOT NULL,
  funnel_id   TEXT NOT NULL,
  position    INTEGER NOT NULL,
  goal_id     TEXT NOT NULL,
  PRIMARY KEY (account_key, funnel_id, position),
  FOREIGN KEY (account_key, funnel_id) REFERENCES funnels (account_key, id) ON DELETE CASCADE,
  FOREIGN KEY (account_key, goal_id) REFERENCES goals (account_key, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX funnel_steps_by_goal ON funnel_steps (account_key, goal_id);

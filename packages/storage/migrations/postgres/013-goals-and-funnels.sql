-- Goals and ordered funnels (issue 21, item 3): per-account definitions; reports are computed at query time from events and conversions.
-- A goal is one kind of item: a pageview whose URL path matches a pattern, an event by name, or a conversion by name.
CREATE TABLE goals (
  account_key integer NOT NULL REFERENCES accounts (key),
  id          text NOT NULL,
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('pageview', 'event', 'conversion')),
  match       text NOT NULL,   -- pageview: a path pattern ('*' any characters); event, conversion: the exact name
  created_at  bigint NOT NULL,
  updated_at  bigint NOT NULL,
  PRIMARY KEY (account_key, id)
);

CREATE TABLE funnels (
  account_key integer NOT NULL REFERENCES accounts (key),
  id          text NOT NULL,
  name        text NOT NULL,
  window_ms   bigint NOT NULL, -- every step must follow the first within this time
  created_at  bigint NOT NULL,
  updated_at  bigint NOT NULL,
  PRIMARY KEY (account_key, id)
);

-- A funnel's steps in order. The goal reference is a real foreign key, so a goal a funnel uses
-- cannot be deleted from under it, whatever the order of concurrent requests.
CREATE TABLE funnel_steps (
  account_key integer NOT NULL,
  funnel_id   text NOT NULL,
  position    integer NOT NULL,
  goal_id     text NOT NULL,
  PRIMARY KEY (account_key, funnel_id, position),
  FOREIGN KEY (account_key, funnel_id) REFERENCES funnels (account_key, id) ON DELETE CASCADE,
  FOREIGN KEY (account_key, goal_id) REFERENCES goals (account_key, id)
);
CREATE INDEX funnel_steps_by_goal ON funnel_steps (account_key, goal_id);

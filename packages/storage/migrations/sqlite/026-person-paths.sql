-- Person paths (docs/read-model.md, "Person paths"): path_steps / path_ends count every visitor's
-- own path; a person of several visitors (linked by identify) walks one merged path. These rows are
-- each such person's correction, its merged path's rows minus its visitors' own rows (signed counts,
-- same columns as path_steps / path_ends), kept by the journey refresher from its walk of the person
-- and stored under the person's least visitor id (visitor_id, the anchor), so that a rebuild or an
-- erasure deletes a person's rows by its visitors. Markov adds them for every person not read live.
-- Existing databases: every visitor with an identity row is marked; the refresher builds the rows in
-- its bounded steps, and until then Markov reads those persons live (more than 1,000 marks: as before).
CREATE TABLE person_path_steps (
  account_key  INTEGER NOT NULL REFERENCES accounts (key),
  visitor_id   TEXT NOT NULL,
  day          INTEGER NOT NULL,
  prev_day     INTEGER NOT NULL,
  prev_channel TEXT NOT NULL,
  channel      TEXT NOT NULL,
  sessions     INTEGER NOT NULL,
  PRIMARY KEY (account_key, visitor_id, day, prev_day, prev_channel, channel)
) STRICT, WITHOUT ROWID;

CREATE TABLE person_path_ends (
  account_key INTEGER NOT NULL REFERENCES accounts (key),
  visitor_id  TEXT NOT NULL,
  day         INTEGER NOT NULL,
  next_day    INTEGER NOT NULL,
  channel     TEXT NOT NULL,
  sessions    INTEGER NOT NULL,
  PRIMARY KEY (account_key, visitor_id, day, next_day, channel)
) STRICT, WITHOUT ROWID;

INSERT INTO journey_dirty (account_key, visitor_id) SELECT DISTINCT account_key, visitor_id FROM identities WHERE true
  ON CONFLICT (account_key, visitor_id) DO UPDATE SET version = journey_dirty.version + 1, live = 0;

-- Person paths summed per day (docs/read-model.md, "Person paths"): Markov adds the person-path rows
-- of every person it does not read live, over the window's inner days. Summing them from
-- person_path_steps / person_path_ends read every person's rows of the account (hundreds of
-- thousands at 10M events) to leave out a few. These tables hold the same rows summed over persons,
-- so the read adds a few hundred day rows and takes away, by key, the rows of the persons it reads
-- live. Statement-level triggers keep them equal to the sums of the person rows, whoever writes or
-- deletes those (the refresher's rebuilds and drops, erasure), in the same transaction. Their
-- writers hold the account's erasure lock (shared, or exclusive for erasure) before the first
-- write, so two of them never take these rows' locks in opposite orders.
CREATE TABLE person_path_day_steps (
  account_key  integer NOT NULL REFERENCES accounts (key),
  day          integer NOT NULL,
  prev_day     integer NOT NULL,
  prev_channel text COLLATE "C" NOT NULL,
  channel      text COLLATE "C" NOT NULL,
  sessions     integer NOT NULL,
  PRIMARY KEY (account_key, day, prev_day, prev_channel, channel)
);

CREATE TABLE person_path_day_ends (
  account_key integer NOT NULL REFERENCES accounts (key),
  day         integer NOT NULL,
  next_day    integer NOT NULL,
  channel     text COLLATE "C" NOT NULL,
  sessions    integer NOT NULL,
  PRIMARY KEY (account_key, day, next_day, channel)
);

INSERT INTO person_path_day_steps (account_key, day, prev_day, prev_channel, channel, sessions)
  SELECT account_key, day, prev_day, prev_channel, channel, SUM(sessions) FROM person_path_steps
  GROUP BY account_key, day, prev_day, prev_channel, channel;
INSERT INTO person_path_day_ends (account_key, day, next_day, channel, sessions)
  SELECT account_key, day, next_day, channel, SUM(sessions) FROM person_path_ends
  GROUP BY account_key, day, next_day, channel;

-- One upsert per statement, rows in key order; the rows a statement removes count negative.
CREATE FUNCTION person_path_day_steps_sum() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO person_path_day_steps (account_key, day, prev_day, prev_channel, channel, sessions)
      SELECT account_key, day, prev_day, prev_channel, channel, SUM(sessions)
        FROM (SELECT account_key, day, prev_day, prev_channel, channel, sessions FROM new_rows
        ) AS d (account_key, day, prev_day, prev_channel, channel, sessions)
      GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (account_key, day, prev_day, prev_channel, channel)
        DO UPDATE SET sessions = person_path_day_steps.sessions + excluded.sessions;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO person_path_day_steps (account_key, day, prev_day, prev_channel, channel, sessions)
      SELECT account_key, day, prev_day, prev_channel, channel, SUM(sessions)
        FROM (SELECT account_key, day, prev_day, prev_channel, channel, -sessions FROM old_rows
        ) AS d (account_key, day, prev_day, prev_channel, channel, sessions)
      GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (account_key, day, prev_day, prev_channel, channel)
        DO UPDATE SET sessions = person_path_day_steps.sessions + excluded.sessions;
  ELSE
    INSERT INTO person_path_day_steps (account_key, day, prev_day, prev_channel, channel, sessions)
      SELECT account_key, day, prev_day, prev_channel, channel, SUM(sessions)
        FROM (SELECT account_key, day, prev_day, prev_channel, channel, sessions FROM new_rows
          UNION ALL SELECT account_key, day, prev_day, prev_channel, channel, -sessions FROM old_rows
        ) AS d (account_key, day, prev_day, prev_channel, channel, sessions)
      GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (account_key, day, prev_day, prev_channel, channel)
        DO UPDATE SET sessions = person_path_day_steps.sessions + excluded.sessions;
  END IF;
  RETURN NULL;
END
$$;
CREATE FUNCTION person_path_day_ends_sum() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO person_path_day_ends (account_key, day, next_day, channel, sessions)
      SELECT account_key, day, next_day, channel, SUM(sessions)
        FROM (SELECT account_key, day, next_day, channel, sessions FROM new_rows
        ) AS d (account_key, day, next_day, channel, sessions)
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (account_key, day, next_day, channel)
        DO UPDATE SET sessions = person_path_day_ends.sessions + excluded.sessions;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO person_path_day_ends (account_key, day, next_day, channel, sessions)
      SELECT account_key, day, next_day, channel, SUM(sessions)
        FROM (SELECT account_key, day, next_day, channel, -sessions FROM old_rows
        ) AS d (account_key, day, next_day, channel, sessions)
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (account_key, day, next_day, channel)
        DO UPDATE SET sessions = person_path_day_ends.sessions + excluded.sessions;
  ELSE
    INSERT INTO person_path_day_ends (account_key, day, next_day, channel, sessions)
      SELECT account_key, day, next_day, channel, SUM(sessions)
        FROM (SELECT account_key, day, next_day, channel, sessions FROM new_rows
          UNION ALL SELECT account_key, day, next_day, channel, -sessions FROM old_rows
        ) AS d (account_key, day, next_day, channel, sessions)
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT (account_key, day, next_day, channel)
        DO UPDATE SET sessions = person_path_day_ends.sessions + excluded.sessions;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER person_path_steps_in AFTER INSERT ON person_path_steps
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION person_path_day_steps_sum();
CREATE TRIGGER person_path_steps_out AFTER DELETE ON person_path_steps
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION person_path_day_steps_sum();
CREATE TRIGGER person_path_ends_in AFTER INSERT ON person_path_ends
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION person_path_day_ends_sum();
CREATE TRIGGER person_path_ends_out AFTER DELETE ON person_path_ends
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION person_path_day_ends_sum();
CREATE TRIGGER person_path_steps_change AFTER UPDATE ON person_path_steps
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION person_path_day_steps_sum();
CREATE TRIGGER person_path_ends_change AFTER UPDATE ON person_path_ends
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION person_path_day_ends_sum();

-- Person paths summed per day (docs/read-model.md, "Person paths"): Markov adds the person-path rows
-- of every person it does not read live, over the window's inner days. Summing them from
-- person_path_steps / person_path_ends read every person's rows of the account (hundreds of
-- thousands at 10M events) to leave out a few. These tables hold the same rows summed over persons,
-- so the read adds a few hundred day rows and takes away, by key, the rows of the persons it reads
-- live. Triggers keep them equal to the sums of the person rows, whoever writes or deletes those
-- (the refresher's rebuilds and drops, erasure), in the same transaction.
CREATE TABLE person_path_day_steps (
  account_key  INTEGER NOT NULL REFERENCES accounts (key),
  day          INTEGER NOT NULL,
  prev_day     INTEGER NOT NULL,
  prev_channel TEXT NOT NULL,
  channel      TEXT NOT NULL,
  sessions     INTEGER NOT NULL,
  PRIMARY KEY (account_key, day, prev_day, prev_channel, channel)
) STRICT, WITHOUT ROWID;

CREATE TABLE person_path_day_ends (
  account_key INTEGER NOT NULL REFERENCES accounts (key),
  day         INTEGER NOT NULL,
  next_day    INTEGER NOT NULL,
  channel     TEXT NOT NULL,
  sessions    INTEGER NOT NULL,
  PRIMARY KEY (account_key, day, next_day, channel)
) STRICT, WITHOUT ROWID;

INSERT INTO person_path_day_steps (account_key, day, prev_day, prev_channel, channel, sessions)
  SELECT account_key, day, prev_day, prev_channel, channel, SUM(sessions) FROM person_path_steps
  GROUP BY account_key, day, prev_day, prev_channel, channel;
INSERT INTO person_path_day_ends (account_key, day, next_day, channel, sessions)
  SELECT account_key, day, next_day, channel, SUM(sessions) FROM person_path_ends
  GROUP BY account_key, day, next_day, channel;

CREATE TRIGGER person_path_steps_in AFTER INSERT ON person_path_steps BEGIN
  INSERT INTO person_path_day_steps (account_key, day, prev_day, prev_channel, channel, sessions)
    VALUES (NEW.account_key, NEW.day, NEW.prev_day, NEW.prev_channel, NEW.channel, NEW.sessions)
    ON CONFLICT (account_key, day, prev_day, prev_channel, channel) DO UPDATE SET sessions = sessions + excluded.sessions;
END;
CREATE TRIGGER person_path_steps_out AFTER DELETE ON person_path_steps BEGIN
  INSERT INTO person_path_day_steps (account_key, day, prev_day, prev_channel, channel, sessions)
    VALUES (OLD.account_key, OLD.day, OLD.prev_day, OLD.prev_channel, OLD.channel, -OLD.sessions)
    ON CONFLICT (account_key, day, prev_day, prev_channel, channel) DO UPDATE SET sessions = sessions + excluded.sessions;
END;
CREATE TRIGGER person_path_steps_change AFTER UPDATE ON person_path_steps BEGIN
  INSERT INTO person_path_day_steps (account_key, day, prev_day, prev_channel, channel, sessions)
    VALUES (OLD.account_key, OLD.day, OLD.prev_day, OLD.prev_channel, OLD.channel, -OLD.sessions)
    ON CONFLICT (account_key, day, prev_day, prev_channel, channel) DO UPDATE SET sessions = sessions + excluded.sessions;
  INSERT INTO person_path_day_steps (account_key, day, prev_day, prev_channel, channel, sessions)
    VALUES (NEW.account_key, NEW.day, NEW.prev_day, NEW.prev_channel, NEW.channel, NEW.sessions)
    ON CONFLICT (account_key, day, prev_day, prev_channel, channel) DO UPDATE SET sessions = sessions + excluded.sessions;
END;
CREATE TRIGGER person_path_ends_in AFTER INSERT ON person_path_ends BEGIN
  INSERT INTO person_path_day_ends (account_key, day, next_day, channel, sessions)
    VALUES (NEW.account_key, NEW.day, NEW.next_day, NEW.channel, NEW.sessions)
    ON CONFLICT (account_key, day, next_day, channel) DO UPDATE SET sessions = sessions + excluded.sessions;
END;
CREATE TRIGGER person_path_ends_out AFTER DELETE ON person_path_ends BEGIN
  INSERT INTO person_path_day_ends (account_key, day, next_day, channel, sessions)
    VALUES (OLD.account_key, OLD.day, OLD.next_day, OLD.channel, -OLD.sessions)
    ON CONFLICT (account_key, day, next_day, channel) DO UPDATE SET sessions = sessions + excluded.sessions;
END;
CREATE TRIGGER person_path_ends_change AFTER UPDATE ON person_path_ends BEGIN
  INSERT INTO person_path_day_ends (account_key, day, next_day, channel, sessions)
    VALUES (OLD.account_key, OLD.day, OLD.next_day, OLD.channel, -OLD.sessions)
    ON CONFLICT (account_key, day, next_day, channel) DO UPDATE SET sessions = sessions + excluded.sessions;
  INSERT INTO person_path_day_ends (account_key, day, next_day, channel, sessions)
    VALUES (NEW.account_key, NEW.day, NEW.next_day, NEW.channel, NEW.sessions)
    ON CONFLICT (account_key, day, next_day, channel) DO UPDATE SET sessions = sessions + excluded.sessions;
END;

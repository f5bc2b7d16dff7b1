-- A visitor's sessions in start order with their channel, from the index alone (docs/read-model.md,
-- "Person paths"): Markov reads the window's sessions of every visitor with a session on the
-- window's two edge days and of the converters' persons, by visitor, and only their start, channel
-- and id. By the primary key each of those rows cost a second lookup into the wide sessions row
-- (landing URL, referrer, utm, click ids): at 10M events about 0.1 s of each of those two reads
-- (docs/benchmark-history.md, "Person-path day sums and the edge window"). PostgreSQL has had
-- sessions_by_visitor (account_key, visitor_id, started_at) from the start.
CREATE INDEX sessions_by_visitor_start ON sessions (account_key, visitor_id, started_at, channel, id);

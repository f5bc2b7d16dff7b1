-- visitor_days: distinct visitors with a session started on each UTC day (day = hour / 24, the hour
-- numbers of visitor_hours), all sessions only (dimension 0). The dashboard's series in UTC-day
-- buckets reads one row per whole day instead of the day's visitor_gaps rows (one per returning
-- visitor-hour); docs/read-model.md, "Whole UTC days". Maintained with visitor_hours in the
-- transaction that stores the sessions (rollups/write-visitor-sets.ts); built here from visitor_hours.
CREATE TABLE visitor_days (
  account_key integer NOT NULL REFERENCES accounts (key),
  day         integer NOT NULL,
  visitors    integer NOT NULL,
  PRIMARY KEY (account_key, day)
);

INSERT INTO visitor_days (account_key, day, visitors)
  SELECT account_key, (hour / 24)::integer, COUNT(DISTINCT visitor_id) FROM visitor_hours WHERE dim = 0
  GROUP BY account_key, (hour / 24)::integer;

-- As on SQLite (its 015 migration): utm source, medium and campaign as read-model dimensions 4, 5 and 6
-- (docs/read-model.md), backfilled from the sessions, one set-based statement per table.
--
-- utm_text: the string value of `key` in the JSON object text `doc`, '' for none. The cast to jsonb
-- fails on malformed text; a value changed behind the pipeline's back must read as none rather than
-- fail every write and report that reads it (DESIGN.md L11; SQLite reads it the same way with json_valid).
CREATE FUNCTION utm_text(doc text, key text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  parsed jsonb;
BEGIN
  BEGIN
    parsed := doc::jsonb;
  EXCEPTION WHEN others THEN
    RETURN '';
  END;
  IF jsonb_typeof(parsed) = 'object' AND jsonb_typeof(parsed -> key) = 'string' THEN
    RETURN parsed ->> key;
  END IF;
  RETURN '';
END $$;

INSERT INTO rollup_dims (account_key, dim, hour, value, sessions)
  SELECT account_key, dim, hour, value, COUNT(*)::integer FROM (
    SELECT s.account_key, s.started_at / 3600000 AS hour, f.dim, utm_text(s.utm, f.key) COLLATE "C" AS value
    FROM sessions AS s CROSS JOIN (VALUES (4, 'utm_source'), (5, 'utm_medium'), (6, 'utm_campaign')) AS f (dim, key)) AS u
  WHERE value <> '' GROUP BY account_key, dim, hour, value;

INSERT INTO visitor_hours (account_key, dim, value, visitor_id, hour, sessions)
  SELECT account_key, dim, value, visitor_id, hour, COUNT(*)::integer FROM (
    SELECT s.account_key, s.visitor_id, s.started_at / 3600000 AS hour, f.dim, utm_text(s.utm, f.key) COLLATE "C" AS value
    FROM sessions AS s CROSS JOIN (VALUES (4, 'utm_source'), (5, 'utm_medium'), (6, 'utm_campaign')) AS f (dim, key)) AS u
  WHERE value <> '' GROUP BY account_key, dim, value, visitor_id, hour;

INSERT INTO visitor_gaps (account_key, dim, hour, value, prev_hour, visitors)
  SELECT account_key, dim, hour, value, prev_hour, COUNT(*)::integer FROM (
    SELECT account_key, dim, hour, value,
      COALESCE(LAG(hour) OVER (PARTITION BY account_key, dim, value, visitor_id ORDER BY hour), -1) AS prev_hour
    FROM visitor_hours WHERE dim IN (4, 5, 6)) AS x
  GROUP BY 1, 2, 3, 4, 5;

ANALYZE rollup_dims;
ANALYZE visitor_hours;
ANALYZE visitor_gaps;

-- utm source, medium and campaign as read-model dimensions 4, 5 and 6 (docs/read-model.md): rollup_dims (sessions),
-- visitor_hours and visitor_gaps (exact distinct visitors), backfilled from the sessions here, one set-based statement
-- per table. A value is the utm field's JSON string ('' for none: no row), read as utm-parts.ts reads it, so a
-- malformed stored utm reads as none instead of failing the migration.
INSERT INTO rollup_dims (account_key, dim, hour, value, sessions)
  SELECT account_key, dim, hour, value, COUNT(*) FROM (
    SELECT account_key, started_at / 3600000 AS hour, 4 AS dim,
      CASE WHEN json_valid(utm) THEN (CASE WHEN json_type(utm, '$.utm_source') = 'text' THEN utm ->> '$.utm_source' ELSE '' END) ELSE '' END AS value
    FROM sessions
    UNION ALL SELECT account_key, started_at / 3600000, 5,
      CASE WHEN json_valid(utm) THEN (CASE WHEN json_type(utm, '$.utm_medium') = 'text' THEN utm ->> '$.utm_medium' ELSE '' END) ELSE '' END
    FROM sessions
    UNION ALL SELECT account_key, started_at / 3600000, 6,
      CASE WHEN json_valid(utm) THEN (CASE WHEN json_type(utm, '$.utm_campaign') = 'text' THEN utm ->> '$.utm_campaign' ELSE '' END) ELSE '' END
    FROM sessions) AS u
  WHERE value <> '' GROUP BY account_key, dim, hour, value;

INSERT INTO visitor_hours (account_key, dim, value, visitor_id, hour, sessions)
  SELECT account_key, dim, value, visitor_id, hour, COUNT(*) FROM (
    SELECT account_key, visitor_id, started_at / 3600000 AS hour, 4 AS dim,
      CASE WHEN json_valid(utm) THEN (CASE WHEN json_type(utm, '$.utm_source') = 'text' THEN utm ->> '$.utm_source' ELSE '' END) ELSE '' END AS value
    FROM sessions
    UNION ALL SELECT account_key, visitor_id, started_at / 3600000, 5,
      CASE WHEN json_valid(utm) THEN (CASE WHEN json_type(utm, '$.utm_medium') = 'text' THEN utm ->> '$.utm_medium' ELSE '' END) ELSE '' END
    FROM sessions
    UNION ALL SELECT account_key, visitor_id, started_at / 3600000, 6,
      CASE WHEN json_valid(utm) THEN (CASE WHEN json_type(utm, '$.utm_campaign') = 'text' THEN utm ->> '$.utm_campaign' ELSE '' END) ELSE '' END
    FROM sessions) AS u
  WHERE value <> '' GROUP BY account_key, dim, value, visitor_id, hour;

INSERT INTO visitor_gaps (account_key, dim, hour, value, prev_hour, visitors)
  SELECT account_key, dim, hour, value, prev_hour, COUNT(*) FROM (
    SELECT account_key, dim, hour, value,
      COALESCE(LAG(hour) OVER (PARTITION BY account_key, dim, value, visitor_id ORDER BY hour), -1) AS prev_hour
    FROM visitor_hours WHERE dim IN (4, 5, 6)) AS x
  GROUP BY 1, 2, 3, 4, 5;

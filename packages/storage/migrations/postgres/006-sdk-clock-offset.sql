-- The mirror of migrations/sqlite/007-sdk-clock-offset.sql: the sender's clock offset (sent_at minus
-- the collector's receive time, ms; positive: the sender is ahead) with the largest magnitude seen in
-- the hour's batches of each SDK instance. 0 for rows written before it existed.
ALTER TABLE sdk_health ADD COLUMN clock_offset_ms bigint NOT NULL DEFAULT 0;

-- New inbox rows become pending through one INSERT ... SELECT per ingest transaction (see
-- insert-inbox.ts) instead of a row trigger: the trigger ran a sub-program per row, ~0.5-0.8 µs of
-- the ~4 µs an inbox row costs (bench in the commit message). PostgreSQL keeps its statement trigger.
DROP TRIGGER inbox_enqueue;

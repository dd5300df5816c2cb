-- AgentLedger DuckDB schema, version 2.
-- DuckDB answers a filter with an index scan only through a single-column index: the primary key
-- (project, trace_id) never serves a chain lookup, which then scanned the whole trace index
-- (3 ms at 4 million spans, growing with the store). Lookups filter by trace_id through this
-- index and check the project on the few rows it returns.
CREATE INDEX IF NOT EXISTS trace_index_by_trace ON trace_index (trace_id);

-- AgentLedger ClickHouse schema 2: the small tables that find a chain's spans and recent chains.
--
-- trace_index plays the part of the exporter's otel_traces_trace_id_ts: the first and last span
-- start of each chain, so a chain lookup reads only the partitions and hours its spans are in.
-- The store writes it itself, before the spans (an index row without spans only widens a
-- lookup; spans without an index row would be lost to lookups), rather than through a
-- materialized view, which would also fire for the rows saveRollups rewrites.
CREATE TABLE IF NOT EXISTS trace_index
(
    Project LowCardinality(String) CODEC(ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    Start SimpleAggregateFunction(min, DateTime64(9)) CODEC(ZSTD(1)),
    End SimpleAggregateFunction(max, DateTime64(9)) CODEC(ZSTD(1))
)
ENGINE = AggregatingMergeTree
PARTITION BY toStartOfWeek(Start)
ORDER BY (Project, TraceId)
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1;

-- One row per chain and append that gave it new spans, ordered by store time, so the analyzer's
-- "chains touched since the watermark" reads only the recent end of the table.
CREATE TABLE IF NOT EXISTS chain_activity
(
    IngestedAt DateTime64(6) CODEC(Delta(8), ZSTD(1)),
    Project LowCardinality(String) CODEC(ZSTD(1)),
    TraceId String CODEC(ZSTD(1))
)
ENGINE = MergeTree
PARTITION BY toDate(IngestedAt)
ORDER BY (IngestedAt, Project, TraceId)
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1;

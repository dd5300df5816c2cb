-- AgentLedger ClickHouse schema 6: the runs of agents, derived when a chain settles (store
-- RunSummary). Aggregated paths group them by Path and detectors read them. Sorted by agent first,
-- as every read asks for one agent. A re-settled chain's runs are inserted again with a higher
-- Version, and the runs it no longer has get a row with Deleted = 1, which FINAL drops: read with
-- FINAL. Not partitioned by time: a late span can move a run's start, and replacing only works
-- within a partition.
CREATE TABLE IF NOT EXISTS runs
(
    Project LowCardinality(String) CODEC(ZSTD(1)),
    Agent LowCardinality(String) CODEC(ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    AgentVersion LowCardinality(String) CODEC(ZSTD(1)),
    Service LowCardinality(String) CODEC(ZSTD(1)),
    UserId String CODEC(ZSTD(1)),
    SessionId String CODEC(ZSTD(1)),
    StartTime DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    DurationMs UInt64 CODEC(T64, ZSTD(1)),
    CostUsd Decimal(18, 12) CODEC(ZSTD(1)),
    CostComplete Bool CODEC(ZSTD(1)),
    InputTokens UInt64 CODEC(T64, ZSTD(1)),
    OutputTokens UInt64 CODEC(T64, ZSTD(1)),
    LlmCalls UInt32 CODEC(ZSTD(1)),
    ToolCalls UInt32 CODEC(ZSTD(1)),
    Errors UInt32 CODEC(ZSTD(1)),
    Retries UInt32 CODEC(ZSTD(1)),
    Models Array(LowCardinality(String)) CODEC(ZSTD(1)),
    Path Array(LowCardinality(String)) CODEC(ZSTD(1)),
    Behaviours Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    Version UInt64 CODEC(Delta(8), ZSTD(1)),
    Deleted UInt8 CODEC(ZSTD(1)),
    -- LogHistogram buckets of cost and duration, and a key for the path: a path query then
    -- groups and counts integers.
    CostBucket Int32 CODEC(ZSTD(1)),
    DurationBucket Int32 CODEC(ZSTD(1)),
    PathKey Int64 MATERIALIZED reinterpretAsInt64(cityHash64(Path)),

    INDEX idx_trace TraceId TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = ReplacingMergeTree(Version, Deleted)
ORDER BY (Project, Agent, TraceId, SpanId)
SETTINGS index_granularity = 8192;

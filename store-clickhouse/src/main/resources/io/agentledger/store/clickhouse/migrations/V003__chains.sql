-- AgentLedger ClickHouse schema 3: settled chains (the roll-up's ChainSummary), one row per
-- chain once merged. Keyed by project and trace id only: a late span can move a chain's start,
-- so the start cannot be part of a key that must identify the chain. Read with FINAL.
CREATE TABLE IF NOT EXISTS chains
(
    Project LowCardinality(String) CODEC(ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    RootSpanId String CODEC(ZSTD(1)),
    Name String CODEC(ZSTD(1)),
    Service LowCardinality(String) CODEC(ZSTD(1)),
    ServiceVersion LowCardinality(String) CODEC(ZSTD(1)),
    Agent LowCardinality(String) CODEC(ZSTD(1)),
    SessionId String CODEC(ZSTD(1)),
    UserId String CODEC(ZSTD(1)),
    StartTime DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    EndTime DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    SpanCount UInt32 CODEC(ZSTD(1)),
    LlmCalls UInt32 CODEC(ZSTD(1)),
    ToolCalls UInt32 CODEC(ZSTD(1)),
    ErrorCount UInt32 CODEC(ZSTD(1)),
    InputTokens UInt64 CODEC(T64, ZSTD(1)),
    OutputTokens UInt64 CODEC(T64, ZSTD(1)),
    CacheReadTokens UInt64 CODEC(T64, ZSTD(1)),
    CacheWriteTokens UInt64 CODEC(T64, ZSTD(1)),
    ReasoningTokens UInt64 CODEC(T64, ZSTD(1)),
    CostUsd Decimal(38, 12) CODEC(ZSTD(1)),
    CostComplete Bool CODEC(ZSTD(1)),
    UnpricedCalls UInt32 CODEC(ZSTD(1)),
    Status LowCardinality(String) CODEC(ZSTD(1)),
    Version UInt64 CODEC(Delta(8), ZSTD(1)),

    INDEX idx_session SessionId TYPE bloom_filter(0.01) GRANULARITY 1
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY (Project, TraceId)
SETTINGS index_granularity = 8192;

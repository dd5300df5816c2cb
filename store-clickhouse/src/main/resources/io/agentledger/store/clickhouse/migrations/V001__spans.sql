-- AgentLedger ClickHouse schema 1: one row per span.
--
-- The first columns are the OpenTelemetry Collector ClickHouse exporter's otel_traces columns,
-- with its names and types, so tools that read that layout (Grafana's ClickHouse plugin trace
-- view) read this table too. AgentLedger's typed columns follow.
--
-- Idempotency: ReplacingMergeTree over a sorting key that identifies the span (project, trace id,
-- span id; the hour is a function of the span's own start, so a replay lands on the same key and
-- in the same daily partition). Merges collapse copies eventually; the store reads with FINAL, so
-- answers are right before any merge. The version is Version, not IngestedAt: IngestedAt keeps
-- the first store time (what chainsTouched reports), and Version makes a settled row (rewritten
-- by saveRollups with the tree's billing role and attribution) win over any later raw copy.
--
-- Every statement is idempotent (IF NOT EXISTS): ClickHouse has no transactional DDL, so a
-- migration that stopped half-way is simply run again.
CREATE TABLE IF NOT EXISTS spans
(
    Timestamp DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    TraceId String CODEC(ZSTD(1)),
    SpanId String CODEC(ZSTD(1)),
    ParentSpanId String CODEC(ZSTD(1)),
    TraceState String CODEC(ZSTD(1)),
    SpanName LowCardinality(String) CODEC(ZSTD(1)),
    SpanKind LowCardinality(String) CODEC(ZSTD(1)),
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    ResourceAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    ScopeName String CODEC(ZSTD(1)),
    ScopeVersion String CODEC(ZSTD(1)),
    SpanAttributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    Duration UInt64 CODEC(T64, ZSTD(1)),
    StatusCode LowCardinality(String) CODEC(ZSTD(1)),
    StatusMessage String CODEC(ZSTD(1)),
    Events Nested (
        Timestamp DateTime64(9),
        Name LowCardinality(String),
        Attributes Map(LowCardinality(String), String)
    ) CODEC(ZSTD(1)),
    Links Nested (
        TraceId String,
        SpanId String,
        TraceState String,
        Attributes Map(LowCardinality(String), String)
    ) CODEC(ZSTD(1)),

    Project LowCardinality(String) CODEC(ZSTD(1)),
    ServiceVersion LowCardinality(String) CODEC(ZSTD(1)),
    ErrorType LowCardinality(String) CODEC(ZSTD(1)),
    SpanType LowCardinality(String) CODEC(ZSTD(1)),
    OperationName LowCardinality(String) CODEC(ZSTD(1)),
    Agent LowCardinality(String) CODEC(ZSTD(1)),
    AgentId String CODEC(ZSTD(1)),
    AgentVersion LowCardinality(String) CODEC(ZSTD(1)),
    SessionId String CODEC(ZSTD(1)),
    UserId String CODEC(ZSTD(1)),
    Provider LowCardinality(String) CODEC(ZSTD(1)),
    RequestModel LowCardinality(String) CODEC(ZSTD(1)),
    ResponseModel LowCardinality(String) CODEC(ZSTD(1)),
    Model LowCardinality(String) MATERIALIZED if(ResponseModel != '', ResponseModel, RequestModel),
    ToolName LowCardinality(String) CODEC(ZSTD(1)),
    ToolCallId String CODEC(ZSTD(1)),
    FinishReasons Array(LowCardinality(String)) CODEC(ZSTD(1)),
    UsageReported Bool CODEC(ZSTD(1)),
    InputTokens UInt64 CODEC(T64, ZSTD(1)),
    OutputTokens UInt64 CODEC(T64, ZSTD(1)),
    CacheReadTokens UInt64 CODEC(T64, ZSTD(1)),
    CacheWriteTokens UInt64 CODEC(T64, ZSTD(1)),
    CacheWrite1hTokens UInt64 CODEC(T64, ZSTD(1)),
    ReasoningTokens UInt64 CODEC(T64, ZSTD(1)),
    -- NULL exactly when CostSource = 'unknown' (an unknown cost is never zero).
    CostUsd Nullable(Decimal(38, 12)) CODEC(ZSTD(1)),
    CostSource LowCardinality(String) CODEC(ZSTD(1)),
    PricedAs LowCardinality(Nullable(String)) CODEC(ZSTD(1)),
    CatalogVersion LowCardinality(Nullable(String)) CODEC(ZSTD(1)),
    CostDetail String CODEC(ZSTD(1)),
    -- Decided at normalization, corrected when the chain settles; costs sum 'billable' rows only.
    BillingRole LowCardinality(String) CODEC(ZSTD(1)),
    -- Set when the chain settles; until then the span's own agent, session and user.
    AttributedAgent LowCardinality(String) CODEC(ZSTD(1)),
    ChainSessionId String CODEC(ZSTD(1)),
    ChainUserId String CODEC(ZSTD(1)),
    IngestedAt DateTime64(6) CODEC(Delta(8), ZSTD(1)),
    Version UInt64 CODEC(Delta(8), ZSTD(1)),

    INDEX idx_trace_id TraceId TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_res_attr_key mapKeys(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_res_attr_value mapValues(ResourceAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_span_attr_key mapKeys(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_span_attr_value mapValues(SpanAttributes) TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_duration Duration TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree(Version)
PARTITION BY toDate(Timestamp)
PRIMARY KEY (Project, toStartOfHour(Timestamp), TraceId)
ORDER BY (Project, toStartOfHour(Timestamp), TraceId, SpanId)
SETTINGS index_granularity = 8192, ttl_only_drop_parts = 1;

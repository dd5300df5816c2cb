-- AgentLedger ClickHouse schema 14: cost trees of large settled chains
-- (io.agentledger.core.rollup.FlatTree), read a level or a range at a time by
-- GET /chains/{traceId}?depth&parent. One row per node: its depth-first number, depth, span id and
-- JSON. As with decision trees, a re-settled chain's tree is written with a new Version; readers
-- take the Version from cost_trees (written after its nodes) and read nodes of that Version or newer.
CREATE TABLE IF NOT EXISTS cost_tree_nodes
(
    Project LowCardinality(String),
    TraceId String,
    Seq UInt32,
    Depth UInt32,
    SpanId String,
    Node String CODEC(ZSTD(3)),
    Version UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY (Project, TraceId, Seq);

CREATE TABLE IF NOT EXISTS cost_trees
(
    Project LowCardinality(String),
    TraceId String,
    Head String CODEC(ZSTD(3)),
    Version UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY (Project, TraceId);

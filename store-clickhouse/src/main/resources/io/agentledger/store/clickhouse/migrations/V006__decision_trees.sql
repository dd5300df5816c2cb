-- AgentLedger ClickHouse schema 6: decision trees of settled chains.
-- One row per node: its depth-first number and its JSON (io.agentledger.core.decision.DecisionJson,
-- the node and the edges that enter it). A re-settled chain's tree is written with a new Version;
-- readers take the tree's Version from decision_trees (written after its nodes) and read nodes of
-- that Version or newer, so rows of an older, larger tree are never shown.
CREATE TABLE IF NOT EXISTS decision_nodes
(
    Project LowCardinality(String),
    TraceId String,
    Seq UInt32,
    Node String CODEC(ZSTD(3)),
    Version UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY (Project, TraceId, Seq);

CREATE TABLE IF NOT EXISTS decision_trees
(
    Project LowCardinality(String),
    TraceId String,
    NodeCount UInt32,
    Version UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY (Project, TraceId);

-- AgentLedger DuckDB schema: decision trees of settled chains.
-- One row per node, its JSON (io.agentledger.core.decision.DecisionJson: the node and the edges
-- that enter it). DuckDB answers a filter with an index scan only through a single-column index,
-- and only for a selective range, so the key is one string, trace id then the node's depth-first
-- number as 8 hex digits: a page is the key range of its node numbers.
CREATE TABLE IF NOT EXISTS decision_nodes
(
  project  VARCHAR NOT NULL,
  trace_id VARCHAR NOT NULL,
  node_key VARCHAR NOT NULL,
  node     VARCHAR NOT NULL
);
CREATE INDEX IF NOT EXISTS decision_nodes_by_key ON decision_nodes (node_key);

-- One row per tree: how many nodes it has, when it was derived.
CREATE TABLE IF NOT EXISTS decision_trees
(
  project    VARCHAR NOT NULL,
  trace_id   VARCHAR NOT NULL,
  node_count INTEGER NOT NULL,
  derived_ns BIGINT  NOT NULL
);
CREATE INDEX IF NOT EXISTS decision_trees_by_trace ON decision_trees (trace_id);

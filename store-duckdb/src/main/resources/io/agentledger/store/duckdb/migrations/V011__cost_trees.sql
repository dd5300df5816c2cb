-- Cost trees of large settled chains (io.agentledger.core.rollup.FlatTree), read a level or a key
-- range at a time by GET /chains/{traceId}?depth&parent. One row per node: its JSON, its depth and
-- span id. DuckDB answers a filter with an index scan only through a single-column index and a
-- selective range, so the keys are single strings:
--   node_key  = trace id, then the depth-first number as 8 hex digits (a range of the tree, in order);
--   depth_key = trace id, then the depth as 4 hex digits, then the number (one level of a range).
CREATE TABLE IF NOT EXISTS cost_tree_nodes
(
  project   VARCHAR NOT NULL,
  trace_id  VARCHAR NOT NULL,
  node_key  VARCHAR NOT NULL,
  depth_key VARCHAR NOT NULL,
  span_id   VARCHAR NOT NULL,
  node      VARCHAR NOT NULL
);
CREATE INDEX IF NOT EXISTS cost_tree_nodes_by_key ON cost_tree_nodes (node_key);
CREATE INDEX IF NOT EXISTS cost_tree_nodes_by_depth ON cost_tree_nodes (depth_key);
CREATE INDEX IF NOT EXISTS cost_tree_nodes_by_span ON cost_tree_nodes (span_id);

-- One row per stored tree: its head (node count, span rows, cost by agent and model) as JSON.
CREATE TABLE IF NOT EXISTS cost_trees
(
  project    VARCHAR NOT NULL,
  trace_id   VARCHAR NOT NULL,
  head       VARCHAR NOT NULL,
  derived_ns BIGINT  NOT NULL
);
CREATE INDEX IF NOT EXISTS cost_trees_by_trace ON cost_trees (trace_id);

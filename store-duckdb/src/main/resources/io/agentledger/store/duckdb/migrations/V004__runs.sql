-- AgentLedger DuckDB schema, version 3: the runs of agents, derived when a chain settles
-- (store RunSummary). Aggregated paths group them by path and detectors read them, so neither
-- walks span trees. A re-settled chain's runs are deleted and inserted again in one transaction,
-- hence no primary key (DuckDB checks a key against rows deleted in the same transaction) and a
-- single-column index on the trace id for that delete. Path queries group up to 100,000 runs of
-- an agent in about a tenth of a second: 64-bit decimals and integer buckets keep that cheap.
CREATE TABLE runs (
  project        VARCHAR NOT NULL,
  trace_id       VARCHAR NOT NULL,
  span_id        VARCHAR NOT NULL,
  agent          VARCHAR NOT NULL,
  agent_version  VARCHAR NOT NULL,
  service        VARCHAR NOT NULL,
  user_id        VARCHAR NOT NULL,
  session_id     VARCHAR NOT NULL,
  start_ns       BIGINT NOT NULL,
  duration_ms    BIGINT NOT NULL,
  cost_usd       DECIMAL(18, 12) NOT NULL,  -- a run costs less than a million dollars
  cost_complete  BOOLEAN NOT NULL,
  input_tokens   BIGINT NOT NULL,
  output_tokens  BIGINT NOT NULL,
  llm_calls      INTEGER NOT NULL,
  tool_calls     INTEGER NOT NULL,
  errors         INTEGER NOT NULL,
  retries        INTEGER NOT NULL,
  models         VARCHAR NOT NULL,  -- JSON array
  path           VARCHAR NOT NULL,  -- JSON array: equal paths have equal text, so it groups
  behaviours     VARCHAR NOT NULL,  -- JSON object
  -- LogHistogram buckets of cost and duration, computed once here so a path query only counts.
  cost_bucket     INTEGER NOT NULL,
  duration_bucket INTEGER NOT NULL
);

CREATE INDEX runs_by_trace ON runs (trace_id);

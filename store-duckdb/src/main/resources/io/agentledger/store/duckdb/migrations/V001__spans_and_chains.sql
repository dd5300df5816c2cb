-- AgentLedger DuckDB schema, version 1.
-- Times are epoch nanoseconds (BIGINT): exact, time-zone free, and what OTLP carries.

-- One row per stored span. Rows are only ever appended in `batch_seq` order, so the min/max
-- zone maps DuckDB keeps per row group make `batch_seq BETWEEN lo AND hi` prune to the few row
-- groups a chain's batches landed in (see trace_index).
CREATE TABLE spans (
  project             VARCHAR NOT NULL,
  trace_id            VARCHAR NOT NULL,
  span_id             VARCHAR NOT NULL,
  parent_span_id      VARCHAR NOT NULL,
  batch_seq           BIGINT NOT NULL,
  ingested_us         BIGINT NOT NULL,
  start_ns            BIGINT NOT NULL,
  end_ns              BIGINT NOT NULL,
  name                VARCHAR NOT NULL,
  kind                VARCHAR NOT NULL,
  status_code         VARCHAR NOT NULL,
  status_message      VARCHAR NOT NULL,
  error_type          VARCHAR NOT NULL,
  service_name        VARCHAR NOT NULL,
  service_version     VARCHAR NOT NULL,
  scope_name          VARCHAR NOT NULL,
  span_type           VARCHAR NOT NULL,
  operation_name      VARCHAR NOT NULL,
  agent_name          VARCHAR NOT NULL,
  agent_id            VARCHAR NOT NULL,
  agent_version       VARCHAR NOT NULL,
  session_id          VARCHAR NOT NULL,
  user_id             VARCHAR NOT NULL,
  provider            VARCHAR NOT NULL,
  request_model       VARCHAR NOT NULL,
  response_model      VARCHAR NOT NULL,
  tool_name           VARCHAR NOT NULL,
  tool_call_id        VARCHAR NOT NULL,
  finish_reasons      VARCHAR NOT NULL,  -- JSON array
  usage_reported      BOOLEAN NOT NULL,
  input_tokens        BIGINT NOT NULL,
  output_tokens       BIGINT NOT NULL,
  cache_read_tokens   BIGINT NOT NULL,
  cache_write_tokens  BIGINT NOT NULL,
  cache_write_1h_tokens BIGINT NOT NULL,
  reasoning_tokens    BIGINT NOT NULL,
  cost_usd            DECIMAL(38, 12),   -- NULL exactly when cost_source = 'unknown'
  cost_source         VARCHAR NOT NULL,
  priced_as           VARCHAR,
  catalog_version     VARCHAR,
  cost_detail         VARCHAR NOT NULL,
  billing_role        VARCHAR NOT NULL,
  attributes          VARCHAR NOT NULL,  -- JSON object
  resource_attributes VARCHAR NOT NULL,  -- JSON object
  events              VARCHAR NOT NULL,  -- JSON array
  links               VARCHAR NOT NULL,  -- JSON array
  -- Set when the chain settles (saveRollups); until then the span's own values.
  attributed_agent    VARCHAR NOT NULL,
  chain_session_id    VARCHAR NOT NULL,
  chain_user_id       VARCHAR NOT NULL
);

-- One row per chain: where its spans are (batch range) and when it last changed.
CREATE TABLE trace_index (
  project         VARCHAR NOT NULL,
  trace_id        VARCHAR NOT NULL,
  first_batch     BIGINT NOT NULL,
  last_batch      BIGINT NOT NULL,
  last_ingested_us BIGINT NOT NULL,
  PRIMARY KEY (project, trace_id)
);

-- Settled chains (the core roll-up's ChainSummary).
CREATE TABLE chains (
  project           VARCHAR NOT NULL,
  trace_id          VARCHAR NOT NULL,
  root_span_id      VARCHAR NOT NULL,
  name              VARCHAR NOT NULL,
  service           VARCHAR NOT NULL,
  service_version   VARCHAR NOT NULL,
  agent             VARCHAR NOT NULL,
  session_id        VARCHAR NOT NULL,
  user_id           VARCHAR NOT NULL,
  start_ns          BIGINT NOT NULL,
  end_ns            BIGINT NOT NULL,
  span_count        INTEGER NOT NULL,
  llm_calls         INTEGER NOT NULL,
  tool_calls        INTEGER NOT NULL,
  error_count       INTEGER NOT NULL,
  input_tokens      BIGINT NOT NULL,
  output_tokens     BIGINT NOT NULL,
  cache_read_tokens BIGINT NOT NULL,
  cache_write_tokens BIGINT NOT NULL,
  reasoning_tokens  BIGINT NOT NULL,
  cost_usd          DECIMAL(38, 12) NOT NULL,
  cost_complete     BOOLEAN NOT NULL,
  unpriced_calls    INTEGER NOT NULL,
  status            VARCHAR NOT NULL,
  PRIMARY KEY (project, trace_id)
);

CREATE TABLE anomalies (
  project      VARCHAR NOT NULL,
  id           VARCHAR NOT NULL,
  kind         VARCHAR NOT NULL,
  entity       VARCHAR NOT NULL,
  metric       VARCHAR NOT NULL,
  detected_ns  BIGINT NOT NULL,
  window_start_ns BIGINT NOT NULL,
  window_end_ns BIGINT NOT NULL,
  observed     DOUBLE NOT NULL,
  expected     DOUBLE NOT NULL,
  score        DOUBLE NOT NULL,
  status       VARCHAR NOT NULL,
  summary      VARCHAR NOT NULL,
  attributes   VARCHAR NOT NULL,
  PRIMARY KEY (project, id)
);

CREATE TABLE regressions (
  project           VARCHAR NOT NULL,
  id                VARCHAR NOT NULL,
  agent             VARCHAR NOT NULL,
  metric            VARCHAR NOT NULL,
  baseline_version  VARCHAR NOT NULL,
  candidate_version VARCHAR NOT NULL,
  baseline_value    DOUBLE NOT NULL,
  candidate_value   DOUBLE NOT NULL,
  change            DOUBLE NOT NULL,
  p_value           DOUBLE NOT NULL,
  detected_ns       BIGINT NOT NULL,
  status            VARCHAR NOT NULL,
  attributes        VARCHAR NOT NULL,
  PRIMARY KEY (project, id)
);

CREATE TABLE price_overrides (
  project  VARCHAR NOT NULL,
  provider VARCHAR NOT NULL,
  model    VARCHAR NOT NULL,
  pricing  VARCHAR NOT NULL,  -- the entry in the catalog's JSON format
  PRIMARY KEY (project, provider, model)
);

CREATE TABLE pipeline_state (
  key   VARCHAR PRIMARY KEY,
  value VARCHAR NOT NULL
);

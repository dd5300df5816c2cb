-- AgentLedger ClickHouse schema 11: regressions have episodes like anomalies: firing while detection
-- cycles find them, resolved once they stop or a newer version supersedes them, with when a cycle
-- last found them. Rows saved before are firing, last seen when detected.
ALTER TABLE agent_regressions ADD COLUMN IF NOT EXISTS Status LowCardinality(String) DEFAULT 'firing';

ALTER TABLE agent_regressions ADD COLUMN IF NOT EXISTS LastSeen DateTime64(9) DEFAULT DetectedAt;

-- AgentLedger ClickHouse schema 6: anomalies as episodes (API.md "Anomalies and regressions"): a
-- subject, an expected band, severity, firing/resolved, first and last seen, example traces. The
-- columns of the first shape (Entity, DetectedAt, WindowStart, WindowEnd, Expected, Summary,
-- Attributes) stay for old rows and take their defaults in new ones.
ALTER TABLE anomalies ADD COLUMN IF NOT EXISTS Subject Map(LowCardinality(String), String);
ALTER TABLE anomalies ADD COLUMN IF NOT EXISTS ExpectedLow Float64;
ALTER TABLE anomalies ADD COLUMN IF NOT EXISTS ExpectedHigh Float64;
ALTER TABLE anomalies ADD COLUMN IF NOT EXISTS Severity LowCardinality(String);
ALTER TABLE anomalies ADD COLUMN IF NOT EXISTS FirstSeen DateTime64(9);
ALTER TABLE anomalies ADD COLUMN IF NOT EXISTS LastSeen DateTime64(9);
ALTER TABLE anomalies ADD COLUMN IF NOT EXISTS ExampleTraceIds Array(String);
ALTER TABLE anomalies ADD COLUMN IF NOT EXISTS Detail Map(LowCardinality(String), String);

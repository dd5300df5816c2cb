-- AgentLedger ClickHouse schema 4: what the analyzer finds. Replaced by (project, id); read with
-- FINAL.
CREATE TABLE IF NOT EXISTS anomalies
(
    Project LowCardinality(String),
    Id String,
    Kind LowCardinality(String),
    Entity String,
    Metric LowCardinality(String),
    DetectedAt DateTime64(9),
    WindowStart DateTime64(9),
    WindowEnd DateTime64(9),
    Observed Float64,
    Expected Float64,
    Score Float64,
    Status LowCardinality(String),
    Summary String,
    Attributes Map(LowCardinality(String), String),
    Version UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY (Project, Id);

CREATE TABLE IF NOT EXISTS regressions
(
    Project LowCardinality(String),
    Id String,
    Agent LowCardinality(String),
    Metric LowCardinality(String),
    BaselineVersion String,
    CandidateVersion String,
    BaselineValue Float64,
    CandidateValue Float64,
    Change Float64,
    PValue Float64,
    DetectedAt DateTime64(9),
    Status LowCardinality(String),
    Attributes Map(LowCardinality(String), String),
    Version UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY (Project, Id);

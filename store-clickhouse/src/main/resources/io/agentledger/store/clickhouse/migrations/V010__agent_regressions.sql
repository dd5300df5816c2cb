-- AgentLedger ClickHouse schema 8: regressions as the API shows them (API.md, "Anomalies and
-- regressions"): both sides of the change (a version, or a period within one), the effect with its
-- confidence interval, the adjusted p-value, the direction and example chains. Replaced by
-- (project, id); read with FINAL. Nothing wrote the table of schema 4 ("regressions"); it stays
-- unused, as every statement here must be an idempotent create.
CREATE TABLE IF NOT EXISTS agent_regressions
(
    Project LowCardinality(String),
    Id String,
    Kind LowCardinality(String),
    Agent LowCardinality(String),
    Metric LowCardinality(String),
    BeforeVersion String,
    BeforeFrom DateTime64(9),
    BeforeTo DateTime64(9),
    BeforeMedian Float64,
    BeforeRuns UInt32,
    AfterVersion String,
    AfterFrom DateTime64(9),
    AfterTo DateTime64(9),
    AfterMedian Float64,
    AfterRuns UInt32,
    Effect Float64,
    EffectLow Float64,
    EffectHigh Float64,
    PValue Float64,
    Direction LowCardinality(String),
    DetectedAt DateTime64(9),
    ExampleTraceIds Array(String),
    Version UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY (Project, Id);

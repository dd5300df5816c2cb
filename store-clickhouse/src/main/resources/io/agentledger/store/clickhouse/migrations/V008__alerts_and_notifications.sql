-- AgentLedger ClickHouse schema 8: users' alert rules, where their alerts stand, and the
-- notification outbox with its delivery state per sink. Replaced by key; read with FINAL. Times
-- are epoch nanoseconds; maps are JSON text.

-- A deleted rule is a newer version with Deleted = 1.
CREATE TABLE IF NOT EXISTS alert_rules
(
    Project LowCardinality(String),
    Id String,
    Name String,
    Kind LowCardinality(String),
    Scope LowCardinality(String),
    MatchValue String,
    WindowMs Int64,
    Threshold Float64,
    MinCalls Int64,
    Severity LowCardinality(String),
    Enabled UInt8,
    CreatedNs Int64,
    UpdatedNs Int64,
    Deleted UInt8,
    Version UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY (Project, Id);

CREATE TABLE IF NOT EXISTS alert_states
(
    Project LowCardinality(String),
    Id String,
    RuleId String,
    Subject String,
    Metric LowCardinality(String),
    Observed Float64,
    Threshold Float64,
    Severity LowCardinality(String),
    Status LowCardinality(String),
    FirstSeenNs Int64,
    LastSeenNs Int64,
    Summary String,
    Version UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY (Project, Id);

-- Written once per (project, id); the enqueue looks the ids up first.
CREATE TABLE IF NOT EXISTS notifications
(
    Project LowCardinality(String),
    Id String,
    FindingId String,
    Source LowCardinality(String),
    Kind LowCardinality(String),
    Status LowCardinality(String),
    Severity LowCardinality(String),
    Summary String,
    Labels String,
    Vals String,
    StartsNs Int64,
    AtNs Int64,
    Version UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY (Project, Id);

CREATE TABLE IF NOT EXISTS notification_deliveries
(
    Sink LowCardinality(String),
    Project LowCardinality(String),
    NotificationId String,
    AtNs Int64,
    Attempts UInt32,
    NextAttemptNs Int64,
    Outcome LowCardinality(String),
    LastError String,
    Version UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY (Sink, Project, NotificationId);

-- AgentLedger ClickHouse schema 5: small state. Replaced by key; read with FINAL.

-- A project's price overrides, each in the price catalog's JSON format.
CREATE TABLE IF NOT EXISTS price_overrides
(
    Project LowCardinality(String),
    Provider LowCardinality(String),
    Model String,
    Pricing String,
    Version UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY (Project, Provider, Model);

-- Named values the pipeline keeps (the analyzer's watermark, ...).
CREATE TABLE IF NOT EXISTS pipeline_state
(
    Key String,
    Value String,
    Version UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY Key;

-- The store's own settings as last applied (the retention TTL).
CREATE TABLE IF NOT EXISTS store_settings
(
    Key String,
    Value String,
    Version UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY Key;

-- AgentLedger DuckDB schema, version 5: users' alert rules, where their alerts stand, and the
-- notification outbox with its delivery state per sink. Times are epoch nanoseconds.
CREATE TABLE IF NOT EXISTS alert_rules (
    project VARCHAR NOT NULL,
    id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    scope VARCHAR NOT NULL,
    match_value VARCHAR NOT NULL,
    window_ms BIGINT NOT NULL,
    threshold DOUBLE NOT NULL,
    min_calls BIGINT NOT NULL,
    severity VARCHAR NOT NULL,
    enabled BOOLEAN NOT NULL,
    created_ns BIGINT NOT NULL,
    updated_ns BIGINT NOT NULL,
    PRIMARY KEY (project, id)
);

CREATE TABLE IF NOT EXISTS alert_states (
    project VARCHAR NOT NULL,
    id VARCHAR NOT NULL,
    rule_id VARCHAR NOT NULL,
    subject VARCHAR NOT NULL,
    metric VARCHAR NOT NULL,
    observed DOUBLE NOT NULL,
    threshold DOUBLE NOT NULL,
    severity VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    first_seen_ns BIGINT NOT NULL,
    last_seen_ns BIGINT NOT NULL,
    summary VARCHAR NOT NULL,
    PRIMARY KEY (project, id)
);

CREATE TABLE IF NOT EXISTS notifications (
    project VARCHAR NOT NULL,
    id VARCHAR NOT NULL,
    finding_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    severity VARCHAR NOT NULL,
    summary VARCHAR NOT NULL,
    labels VARCHAR NOT NULL,
    vals VARCHAR NOT NULL,
    starts_ns BIGINT NOT NULL,
    at_ns BIGINT NOT NULL,
    PRIMARY KEY (project, id)
);

-- One row per (sink, notification); at_ns is the notification's, so a sink's queue reads in order
-- without a join on the notifications' primary key alone.
CREATE TABLE IF NOT EXISTS notification_deliveries (
    sink VARCHAR NOT NULL,
    project VARCHAR NOT NULL,
    notification_id VARCHAR NOT NULL,
    at_ns BIGINT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_ns BIGINT NOT NULL,
    outcome VARCHAR NOT NULL,
    last_error VARCHAR NOT NULL,
    PRIMARY KEY (sink, project, notification_id)
);

-- AgentLedger ClickHouse schema 12: claims of analyzer instances on jobs, per term (LeaseStore):
-- who runs each job is decided from the claims of a term written before it began. Append only
-- (a claim written twice is read once); a day later a claim is of no use and expires.
CREATE TABLE IF NOT EXISTS lease_claims
(
    Term Int64,
    Job LowCardinality(String),
    Holder String,
    ClaimedAt DateTime DEFAULT now()
)
ENGINE = MergeTree
ORDER BY (Term, Job, Holder)
TTL ClaimedAt + INTERVAL 1 DAY;

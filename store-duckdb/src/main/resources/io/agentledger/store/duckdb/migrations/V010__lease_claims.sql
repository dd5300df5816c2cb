-- Claims of analyzer instances on jobs, per term (LeaseStore): who runs each job is decided from
-- the claims of a term written before it began. Old terms are deleted as new ones are claimed.
CREATE TABLE IF NOT EXISTS lease_claims (
    term BIGINT NOT NULL,
    job VARCHAR NOT NULL,
    holder VARCHAR NOT NULL,
    PRIMARY KEY (term, job, holder)
);

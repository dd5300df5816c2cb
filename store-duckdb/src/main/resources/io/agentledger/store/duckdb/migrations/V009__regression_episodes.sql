-- Regressions have episodes like anomalies: firing while detection cycles find them, resolved once
-- they stop or a newer version supersedes them, with when a cycle last found them. Rows saved
-- before are firing, last seen when detected. DuckDB will not alter a table an index depends on:
-- the index is dropped and made again.
DROP INDEX IF EXISTS regressions_by_detection;

ALTER TABLE regressions ADD COLUMN status VARCHAR DEFAULT 'firing';

ALTER TABLE regressions ADD COLUMN last_seen_ns BIGINT;

UPDATE regressions SET status = 'firing', last_seen_ns = detected_ns;

CREATE INDEX regressions_by_detection ON regressions (project, detected_ns);

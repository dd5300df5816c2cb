-- AgentLedger DuckDB schema 3: anomalies as episodes (API.md "Anomalies and regressions"): a
-- subject instead of an entity string, an expected band, severity, firing/resolved, first and last
-- seen, example traces. Rows of the old shape are carried over: the entity "key:value" becomes the
-- subject {key: value}, "open" becomes "firing", the window start and detection time become first
-- and last seen, the attributes become the detail (the summary line is dropped).
CREATE TABLE anomalies_episodes (
  project           VARCHAR NOT NULL,
  id                VARCHAR NOT NULL,
  kind              VARCHAR NOT NULL,
  agent             VARCHAR NOT NULL,
  subject           VARCHAR NOT NULL,
  metric            VARCHAR NOT NULL,
  observed          DOUBLE NOT NULL,
  expected_low      DOUBLE NOT NULL,
  expected_high     DOUBLE NOT NULL,
  score             DOUBLE NOT NULL,
  severity          VARCHAR NOT NULL,
  status            VARCHAR NOT NULL,
  first_seen_ns     BIGINT NOT NULL,
  last_seen_ns      BIGINT NOT NULL,
  example_trace_ids VARCHAR NOT NULL,
  detail            VARCHAR NOT NULL,
  PRIMARY KEY (project, id)
);

INSERT INTO anomalies_episodes
SELECT project, id, kind,
       CASE WHEN starts_with(entity, 'agent:') THEN substr(entity, 7) ELSE '' END,
       CASE WHEN strpos(entity, ':') > 1
            THEN '{"' || replace(replace(split_part(entity, ':', 1), '\', '\\'), '"', '\"')
                 || '":"' || replace(replace(substr(entity, strpos(entity, ':') + 1), '\', '\\'), '"', '\"')
                 || '"}'
            ELSE '{}' END,
       metric, observed, expected, expected, score, 'warning',
       CASE status WHEN 'open' THEN 'firing' ELSE status END,
       window_start_ns, detected_ns, '[]', attributes
FROM anomalies;

DROP TABLE anomalies;

ALTER TABLE anomalies_episodes RENAME TO anomalies;

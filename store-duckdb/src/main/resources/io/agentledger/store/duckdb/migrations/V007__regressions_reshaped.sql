-- Regressions as the API shows them (API.md, "Anomalies and regressions"): both sides of the change
-- (a version, or a period within one), the effect with its confidence interval, the adjusted
-- p-value, the direction and example chains. Rows of the old shape are kept as version changes
-- whose sides cover the moment they were detected.
CREATE TABLE regressions_v3 (
  project           VARCHAR NOT NULL,
  id                VARCHAR NOT NULL,
  kind              VARCHAR NOT NULL,
  agent             VARCHAR NOT NULL,
  metric            VARCHAR NOT NULL,
  before_version    VARCHAR NOT NULL,
  before_from_ns    BIGINT NOT NULL,
  before_to_ns      BIGINT NOT NULL,
  before_median     DOUBLE NOT NULL,
  before_runs       INTEGER NOT NULL,
  after_version     VARCHAR NOT NULL,
  after_from_ns     BIGINT NOT NULL,
  after_to_ns       BIGINT NOT NULL,
  after_median      DOUBLE NOT NULL,
  after_runs        INTEGER NOT NULL,
  effect            DOUBLE NOT NULL,
  effect_low        DOUBLE NOT NULL,
  effect_high       DOUBLE NOT NULL,
  p_value           DOUBLE NOT NULL,
  direction         VARCHAR NOT NULL,
  detected_ns       BIGINT NOT NULL,
  example_trace_ids VARCHAR NOT NULL,
  PRIMARY KEY (project, id)
);

INSERT INTO regressions_v3
SELECT project, id, 'version', agent, metric,
       baseline_version, detected_ns, detected_ns, baseline_value, 0,
       candidate_version, detected_ns, detected_ns, candidate_value, 0,
       change, change, change, p_value,
       CASE WHEN change < 0 THEN 'better' ELSE 'worse' END, detected_ns, '[]'
FROM regressions;

DROP TABLE regressions;

ALTER TABLE regressions_v3 RENAME TO regressions;

CREATE INDEX regressions_by_detection ON regressions (project, detected_ns);

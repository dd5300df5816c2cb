-- Issue 16: spans keep what no query filters or groups by in one compact text column, and their
-- resource attributes once per distinct resource. Rows written before this migration keep their
-- JSON columns (and NULL here); rows written after leave the JSON columns empty. SpanRows.read
-- decodes both, so an existing data directory works as it is.
ALTER TABLE spans ADD COLUMN detail VARCHAR;     -- attributes, finish reasons, events, links (SpanDetail)
ALTER TABLE spans ADD COLUMN resource_id BIGINT; -- span_resources.id

CREATE TABLE span_resources (
  id         BIGINT PRIMARY KEY,
  attributes VARCHAR NOT NULL                    -- SpanDetail's map encoding
);

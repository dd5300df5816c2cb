-- AgentLedger DuckDB schema: non-LLM costs and workflow runs (issue 15, parts 4 and 5).

-- A project's tool and sandbox prices, each in ToolPrice's JSON format.
CREATE TABLE tool_prices (
  project VARCHAR NOT NULL,
  tool    VARCHAR NOT NULL,
  price   VARCHAR NOT NULL,
  PRIMARY KEY (project, tool)
);

-- The part of cost_usd priced by tool prices, and the workflow run the chain belongs to.
-- Chains settled before this migration have neither (0 and empty) until they settle again.
ALTER TABLE chains ADD COLUMN tool_cost_usd DECIMAL(38, 12) DEFAULT 0;
ALTER TABLE chains ADD COLUMN workflow_id VARCHAR DEFAULT '';

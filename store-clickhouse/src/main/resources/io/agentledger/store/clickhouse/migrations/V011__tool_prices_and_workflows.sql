-- AgentLedger ClickHouse schema 11: non-LLM costs and workflow runs (issue 15, parts 4 and 5).

-- A project's tool and sandbox prices, each in ToolPrice's JSON format. Replaced by tool name;
-- read with FINAL.
CREATE TABLE IF NOT EXISTS tool_prices
(
    Project LowCardinality(String),
    Tool String,
    Price String,
    Version UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY (Project, Tool);

-- The part of CostUsd priced by tool prices, and the workflow run (Temporal workflow, Inngest run,
-- LangGraph thread) the chain belongs to. Chains settled before have 0 and '' until they settle
-- again. (A workflow's chains are found like a session's: a scan of the project's chains.)
ALTER TABLE chains ADD COLUMN IF NOT EXISTS ToolCostUsd Decimal(38, 12) DEFAULT 0 CODEC(ZSTD(1));
ALTER TABLE chains ADD COLUMN IF NOT EXISTS WorkflowId String DEFAULT '' CODEC(ZSTD(1));

package io.agentledger.core.normalize;

import java.util.List;

/**
 * The attribute keys every GenAI convention uses for each field, in precedence order: for each
 * field the first key present on the span wins. This table is the single source: the normalizer
 * reads its key lists, and {@code NormalizationDocTest} renders it into the generated sections of
 * {@code docs/normalization.md}, failing when the doc is stale.
 *
 * <p>Rules that are not a key list (the fallback to a span name, the JSON inside a key) are stated
 * in a field's {@code note}; the code that applies them names the field it reads.
 */
final class Conventions {

  /** Where a field's row is rendered in the doc: one generated block per section. */
  enum Section {
    TYPE("span-type"),
    FIELDS("fields"),
    USAGE("usage"),
    COST("cost"),
    CONTENT("content");

    final String marker;

    Section(String marker) {
      this.marker = marker;
    }
  }

  /**
   * One attribute key and the conventions that emit it.
   *
   * @param emitters who sends this key, for the doc ("OpenInference", "OTel GenAI ≤ 1.36", ...)
   */
  record Key(String name, String emitters) {}

  /** A field of the canonical span and the keys it is read from, in precedence order. */
  static final class Field {
    final Section section;
    final String name;
    final List<Key> keys;
    final String note;
    private final String[] names;

    private Field(Section section, String name, String note, Key... keys) {
      this.section = section;
      this.name = name;
      this.note = note;
      this.keys = List.of(keys);
      this.names = this.keys.stream().map(Key::name).toArray(String[]::new);
    }

    /** The key names in precedence order; shared, never modify (the hot path reads it as is). */
    String[] names() {
      return names;
    }

    /** This key of the field, for code that treats one key specially; fails if it is not one. */
    String require(String key) {
      for (String n : names) {
        if (n.equals(key)) {
          return n;
        }
      }
      throw new IllegalStateException(name + " has no key " + key);
    }

    /** The single key of a one-key field. */
    String key() {
      if (names.length != 1) {
        throw new IllegalStateException(name + " has " + names.length + " keys");
      }
      return names[0];
    }
  }

  private static Key k(String name, String emitters) {
    return new Key(name, emitters);
  }

  private static Field field(Section section, String name, String note, Key... keys) {
    return new Field(section, name, note, keys);
  }

  private static final String OTEL = "OTel GenAI";
  private static final String OI = "OpenInference";
  private static final String OLL = "OpenLLMetry";
  private static final String OLIT = "OpenLIT";
  private static final String VERCEL = "Vercel AI SDK";
  private static final String PAI = "Pydantic AI";
  private static final String LANGFUSE = "Langfuse";
  private static final String CLAUDE_CODE = "Claude Code";

  /** The instrumentation scope of OpenInference's OpenAI Agents SDK processor. */
  static final String OPENAI_AGENTS_SCOPE = "@arizeai/openinference-instrumentation-openai-agents";

  private Conventions() {}

  // ---- Span type: the keys SpanClassifier reads, in the order its rules apply ----

  static final Field TYPE_LANGFUSE =
      field(
          Section.TYPE,
          "1",
          "generation→llm, embedding, agent, tool, chain, retriever→retrieval; event, guardrail,"
              + " evaluator→other; `span` defers to the rules below",
          k("langfuse.observation.type", LANGFUSE));
  static final Field TYPE_OPENINFERENCE =
      field(
          Section.TYPE,
          "2",
          "LLM, EMBEDDING, AGENT, TOOL, CHAIN, RETRIEVER/RERANKER→retrieval; GUARDRAIL, EVALUATOR,"
              + " PROMPT→other",
          k("openinference.span.kind", OI));
  static final Field TYPE_AGENTS_SDK =
      field(
          Section.TYPE,
          "2a",
          "OpenAI Agents SDK through OpenInference (instrumentation scope `"
              + OPENAI_AGENTS_SCOPE
              + "`), refining rule 2: an AGENT span without `graph.node.id` is the SDK's trace"
              + " (the workflow)→chain; a TOOL span whose `tool.name` starts with `handoff_to_` is"
              + " a hand-off→other; the TOOL span `mcp_tools` lists an MCP server's tools→other",
          k("graph.node.id", OI + ", OpenAI Agents SDK"),
          k("tool.name", OI + ", OpenAI Agents SDK"));
  static final Field TYPE_MCP =
      field(
          Section.TYPE,
          "0",
          "checked first: `tools/call` on a SERVER span that has a parent→other. It is the MCP"
              + " server's side of a call its client records as the tool (counted once, there; the"
              + " decision tree names the server on it). Without a parent, the rules below apply",
          k("mcp.method.name", "OTel MCP"));
  static final Field TYPE_VERCEL =
      field(
          Section.TYPE,
          "3",
          "`*.doGenerate`/`*.doStream`→llm, `*.doEmbed`→embedding, `ai.toolCall`/`ai.toolExecution`"
              + "→tool; the outer `ai.generateText`/`ai.streamText`/`ai.embed`… wrap their steps:"
              + " embedding for `ai.embed*`, agent with `ai.telemetry.functionId`, else chain, and"
              + " are never billable themselves",
          k("ai.operationId", VERCEL + " legacy"));
  static final Field TYPE_OPERATION =
      field(
          Section.TYPE,
          "4",
          "chat, text_completion, generate_content, completion, generate, responses,"
              + " fetch_response, model_request→llm; embeddings, embedding, embed→embedding;"
              + " invoke_agent, create_agent, agent→agent; execute_tool, tool→tool; retrieval,"
              + " retrieve, search_memory, vectordb, rerank, the memory operations→retrieval;"
              + " invoke_workflow, workflow, agent_step, plan, handle_conversation_turn,"
              + " execute_task, tool_coordination, user_prompt_processing→chain",
          k("gen_ai.operation.name", OTEL + ", " + OLIT + ", " + VERCEL + " v7, " + PAI));
  static final Field TYPE_TRACELOOP =
      field(
          Section.TYPE,
          "5",
          "workflow/task→chain, agent, tool; then chat/completion→llm, embedding, rerank→retrieval",
          k("traceloop.span.kind", OLL),
          k("llm.request.type", OLL + " < 0.5"));
  static final Field TYPE_PYDANTIC_NAME =
      field(
          Section.TYPE,
          "6",
          "no key: span names `agent run…`→agent, `running tool…`→tool (" + PAI + " v2)");
  static final Field TYPE_CLAUDE_CODE =
      field(
          Section.TYPE,
          "6a",
          "interaction→agent, llm_request→llm, tool→tool; the phases of a tool run"
              + " (tool.execution, tool.blocked_on_user) and hook→other, so one tool run is one"
              + " tool call",
          k("span.type", CLAUDE_CODE + " traces beta"));
  static final Field TYPE_TOOL =
      field(
          Section.TYPE,
          "7",
          "either present→tool",
          k("gen_ai.tool.name", OTEL),
          k("gen_ai.tool.call.id", OTEL));
  static final Field TYPE_MODEL =
      field(
          Section.TYPE,
          "8",
          "one of these model keys, together with a usage key (8a) or prompt content (8b)→llm",
          k("gen_ai.request.model", OTEL),
          k("gen_ai.response.model", OTEL),
          k("llm.model_name", OI),
          k("ai.model.id", VERCEL + " legacy"),
          k("langfuse.observation.model.name", LANGFUSE));
  static final Field TYPE_MODEL_USAGE =
      field(
          Section.TYPE,
          "8a",
          "",
          k("gen_ai.usage.input_tokens", OTEL),
          k("gen_ai.usage.prompt_tokens", OTEL + " ≤ 1.26"),
          k("gen_ai.usage.output_tokens", OTEL),
          k("gen_ai.usage.completion_tokens", OTEL + " ≤ 1.26"),
          k("llm.token_count.prompt", OI),
          k("llm.token_count.completion", OI),
          k("langfuse.observation.usage_details", LANGFUSE));
  static final Field TYPE_MODEL_PROMPT =
      field(
          Section.TYPE,
          "8b",
          "otherwise the span is other",
          k("gen_ai.input.messages", OTEL),
          k("gen_ai.prompt", OTEL + ", deprecated"),
          k("gen_ai.prompt.0.content", OLL + " < 0.5"),
          k("input.value", OI));

  // ---- Fields of AgentSpan and its semantics ----

  static final Field PROVIDER =
      field(
          Section.FIELDS,
          "provider",
          "then normalized (`openai.chat`→`openai`, `az.ai.openai`→`azure.ai.openai`,"
              + " `vertex_ai`→`gcp.vertex_ai`, `xai`→`x_ai`, `mistralai`→`mistral_ai`,"
              + " `aws`/`amazon-bedrock`→`aws.bedrock`, …); when absent, the provider of the catalog"
              + " entry that prices the model",
          k("gen_ai.provider.name", OTEL + " ≥ 1.37, " + OLIT + ", " + OLL),
          k("gen_ai.system", OTEL + " ≤ 1.36, " + OLL + ", " + VERCEL),
          k("llm.provider", OI),
          k("llm.system", OI),
          k("ai.model.provider", VERCEL + " legacy"));
  static final Field RESPONSE_MODEL =
      field(
          Section.FIELDS,
          "response model",
          "the model priced is the response model, else the request model",
          k("gen_ai.response.model", OTEL),
          k("llm.response.model_name", OI),
          k("ai.response.model", VERCEL + " legacy"),
          k("llm.model_name", OI));
  static final Field REQUEST_MODEL =
      field(
          Section.FIELDS,
          "request model",
          "",
          k("gen_ai.request.model", OTEL),
          k("llm.request.model_name", OI),
          k("ai.model.id", VERCEL + " legacy"),
          k("langfuse.observation.model.name", LANGFUSE),
          k("embedding.model_name", OI + ", embeddings"),
          k("llm.model_name", OI));
  static final Field SESSION =
      field(
          Section.FIELDS,
          "session",
          "",
          k("gen_ai.conversation.id", OTEL + ", " + OLL + ", " + PAI),
          k("session.id", OI + ", " + LANGFUSE),
          k("langfuse.session.id", LANGFUSE + ", compat"),
          k("ai.telemetry.metadata.sessionId", VERCEL + " legacy, Langfuse's convention"),
          k("traceloop.association.properties.session_id", OLL),
          k("ai.settings.context.sessionId", VERCEL + " v7"),
          k("ai.settings.runtimeContext.sessionId", VERCEL + " v7, documented"),
          k("gen_ai.session.id", OLIT));
  static final Field WORKFLOW =
      field(
          Section.FIELDS,
          "workflow run",
          "groups chains like a session (`GET /workflows/{id}`); else `thread_id` inside the"
              + " OpenInference `metadata` JSON (LangGraph copies its thread id there)",
          k("temporalWorkflowID", "Temporal Go, Java, Python, .NET interceptors"),
          k("temporalWorkflowId", "Temporal TypeScript interceptors"),
          k("sdk.run.id", "Inngest extended traces"),
          k("langsmith.metadata.thread_id", "LangGraph through LangSmith's OTel export"));
  static final Field WORKFLOW_METADATA =
      field(
          Section.FIELDS,
          "workflow run (metadata)",
          "`thread_id` inside this JSON, when no workflow run key is present (LangGraph)",
          k("metadata", OI));
  static final Field USER =
      field(
          Section.FIELDS,
          "user",
          "",
          k("user.id", OI + ", " + LANGFUSE + ", " + OLIT),
          k("langfuse.user.id", LANGFUSE + ", compat"),
          k("ai.telemetry.metadata.userId", VERCEL + " legacy, Langfuse's convention"),
          k("traceloop.association.properties.user_id", OLL),
          k("ai.settings.context.userId", VERCEL + " v7"),
          k("ai.settings.runtimeContext.userId", VERCEL + " v7, documented"),
          k("gen_ai.user.id", OLIT),
          k("enduser.id", "OTel general"));
  static final Field AGENT =
      field(
          Section.FIELDS,
          "agent",
          "then `traceloop.entity.name` on spans with `traceloop.span.kind`=agent, then the span"
              + " name of an agent span (`invoke_agent planner`→`planner`, `agent run`→empty)",
          k("gen_ai.agent.name", OTEL + ", " + OLL + ", " + OLIT + ", " + PAI + " v3+"),
          k("agent.name", OI),
          k("agent_name", PAI + " v2"),
          k("ai.telemetry.functionId", VERCEL + " legacy"));
  static final Field AGENT_ID =
      field(Section.FIELDS, "agent id", "", k("gen_ai.agent.id", OTEL), k("agent.id", "other"));
  static final Field AGENT_VERSION =
      field(
          Section.FIELDS,
          "agent version",
          "",
          k("gen_ai.agent.version", OTEL + " ≥ 1.40"),
          k("agent.version", "other"));
  static final Field TOOL =
      field(
          Section.FIELDS,
          "tool",
          "then `traceloop.entity.name` on spans with `traceloop.span.kind`=tool, then the span name"
              + " of a tool span (`execute_tool search`→`search`)",
          k("gen_ai.tool.name", OTEL + ", " + OLL + ", " + OLIT + ", " + PAI),
          k("tool.name", OI),
          k("ai.toolCall.name", VERCEL + " legacy"));
  static final Field ENTITY_NAME =
      field(
          Section.FIELDS,
          "agent or tool (OpenLLMetry)",
          "the agent on spans with `traceloop.span.kind`=agent, the tool on spans with"
              + " `traceloop.span.kind`=tool, when the keys above are absent",
          k("traceloop.entity.name", OLL));
  static final Field TOOL_CALL_ID =
      field(
          Section.FIELDS,
          "tool call id",
          "",
          k("gen_ai.tool.call.id", OTEL + ", " + OLIT + ", " + PAI),
          k("tool_call.id", OI),
          k("tool.id", OI),
          k("ai.toolCall.id", VERCEL + " legacy"),
          k("langfuse.observation.metadata.tool_call_id", LANGFUSE + ", app metadata"));
  static final Field FINISH_REASONS =
      field(
          Section.FIELDS,
          "finish reasons",
          "a JSON array, else one reason",
          k("gen_ai.response.finish_reasons", OTEL + ", " + VERCEL + " v7, " + PAI),
          k("ai.response.finishReason", VERCEL + " legacy"),
          k("llm.finish_reason", OI),
          k("gen_ai.response.finish_reason", OLL));
  static final Field SERVICE_TIER =
      field(
          Section.FIELDS,
          "service tier",
          "",
          k("openai.response.service_tier", OTEL + ", OpenAI"),
          k("openai.request.service_tier", OTEL + ", OpenAI"),
          k("gen_ai.openai.response.service_tier", OTEL + ", deprecated"),
          k("gen_ai.openai.request.service_tier", OTEL + ", deprecated"),
          k("gen_ai.request.service_tier", "other"));
  static final Field SERVICE_TIER_PARAMETERS =
      field(
          Section.FIELDS,
          "service tier (parameters)",
          "`service_tier` inside this JSON, when no service tier key is present",
          k("llm.invocation_parameters", OI),
          k("langfuse.observation.model.parameters", LANGFUSE));
  static final Field ERROR_TYPE =
      field(
          Section.FIELDS,
          "error type",
          "else, on an error span, `exception.type` of its first `exception` event",
          k("error.type", "OTel general"));
  static final Field SERVICE_NAME =
      field(
          Section.FIELDS,
          "service",
          "the resource's, else the span's",
          k("service.name", "OTel resource"));
  static final Field SERVICE_VERSION =
      field(
          Section.FIELDS,
          "service version",
          "the resource's, else the span's",
          k("service.version", "OTel resource"));
  static final Field PROJECT =
      field(
          Section.FIELDS,
          "project",
          "the caller's (the API key's project, or the Kafka header `agentledger.project`), else"
              + " this resource attribute, else `default`",
          k("agentledger.project", "AgentLedger resource"));

  // ---- Usage: UsageExtractor ----

  static final Field USAGE_DETAILS =
      field(
          Section.USAGE,
          "(all)",
          "read first: disjoint buckets (`input` excludes cache, `output` excludes reasoning);"
              + " OpenAI-style keys inside it (`prompt_tokens`) are inclusive",
          k("langfuse.observation.usage_details", LANGFUSE));
  static final Field INPUT =
      field(
          Section.USAGE,
          "input",
          "",
          k("gen_ai.usage.input_tokens", OTEL + ", " + OLL + ", " + OLIT + ", " + PAI),
          k("gen_ai.usage.prompt_tokens", OTEL + " ≤ 1.26, " + OLL + " < 0.5"),
          k("llm.token_count.prompt", OI),
          k("ai.usage.inputTokens", VERCEL + " legacy ≥ 5"),
          k("ai.usage.promptTokens", VERCEL + " legacy ≤ 4 (cache-exclusive)"),
          k("llm.usage.prompt_tokens", OLL + " < 0.5"));
  static final Field OUTPUT =
      field(
          Section.USAGE,
          "output",
          "",
          k("gen_ai.usage.output_tokens", OTEL + ", " + OLL + ", " + OLIT + ", " + PAI),
          k("gen_ai.usage.completion_tokens", OTEL + " ≤ 1.26, " + OLL + " < 0.5"),
          k("llm.token_count.completion", OI),
          k("ai.usage.outputTokens", VERCEL + " legacy ≥ 5"),
          k("ai.usage.completionTokens", VERCEL + " legacy ≤ 4"),
          k("llm.usage.completion_tokens", OLL + " < 0.5"));
  static final Field CACHE_READ =
      field(
          Section.USAGE,
          "cache read",
          "then Vercel's `ai.response.providerMetadata`",
          k("gen_ai.usage.cache_read.input_tokens", OTEL + " ≥ 1.40, " + OLL + ", " + OLIT),
          k("gen_ai.usage.cache_read_input_tokens", OLL + " < 0.5"),
          k("llm.token_count.prompt_details.cache_read", OI),
          k("ai.usage.inputTokenDetails.cacheReadTokens", VERCEL + " legacy"),
          k("ai.usage.cachedInputTokens", VERCEL + " legacy"),
          k("gen_ai.usage.details.cache_read_tokens", PAI),
          k("gen_ai.usage.prompt_tokens_details.cached_tokens", OLIT + ", legacy"),
          k("gen_ai.usage.cache_read_tokens", "other"));
  static final Field CACHE_WRITE =
      field(
          Section.USAGE,
          "cache write",
          "then provider metadata",
          k("gen_ai.usage.cache_write.input_tokens", OTEL + " 2026"),
          k("gen_ai.usage.cache_creation.input_tokens", OTEL + " 1.37–1.41, " + OLL + ", " + OLIT),
          k("gen_ai.usage.cache_creation_input_tokens", OLL + " < 0.5"),
          k("llm.token_count.prompt_details.cache_write", OI),
          k("ai.usage.inputTokenDetails.cacheWriteTokens", VERCEL + " legacy"),
          k("gen_ai.usage.details.cache_write_tokens", PAI),
          k("gen_ai.usage.prompt_tokens_details.cache_creation_tokens", OLIT));
  static final Field CACHE_WRITE_1H =
      field(
          Section.USAGE,
          "1-hour cache write",
          "then provider metadata",
          k("gen_ai.usage.cache_write.1h.input_tokens", OTEL + " 2026"),
          k("gen_ai.usage.cache_creation.ephemeral_1h_input_tokens", "Anthropic instrumentations"),
          k("gen_ai.usage.details.cache_write_1h_tokens", PAI));
  static final Field REASONING =
      field(
          Section.USAGE,
          "reasoning",
          "then provider metadata",
          k("gen_ai.usage.reasoning.output_tokens", OTEL + " 2026"),
          k("gen_ai.usage.reasoning_tokens", OLL + ", " + OLIT),
          k("llm.token_count.completion_details.reasoning", OI),
          k("ai.usage.outputTokenDetails.reasoningTokens", VERCEL + " legacy"),
          k("ai.usage.reasoningTokens", VERCEL + " legacy"),
          k("gen_ai.usage.completion_tokens_details.reasoning_tokens", OLIT),
          k("gen_ai.usage.details.reasoning_tokens", PAI),
          k("llm.usage.reasoning_tokens", OLL + " < 0.5"));
  static final Field TOTAL =
      field(
          Section.USAGE,
          "embedding input",
          "the total, as input, on embedding spans without an input count",
          k("gen_ai.usage.total_tokens", OLL + ", " + OLIT),
          k("llm.token_count.total", OI),
          k("ai.usage.tokens", VERCEL + " legacy embeddings"));
  static final Field PROVIDER_METADATA =
      field(
          Section.USAGE,
          "provider metadata",
          "JSON, read for the counters a span lacks, at the pointers below",
          k("ai.response.providerMetadata", VERCEL));
  static final Field METADATA_CACHE_READ =
      field(
          Section.USAGE,
          "cache read (metadata)",
          "",
          k("/openai/cachedPromptTokens", "OpenAI provider"),
          k("/anthropic/usage/cache_read_input_tokens", "Anthropic provider"),
          k("/anthropic/cacheReadInputTokens", "Anthropic provider"),
          k("/bedrock/usage/cacheReadInputTokens", "Bedrock provider"),
          k("/google/usageMetadata/cachedContentTokenCount", "Google provider"),
          k("/vertex/usageMetadata/cachedContentTokenCount", "Vertex provider"));
  static final Field METADATA_CACHE_WRITE =
      field(
          Section.USAGE,
          "cache write (metadata)",
          "",
          k("/anthropic/cacheCreationInputTokens", "Anthropic provider"),
          k("/anthropic/usage/cache_creation_input_tokens", "Anthropic provider"),
          k("/bedrock/usage/cacheWriteInputTokens", "Bedrock provider"));
  static final Field METADATA_CACHE_WRITE_1H =
      field(
          Section.USAGE,
          "1-hour cache write (metadata)",
          "",
          k("/anthropic/usage/cache_creation/ephemeral_1h_input_tokens", "Anthropic provider"));
  static final Field METADATA_REASONING =
      field(
          Section.USAGE,
          "reasoning (metadata)",
          "",
          k("/openai/reasoningTokens", "OpenAI provider"));
  static final Field METADATA_THOUGHTS =
      field(
          Section.USAGE,
          "Gemini thoughts (metadata)",
          "apart from the candidates: added to output",
          k("/google/usageMetadata/thoughtsTokenCount", "Google provider"),
          k("/vertex/usageMetadata/thoughtsTokenCount", "Vertex provider"));
  static final Field GEMINI_RESPONSE =
      field(
          Section.USAGE,
          "Gemini response",
          "JSON, read for the counters a span lacks: `usage_metadata.cached_content_token_count`"
              + " (cache read) and `usage_metadata.thoughts_token_count` (thoughts, added to output)",
          k("gcp.vertex.agent.llm_response", "Google ADK"));
  static final Field GEMINI_THOUGHTS_APART =
      field(
          Section.USAGE,
          "Gemini thoughts apart",
          "on a Gemini model these reasoning keys hold `thoughtsTokenCount`, which the output"
              + " (`candidatesTokenCount`) excludes: they are added to output",
          k("llm.token_count.completion_details.reasoning", OI),
          k("gen_ai.usage.reasoning_tokens", OLIT));
  static final Field SDK_NAME =
      field(
          Section.USAGE,
          "emitter OpenLIT",
          "`openlit` on the resource or the span (or an instrumentation scope named `openlit…`):"
              + " its Anthropic input is cache-exclusive",
          k("telemetry.sdk.name", "OTel resource"));

  // ---- Reported cost: ReportedCost ----

  static final Field REPORTED_COST =
      field(
          Section.COST,
          "reported cost",
          "the first is JSON: its `total`, else the sum of its parts",
          k("langfuse.observation.cost_details", LANGFUSE),
          k("llm.cost.total", OI),
          k("gen_ai.usage.cost", OLIT),
          k("operation.cost", PAI + " / Logfire"));

  // ---- Content, for counting tokens when usage is missing: ContentText ----

  static final Field SYSTEM_TEXT =
      field(
          Section.CONTENT,
          "system instructions",
          "prefixed to the input text",
          k("gen_ai.system_instructions", OTEL + ", " + VERCEL + " v7"));
  static final Field INPUT_TEXT =
      field(
          Section.CONTENT,
          "input text",
          "",
          k("gen_ai.input.messages", OTEL),
          k("gen_ai.prompt", OTEL + ", deprecated"),
          k("llm.input_messages", OI),
          k("input.value", OI),
          k("ai.prompt.messages", VERCEL + " legacy"),
          k("ai.prompt", VERCEL + " legacy"),
          k("langfuse.observation.input", LANGFUSE),
          k("traceloop.entity.input", OLL));
  static final Field INPUT_TEXT_INDEXED =
      field(
          Section.CONTENT,
          "input text (indexed)",
          "when no input text key is present: every index `{i}`, joined",
          k("gen_ai.prompt.{i}.content", OLL + " < 0.5"),
          k("llm.input_messages.{i}.message.content", OI));
  static final Field OUTPUT_TEXT =
      field(
          Section.CONTENT,
          "output text",
          "",
          k("gen_ai.output.messages", OTEL),
          k("gen_ai.completion", OTEL + ", deprecated"),
          k("output.value", OI),
          k("ai.response.text", VERCEL + " legacy"),
          k("ai.result.text", VERCEL + " ≤ 3"),
          k("langfuse.observation.output", LANGFUSE),
          k("traceloop.entity.output", OLL));
  static final Field OUTPUT_TEXT_INDEXED =
      field(
          Section.CONTENT,
          "output text (indexed)",
          "when no output text key is present: every index `{i}`, joined",
          k("gen_ai.completion.{i}.content", OLL + " < 0.5"),
          k("llm.output_messages.{i}.message.content", OI));

  /** Every field, in the order the doc lists them. */
  static final List<Field> ALL =
      List.of(
          TYPE_MCP,
          TYPE_LANGFUSE,
          TYPE_OPENINFERENCE,
          TYPE_AGENTS_SDK,
          TYPE_VERCEL,
          TYPE_OPERATION,
          TYPE_TRACELOOP,
          TYPE_PYDANTIC_NAME,
          TYPE_CLAUDE_CODE,
          TYPE_TOOL,
          TYPE_MODEL,
          TYPE_MODEL_USAGE,
          TYPE_MODEL_PROMPT,
          PROVIDER,
          RESPONSE_MODEL,
          REQUEST_MODEL,
          SESSION,
          WORKFLOW,
          WORKFLOW_METADATA,
          USER,
          AGENT,
          AGENT_ID,
          AGENT_VERSION,
          TOOL,
          ENTITY_NAME,
          TOOL_CALL_ID,
          FINISH_REASONS,
          SERVICE_TIER,
          SERVICE_TIER_PARAMETERS,
          ERROR_TYPE,
          SERVICE_NAME,
          SERVICE_VERSION,
          PROJECT,
          USAGE_DETAILS,
          INPUT,
          OUTPUT,
          CACHE_READ,
          CACHE_WRITE,
          CACHE_WRITE_1H,
          REASONING,
          TOTAL,
          PROVIDER_METADATA,
          METADATA_CACHE_READ,
          METADATA_CACHE_WRITE,
          METADATA_CACHE_WRITE_1H,
          METADATA_REASONING,
          METADATA_THOUGHTS,
          GEMINI_RESPONSE,
          GEMINI_THOUGHTS_APART,
          SDK_NAME,
          REPORTED_COST,
          SYSTEM_TEXT,
          INPUT_TEXT,
          INPUT_TEXT_INDEXED,
          OUTPUT_TEXT,
          OUTPUT_TEXT_INDEXED);
}

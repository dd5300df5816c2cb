package io.agentledger.core.normalize;

import io.agentledger.core.span.SpanType;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Decides a span's {@link SpanType}. The first rule that applies wins:
 *
 * <ol>
 *   <li>{@code mcp.method.name} {@code tools/call} on a SERVER span with a parent: the MCP server's
 *       side of a call its client records as the tool, so other (counted once, on the client)
 *   <li>{@code langfuse.observation.type} (Langfuse SDKs), except the generic {@code span}
 *   <li>{@code openinference.span.kind} (OpenInference), refined for the OpenAI Agents SDK: its
 *       trace span is a chain, its hand-offs and MCP tool listings are not tool executions
 *   <li>{@code ai.operationId} (Vercel AI SDK legacy spans): {@code *.doGenerate}/{@code
 *       *.doStream} are model calls, {@code *.doEmbed} embeddings, the outer {@code
 *       ai.generateText}-style spans are chains that repeat their steps' usage, {@code ai.toolCall}
 *       a tool
 *   <li>{@code gen_ai.operation.name} (OTel GenAI, OpenLIT, Vercel v7, Pydantic AI, OpenLLMetry ≥
 *       0.5), including the non-standard values in the wild ({@code agent_step}, {@code
 *       execute_task}, {@code vectordb}, ...)
 *   <li>{@code traceloop.span.kind} (OpenLLMetry decorators), then {@code llm.request.type}
 *       (OpenLLMetry before 0.5)
 *   <li>Pydantic AI v2 span names ({@code agent run}, {@code running tool})
 *   <li>Claude Code's {@code span.type} (traces beta): the phases inside a tool run ({@code
 *       tool.execution}, {@code tool.blocked_on_user}) are not tool calls of their own
 *   <li>a tool name or tool call id → tool
 *   <li>a model name together with usage or prompt content → model call
 * </ol>
 */
final class SpanClassifier {

  /**
   * @param wrapper true for SDK wrappers that repeat their inner calls' usage whatever their type
   *     (Vercel's outer {@code ai.generateText}, {@code ai.embed}): never billable themselves
   */
  record Classification(SpanType type, String operationName, boolean wrapper) {}

  /**
   * The MCP server's span of a tool call whose client span is in the trace: the call is the
   * client's tool span, so this one is neither a tool call nor priced as one.
   */
  static boolean isMcpServerSide(Attrs a, boolean serverWithParent) {
    return serverWithParent && a.get(MCP_METHOD).equals("tools/call");
  }

  private static final String[] TRACELOOP_KIND = Conventions.TYPE_TRACELOOP.names();
  private static final String[] TOOL_KEYS = Conventions.TYPE_TOOL.names();
  private static final String[] MODEL_KEYS = Conventions.TYPE_MODEL.names();
  private static final String[] USAGE_KEYS = Conventions.TYPE_MODEL_USAGE.names();
  private static final String[] PROMPT_KEYS = Conventions.TYPE_MODEL_PROMPT.names();
  private static final String MCP_METHOD = Conventions.TYPE_MCP.key();
  private static final String GRAPH_NODE_ID = Conventions.TYPE_AGENTS_SDK.require("graph.node.id");
  private static final String OI_TOOL_NAME = Conventions.TYPE_AGENTS_SDK.require("tool.name");

  /** With a Vercel function id, a generate/stream wrapper is the agent loop the user named. */
  private static final String AGENT_FUNCTION_ID =
      Conventions.AGENT.require("ai.telemetry.functionId");

  private SpanClassifier() {}

  /**
   * @param scopeName the instrumentation scope that made the span
   * @param serverWithParent a SERVER span that has a parent span
   */
  static Classification classify(
      Attrs a, String spanName, String scopeName, boolean serverWithParent) {
    String op = a.first(Conventions.TYPE_OPERATION).trim();
    if (isMcpServerSide(a, serverWithParent)) {
      return new Classification(SpanType.OTHER, op, false);
    }
    SpanType type = byLangfuse(a.get(Conventions.TYPE_LANGFUSE.key()));
    if (type == null) {
      type = byOpenInference(a.get(Conventions.TYPE_OPENINFERENCE.key()));
      if (type != null && scopeName.startsWith(Conventions.OPENAI_AGENTS_SCOPE)) {
        type = byOpenAiAgents(type, a, spanName);
      }
    }
    String vercelOperation = a.first(Conventions.TYPE_VERCEL);
    if (type == null && isVercelWrapper(vercelOperation)) {
      SpanType wrapped =
          vercelOperation.startsWith("ai.embed")
              ? SpanType.EMBEDDING
              : a.has(AGENT_FUNCTION_ID) ? SpanType.AGENT : SpanType.CHAIN;
      return new Classification(wrapped, op, true);
    }
    if (type == null) {
      type = byVercelOperation(vercelOperation);
    }
    if (type == null && !op.isEmpty()) {
      type = byOperationName(op);
    }
    if (type == null) {
      type = byTraceloop(a.get(TRACELOOP_KIND[0]), a.get(TRACELOOP_KIND[1]));
    }
    if (type == null) {
      type = byPydanticV2Name(spanName);
    }
    if (type == null) {
      type = byClaudeCodeSpanType(a.get(Conventions.TYPE_CLAUDE_CODE.key()));
    }
    if (type == null && a.firstKey(TOOL_KEYS) != null) {
      type = SpanType.TOOL;
    }
    if (type == null && hasModel(a) && (hasUsage(a) || hasPrompt(a))) {
      type = SpanType.LLM;
    }
    return new Classification(type == null ? SpanType.OTHER : type, op, false);
  }

  private static @Nullable SpanType byLangfuse(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "generation" -> SpanType.LLM;
      case "embedding" -> SpanType.EMBEDDING;
      case "agent" -> SpanType.AGENT;
      case "tool" -> SpanType.TOOL;
      case "chain" -> SpanType.CHAIN;
      case "retriever" -> SpanType.RETRIEVAL;
      case "event", "guardrail", "evaluator" -> SpanType.OTHER;
      default -> null; // "span" and absent: let the other conventions decide
    };
  }

  private static @Nullable SpanType byOpenInference(String value) {
    return switch (value.toUpperCase(Locale.ROOT)) {
      case "LLM" -> SpanType.LLM;
      case "EMBEDDING" -> SpanType.EMBEDDING;
      case "AGENT" -> SpanType.AGENT;
      case "TOOL" -> SpanType.TOOL;
      case "CHAIN" -> SpanType.CHAIN;
      case "RETRIEVER", "RERANKER" -> SpanType.RETRIEVAL;
      case "GUARDRAIL", "EVALUATOR", "PROMPT" -> SpanType.OTHER;
      default -> null;
    };
  }

  /**
   * The OpenAI Agents SDK's spans as OpenInference renders them: the trace span is an AGENT named
   * after the workflow (agents carry {@code graph.node.id}); a hand-off and the listing of an MCP
   * server's tools are TOOL spans, though nothing is executed.
   */
  private static SpanType byOpenAiAgents(SpanType type, Attrs a, String spanName) {
    if (type == SpanType.AGENT && !a.has(GRAPH_NODE_ID)) {
      return SpanType.CHAIN;
    }
    if (type == SpanType.TOOL
        && (a.get(OI_TOOL_NAME).startsWith("handoff_to_") || spanName.equals("mcp_tools"))) {
      return SpanType.OTHER;
    }
    return type;
  }

  /**
   * Vercel's outer spans ({@code ai.generateText}, {@code ai.streamText}, {@code ai.embed}, ...)
   * wrap the steps that call the model and repeat their usage. With a {@code functionId} the
   * generate/stream wrappers are the agent loop the user named.
   */
  private static boolean isVercelWrapper(String operationId) {
    return operationId.startsWith("ai.")
        && operationId.indexOf('.', 3) < 0
        && !operationId.equals("ai.toolCall")
        && !operationId.equals("ai.toolExecution");
  }

  private static @Nullable SpanType byVercelOperation(String operationId) {
    if (operationId.isEmpty() || !operationId.startsWith("ai.")) {
      return null;
    }
    if (operationId.endsWith(".doGenerate") || operationId.endsWith(".doStream")) {
      return SpanType.LLM;
    }
    if (operationId.endsWith(".doEmbed")) {
      return SpanType.EMBEDDING;
    }
    if (operationId.equals("ai.toolCall") || operationId.equals("ai.toolExecution")) {
      return SpanType.TOOL;
    }
    // ai.generateText, ai.streamText, ai.generateObject, ai.embed, ...: wrappers over their steps
    return SpanType.CHAIN;
  }

  static @Nullable SpanType byOperationName(String op) {
    return switch (op.toLowerCase(Locale.ROOT)) {
      case "chat",
          "text_completion",
          "generate_content",
          "completion",
          "generate",
          "responses",
          "fetch_response",
          "model_request" ->
          SpanType.LLM;
      case "embeddings", "embedding", "embed" -> SpanType.EMBEDDING;
      case "invoke_agent", "create_agent", "agent" -> SpanType.AGENT;
      case "execute_tool", "tool" -> SpanType.TOOL;
      case "retrieval",
          "retrieve",
          "search_memory",
          "vectordb",
          "rerank",
          "create_memory",
          "update_memory",
          "upsert_memory",
          "delete_memory",
          "create_memory_store",
          "delete_memory_store" ->
          SpanType.RETRIEVAL;
      case "invoke_workflow",
          "workflow",
          "agent_step",
          "plan",
          "handle_conversation_turn",
          "execute_task",
          "tool_coordination",
          "user_prompt_processing" ->
          SpanType.CHAIN;
      default -> null;
    };
  }

  private static @Nullable SpanType byTraceloop(String spanKind, String requestType) {
    switch (spanKind.toLowerCase(Locale.ROOT)) {
      case "workflow", "task":
        return SpanType.CHAIN;
      case "agent":
        return SpanType.AGENT;
      case "tool":
        return SpanType.TOOL;
      default:
        break;
    }
    return switch (requestType.toLowerCase(Locale.ROOT)) {
      case "chat", "completion" -> SpanType.LLM;
      case "embedding" -> SpanType.EMBEDDING;
      case "rerank" -> SpanType.RETRIEVAL;
      default -> null;
    };
  }

  private static @Nullable SpanType byPydanticV2Name(String spanName) {
    if (spanName.equals("agent run") || spanName.startsWith("agent run ")) {
      return SpanType.AGENT;
    }
    if (spanName.equals("running tool") || spanName.startsWith("running tool ")) {
      return SpanType.TOOL;
    }
    return null;
  }

  private static @Nullable SpanType byClaudeCodeSpanType(String value) {
    return switch (value) {
      case "interaction" -> SpanType.AGENT;
      case "llm_request" -> SpanType.LLM;
      case "tool" -> SpanType.TOOL;
      case "tool.execution", "tool.blocked_on_user", "hook" -> SpanType.OTHER;
      default -> null;
    };
  }

  private static boolean hasModel(Attrs a) {
    return a.firstKey(MODEL_KEYS) != null;
  }

  private static boolean hasUsage(Attrs a) {
    return a.firstKey(USAGE_KEYS) != null;
  }

  private static boolean hasPrompt(Attrs a) {
    return a.firstKey(PROMPT_KEYS) != null;
  }
}

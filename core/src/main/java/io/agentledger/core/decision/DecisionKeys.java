package io.agentledger.core.decision;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The attribute and event keys the decision tree reads, per convention, in precedence order: the
 * single place to add a convention. The canonical span already carries what the normalizer knows
 * (type, agent, tool name and call id, finish reasons, model); these are the keys it does not.
 */
final class DecisionKeys {

  private DecisionKeys() {}

  /** A key and who emits it (for the docs). */
  record Key(String name, String emitters) {}

  /**
   * Tool-call lists flattened into indexed keys, {@code <prefix>.<i>.<middle>.<j>.<field>}: the
   * pattern's groups are the message index, the call index and the field.
   */
  record FlatCalls(
      String template,
      Pattern pattern,
      String nameField,
      String argumentsField,
      String idField,
      String emitters) {}

  /** How a JSON tool-call list is shaped. */
  enum JsonShape {
    /** OTel GenAI messages: {@code [{parts:[{type:"tool_call", id, name, arguments}]}]}. */
    OTEL_PARTS,
    /** {@code [{toolCallId, toolName, input|args}]}. */
    VERCEL,
    /**
     * An OpenAI message or list of them: {@code {tool_calls:[{id, function:{name, arguments}}]}}.
     */
    OPENAI
  }

  /** A string attribute holding the model's tool calls as JSON. */
  record JsonCalls(String key, JsonShape shape, String emitters) {}

  /** The most characters of tool arguments kept on a node. */
  static final int MAX_ARGUMENTS = 256;

  /** Tool calls a model chose, as JSON in one attribute of the model-call span. */
  static final List<JsonCalls> CHOSEN_JSON =
      List.of(
          new JsonCalls(
              "gen_ai.output.messages",
              JsonShape.OTEL_PARTS,
              "OTel GenAI ≥ 1.37, OpenLIT, Vercel AI SDK v7, Pydantic AI, AgentLedger"),
          new JsonCalls("ai.response.toolCalls", JsonShape.VERCEL, "Vercel AI SDK legacy"),
          new JsonCalls("gen_ai.completion", JsonShape.OPENAI, "OTel GenAI ≤ 1.26"),
          new JsonCalls("langfuse.observation.output", JsonShape.OPENAI, "Langfuse"),
          new JsonCalls("events", JsonShape.OPENAI, "Pydantic AI v1 (gen_ai.choice events)"),
          new JsonCalls("output.value", JsonShape.OPENAI, "OpenInference (raw response)"));

  /** Tool calls a model chose, flattened into indexed attributes of the model-call span. */
  static final List<FlatCalls> CHOSEN_FLAT =
      List.of(
          new FlatCalls(
              "llm.output_messages.{i}.message.tool_calls.{j}.tool_call.{function.name,"
                  + " function.arguments, id}",
              Pattern.compile(
                  "llm\\.output_messages\\.(\\d+)\\.message\\.tool_calls\\.(\\d+)\\.tool_call\\.(.+)"),
              "function.name",
              "function.arguments",
              "id",
              "OpenInference"),
          new FlatCalls(
              "gen_ai.completion.{i}.tool_calls.{j}.{name, arguments, id}",
              Pattern.compile("gen_ai\\.completion\\.(\\d+)\\.tool_calls\\.(\\d+)\\.(.+)"),
              "name",
              "arguments",
              "id",
              "OpenLLMetry"));

  /**
   * One chosen tool as plain attributes of the model-call span (OpenLIT); several are joined with
   * commas.
   */
  static final Key CHOSEN_NAME = new Key("gen_ai.tool.name", "OpenLIT");

  static final Key CHOSEN_ID = new Key("gen_ai.tool.call.id", "OpenLIT");
  static final Key CHOSEN_ARGUMENTS = new Key("gen_ai.tool.args", "OpenLIT");

  /** The arguments a tool execution ran with. */
  static final List<Key> TOOL_ARGUMENTS =
      List.of(
          new Key("gen_ai.tool.call.arguments", "OTel GenAI, Pydantic AI, AgentLedger"),
          new Key("ai.toolCall.args", "Vercel AI SDK legacy"),
          new Key("ai.toolCall.input", "Vercel AI SDK legacy ≥ 5"),
          new Key("gen_ai.tool.args", "OpenLIT"),
          new Key("tool_arguments", "Pydantic AI v1"),
          new Key("input.value", "OpenInference"),
          new Key("traceloop.entity.input", "OpenLLMetry"),
          new Key("langfuse.observation.input", "Langfuse"));

  /** A decision, recorded as a span event with these attributes. */
  static final List<String> DECISION_EVENTS = List.of("agentledger.decision");

  static final Key DECISION_NAME = new Key("agentledger.decision.name", "AgentLedger");
  static final Key DECISION_OPTIONS = new Key("agentledger.decision.options", "AgentLedger");
  static final Key DECISION_CHOSEN = new Key("agentledger.decision.chosen", "AgentLedger");
  static final Key DECISION_REASON = new Key("agentledger.decision.reason", "AgentLedger");
  static final Key DECISION_SCORE = new Key("agentledger.decision.score", "AgentLedger");

  /** A hand-off, recorded as an event on the agent handing over. */
  static final List<String> HANDOFF_EVENTS = List.of("agentledger.handoff");

  static final List<Key> HANDOFF_TO =
      List.of(
          new Key("agentledger.handoff.to", "AgentLedger"),
          new Key("to_agent", "OpenAI Agents SDK"));

  /** A field inside a JSON attribute. */
  record JsonField(String key, String field, String emitters) {}

  /**
   * A hand-off span's target inside its JSON output, when no key above is present: the OpenAI
   * Agents SDK's hand-off as OpenInference renders it (a TOOL span {@code handoff_to_<agent>},
   * which the normalizer makes a span of type other).
   */
  static final List<JsonField> HANDOFF_TO_JSON =
      List.of(new JsonField("output.value", "to_agent", "OpenInference, OpenAI Agents SDK"));

  /**
   * A guardrail's result: a span with this boolean is a decision between {@link
   * #GUARDRAIL_OPTIONS}, labelled with the span's name (the guardrail's).
   */
  static final Key GUARDRAIL_TRIGGERED =
      new Key("guardrail.triggered", "OpenInference, OpenAI Agents SDK");

  /** The options of a guardrail decision: the input passed, or the tripwire stopped the run. */
  static final List<String> GUARDRAIL_OPTIONS = List.of("pass", "tripwire");

  /**
   * An MCP span (OTel MCP conventions). On a tool span it names the server: {@link
   * #MCP_SERVER_ADDRESS} on the client's span, the service on the server's. A server's {@code
   * tools/call} span under the same chain names the server on the client's tool span of the same
   * tool that was running when it started.
   */
  static final Key MCP_METHOD = new Key("mcp.method.name", "OTel MCP");

  static final Key MCP_TOOL = new Key("gen_ai.tool.name", "OTel MCP");
  static final Key MCP_SERVER_ADDRESS = new Key("server.address", "OTel MCP");

  /** A human approval: a span with any of these attributes. */
  static final Key APPROVAL_ACTION = new Key("agentledger.approval.action", "AgentLedger");

  static final Key APPROVAL_STATUS = new Key("agentledger.approval.status", "AgentLedger");
  static final Key APPROVAL_BY = new Key("agentledger.approval.by", "AgentLedger");
  static final Key APPROVAL_REASON = new Key("agentledger.approval.reason", "AgentLedger");
  static final Key APPROVAL_WAIT_MS = new Key("agentledger.approval.wait_ms", "AgentLedger");

  /** An exception, recorded as a span event (OpenTelemetry semantic conventions). */
  static final String EXCEPTION_EVENT = "exception";

  static final Key EXCEPTION_TYPE = new Key("exception.type", "OTel");
  static final Key EXCEPTION_MESSAGE = new Key("exception.message", "OTel");
}

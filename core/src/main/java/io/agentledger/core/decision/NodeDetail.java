package io.agentledger.core.decision;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a node says beyond its kind, label and numbers; each kind fills its own fields, the others
 * are empty (strings empty, lists empty, numbers null).
 *
 * @param model llm: the model that answered (else the one asked for)
 * @param finishReason llm: why the model stopped, e.g. {@code tool_calls}, {@code stop}
 * @param chosenTools llm: the tool calls the model asked for, in its order
 * @param tool tool: the tool's name
 * @param toolCallId tool: the call id the execution answers
 * @param arguments tool: the arguments it ran with, truncated
 * @param server tool: the MCP server that served it, when it was an MCP tool call
 * @param from handoff: the agent handing over
 * @param to handoff: the agent taking over
 * @param options decision: the options considered
 * @param choice decision: the option taken
 * @param reason decision: why; approval: the approver's reason
 * @param score decision: the chosen option's score
 * @param outcome approval: {@code approved}, {@code denied}, ... as recorded
 * @param by approval: who answered
 * @param waitMs approval: how long the agent waited for the answer
 * @param errorType error: the exception type; any failed span: its error type
 * @param errorMessage error: the exception message; any failed span: its status message
 */
public record NodeDetail(
    String model,
    String finishReason,
    List<ToolChoice> chosenTools,
    String tool,
    String toolCallId,
    String arguments,
    String server,
    String from,
    String to,
    List<String> options,
    String choice,
    String reason,
    @Nullable Double score,
    String outcome,
    String by,
    @Nullable Long waitMs,
    String errorType,
    String errorMessage) {

  /** No detail. */
  public static final NodeDetail NONE = new Builder().build();

  public NodeDetail {
    model = orEmpty(model);
    finishReason = orEmpty(finishReason);
    chosenTools = chosenTools == null ? List.of() : List.copyOf(chosenTools);
    tool = orEmpty(tool);
    toolCallId = orEmpty(toolCallId);
    arguments = orEmpty(arguments);
    server = orEmpty(server);
    from = orEmpty(from);
    to = orEmpty(to);
    options = options == null ? List.of() : List.copyOf(options);
    choice = orEmpty(choice);
    reason = orEmpty(reason);
    outcome = orEmpty(outcome);
    by = orEmpty(by);
    errorType = orEmpty(errorType);
    errorMessage = orEmpty(errorMessage);
  }

  static NodeDetail llm(String model, String finishReason, List<ToolChoice> chosenTools) {
    Builder b = new Builder();
    b.model = model;
    b.finishReason = finishReason;
    b.chosenTools = chosenTools;
    return b.build();
  }

  static NodeDetail tool(String tool, String toolCallId, String arguments, String server) {
    Builder b = new Builder();
    b.tool = tool;
    b.toolCallId = toolCallId;
    b.arguments = arguments;
    b.server = server;
    return b.build();
  }

  static NodeDetail handoff(String from, String to) {
    Builder b = new Builder();
    b.from = from;
    b.to = to;
    return b.build();
  }

  static NodeDetail decision(
      List<String> options, String choice, String reason, @Nullable Double score) {
    Builder b = new Builder();
    b.options = options;
    b.choice = choice;
    b.reason = reason;
    b.score = score;
    return b.build();
  }

  static NodeDetail approval(String outcome, String by, String reason, @Nullable Long waitMs) {
    Builder b = new Builder();
    b.outcome = outcome;
    b.by = by;
    b.reason = reason;
    b.waitMs = waitMs;
    return b.build();
  }

  static NodeDetail error(String errorType, String errorMessage) {
    Builder b = new Builder();
    b.errorType = errorType;
    b.errorMessage = errorMessage;
    return b.build();
  }

  /** This detail with the failed span's error type and message, when it has none of its own. */
  NodeDetail withError(String type, String message) {
    if (!errorType.isEmpty() || (type.isEmpty() && message.isEmpty())) {
      return this;
    }
    Builder b = new Builder(this);
    b.errorType = type;
    b.errorMessage = message;
    return b.build();
  }

  /** This tool's detail with the MCP server that served it. */
  NodeDetail withServer(String mcpServer) {
    Builder b = new Builder(this);
    b.server = mcpServer;
    return b.build();
  }

  /** The one way details are made: every field empty unless set. */
  private static final class Builder {
    String model = "";
    String finishReason = "";
    List<ToolChoice> chosenTools = List.of();
    String tool = "";
    String toolCallId = "";
    String arguments = "";
    String server = "";
    String from = "";
    String to = "";
    List<String> options = List.of();
    String choice = "";
    String reason = "";
    @Nullable Double score;
    String outcome = "";
    String by = "";
    @Nullable Long waitMs;
    String errorType = "";
    String errorMessage = "";

    Builder() {}

    Builder(NodeDetail d) {
      model = d.model;
      finishReason = d.finishReason;
      chosenTools = d.chosenTools;
      tool = d.tool;
      toolCallId = d.toolCallId;
      arguments = d.arguments;
      server = d.server;
      from = d.from;
      to = d.to;
      options = d.options;
      choice = d.choice;
      reason = d.reason;
      score = d.score;
      outcome = d.outcome;
      by = d.by;
      waitMs = d.waitMs;
      errorType = d.errorType;
      errorMessage = d.errorMessage;
    }

    NodeDetail build() {
      return new NodeDetail(
          model,
          finishReason,
          chosenTools,
          tool,
          toolCallId,
          arguments,
          server,
          from,
          to,
          options,
          choice,
          reason,
          score,
          outcome,
          by,
          waitMs,
          errorType,
          errorMessage);
    }
  }

  private static String orEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }
}

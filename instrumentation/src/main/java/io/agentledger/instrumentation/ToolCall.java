package io.agentledger.instrumentation;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;

/**
 * One tool call ({@code execute_tool {name}}). Arguments and results are recorded only when content
 * capture is on: they often hold user data.
 */
public final class ToolCall implements AutoCloseable {

  private final AgentRun run;
  private final Span span;

  ToolCall(AgentRun run, String toolName) {
    run.ledger().checkBudget(run);
    this.run = run;
    var b =
        run.ledger()
            .tracer()
            .spanBuilder("execute_tool " + toolName)
            .setParent(run.context())
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(Keys.OPERATION, "execute_tool")
            .setAttribute(Keys.TOOL_NAME, toolName)
            .setAttribute(Keys.TOOL_TYPE, "function")
            .setAttribute(Keys.AGENT_NAME, run.name());
    if (run.version() != null) {
      b.setAttribute(Keys.AGENT_VERSION, run.version());
    }
    if (run.conversationId() != null) {
      b.setAttribute(Keys.CONVERSATION_ID, run.conversationId());
    }
    this.span = b.startSpan();
  }

  /**
   * The id the model gave this call ({@code gen_ai.tool.call.id}).
   *
   * @param id the call id
   * @return this call
   */
  public ToolCall callId(String id) {
    span.setAttribute(Keys.TOOL_CALL_ID, id);
    return this;
  }

  /**
   * The arguments as JSON; recorded only with content capture on.
   *
   * @param json the arguments
   * @return this call
   */
  public ToolCall arguments(String json) {
    if (run.ledger().capturesContent()) {
      span.setAttribute(Keys.TOOL_ARGUMENTS, json);
    }
    return this;
  }

  /**
   * The result as JSON; recorded only with content capture on.
   *
   * @param json the result
   * @return this call
   */
  public ToolCall result(String json) {
    if (run.ledger().capturesContent()) {
      span.setAttribute(Keys.TOOL_RESULT, json);
    }
    return this;
  }

  /**
   * Marks the call failed (status error, {@code error.type}).
   *
   * @param error what went wrong
   * @return this call
   */
  public ToolCall fail(Throwable error) {
    Keys.fail(span, error);
    return this;
  }

  @Override
  public void close() {
    span.end();
  }
}

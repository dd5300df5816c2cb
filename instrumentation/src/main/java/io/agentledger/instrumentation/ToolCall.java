package io.agentledger.instrumentation;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One tool call ({@code execute_tool {name}}). Arguments and results are recorded only when content
 * capture is on: they often hold user data.
 */
public final class ToolCall implements AutoCloseable {

  private final AgentRun run;
  private final Span span;
  private final AtomicBoolean ended = new AtomicBoolean();

  ToolCall(AgentRun run, String toolName) {
    toolName = AgentLedger.nonNull(toolName, "tool(toolName)", "unknown");
    run.ledger().checkBudget(run, 0, 0);
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

  /**
   * Adds an attribute of your own to the call's span.
   *
   * @param key the attribute's key
   * @param value its value; null is ignored
   * @return this call
   */
  public ToolCall attribute(String key, @Nullable String value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * Adds a numeric attribute of your own to the call's span.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this call
   */
  public ToolCall attribute(String key, long value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * Adds a numeric attribute of your own to the call's span.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this call
   */
  public ToolCall attribute(String key, double value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * Adds a boolean attribute of your own to the call's span.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this call
   */
  public ToolCall attribute(String key, boolean value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * The call's OpenTelemetry span, for what this API does not cover. End it only through {@link
   * #close()}.
   *
   * @return the span
   */
  public Span span() {
    return span;
  }

  /** Ends the call; only the first call does anything. */
  @Override
  public void close() {
    if (ended.compareAndSet(false, true)) {
      span.end();
    }
  }
}

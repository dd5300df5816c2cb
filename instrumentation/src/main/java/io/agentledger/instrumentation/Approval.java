package io.agentledger.instrumentation;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A human approval gate (in the HumanLayer style): a span {@code approval {action}} from the
 * request to the answer, with {@code agentledger.approval.action}, {@code .status} ({@code
 * approved}, {@code denied} or {@code abandoned}), {@code .by}, {@code .reason} and {@code
 * .wait_ms}.
 */
public final class Approval implements AutoCloseable {

  private final AgentLedger ledger;
  private final Span span;
  private final long requestedNanos;
  private final AtomicBoolean answered = new AtomicBoolean();

  Approval(AgentRun run, String action) {
    action = AgentLedger.nonNull(action, "requestApproval(action)", "unknown");
    this.ledger = run.ledger();
    this.requestedNanos = ledger.clock().nanoTime();
    this.span =
        ledger
            .tracer()
            .spanBuilder("approval " + action)
            .setParent(run.context())
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(Keys.APPROVAL_ACTION, action)
            .setAttribute(Keys.AGENT_NAME, run.name())
            .startSpan();
  }

  /**
   * The human approved.
   *
   * @param by who approved
   */
  public void approve(String by) {
    answer("approved", by, null);
  }

  /**
   * The human denied; the span's status is an error so the chain shows where it stopped.
   *
   * @param by who denied
   * @param reason why
   */
  public void deny(String by, String reason) {
    answer("denied", by, reason);
  }

  private void answer(String status, @Nullable String by, @Nullable String reason) {
    if (!answered.compareAndSet(false, true)) {
      Misuse.report("an approval was answered twice", "the second answer, " + status + ", ignored");
      return;
    }
    if (status.equals("denied")) {
      span.setStatus(StatusCode.ERROR, "approval denied"); // before the span ends
    }
    span.setAttribute(Keys.APPROVAL_STATUS, status);
    if (by != null) {
      span.setAttribute(Keys.APPROVAL_BY, by);
    }
    if (reason != null) {
      span.setAttribute(Keys.APPROVAL_REASON, reason);
    }
    span.setAttribute(
        Keys.APPROVAL_WAIT_MS, (ledger.clock().nanoTime() - requestedNanos) / 1_000_000);
    span.end();
  }

  /**
   * Adds an attribute of your own to the approval's span.
   *
   * @param key the attribute's key
   * @param value its value; null is ignored
   * @return this approval
   */
  public Approval attribute(String key, @Nullable String value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * Adds a numeric attribute of your own to the approval's span.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this approval
   */
  public Approval attribute(String key, long value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * Adds a numeric attribute of your own to the approval's span.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this approval
   */
  public Approval attribute(String key, double value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * Adds a boolean attribute of your own to the approval's span.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this approval
   */
  public Approval attribute(String key, boolean value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * The approval's OpenTelemetry span, for what this API does not cover. End it only through {@link
   * #close()}.
   *
   * @return the span
   */
  public Span span() {
    return span;
  }

  /** Ends an approval nobody answered as {@code abandoned}. */
  @Override
  public void close() {
    if (!answered.get()) {
      answer("abandoned", null, null);
    }
  }
}

package io.agentledger.instrumentation;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/** One retrieval from a data source ({@code retrieval {data source}}), e.g. a vector search. */
public final class Retrieval implements AutoCloseable {

  private final AgentRun run;
  private final Span span;
  private final AtomicBoolean ended = new AtomicBoolean();

  Retrieval(AgentRun run, String dataSourceId) {
    dataSourceId = AgentLedger.nonNull(dataSourceId, "retrieval(dataSourceId)", "unknown");
    this.run = run;
    this.span =
        run.ledger()
            .tracer()
            .spanBuilder("retrieval " + dataSourceId)
            .setParent(run.context())
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(Keys.OPERATION, "retrieval")
            .setAttribute(Keys.DATA_SOURCE, dataSourceId)
            .setAttribute(Keys.AGENT_NAME, run.name())
            .startSpan();
  }

  /**
   * How many documents were asked for ({@code gen_ai.request.top_k}).
   *
   * @param k the number asked for
   * @return this retrieval
   */
  public Retrieval topK(long k) {
    span.setAttribute(Keys.RETRIEVAL_TOP_K, k);
    return this;
  }

  /**
   * The query text; recorded only with content capture on.
   *
   * @param text the query
   * @return this retrieval
   */
  public Retrieval query(String text) {
    if (run.ledger().capturesContent()) {
      span.setAttribute(Keys.RETRIEVAL_QUERY, text);
    }
    return this;
  }

  /**
   * How many documents came back.
   *
   * @param count the number of documents
   * @return this retrieval
   */
  public Retrieval documents(long count) {
    span.setAttribute(Keys.RETRIEVAL_DOCUMENTS, count);
    return this;
  }

  /**
   * Adds an attribute of your own to the retrieval's span.
   *
   * @param key the attribute's key
   * @param value its value; null is ignored
   * @return this retrieval
   */
  public Retrieval attribute(String key, @Nullable String value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * Adds a numeric attribute of your own to the retrieval's span.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this retrieval
   */
  public Retrieval attribute(String key, long value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * Adds a numeric attribute of your own to the retrieval's span.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this retrieval
   */
  public Retrieval attribute(String key, double value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * Adds a boolean attribute of your own to the retrieval's span.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this retrieval
   */
  public Retrieval attribute(String key, boolean value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * The retrieval's OpenTelemetry span, for what this API does not cover. End it only through
   * {@link #close()}.
   *
   * @return the span
   */
  public Span span() {
    return span;
  }

  /** Ends the retrieval; only the first call does anything. */
  @Override
  public void close() {
    if (ended.compareAndSet(false, true)) {
      span.end();
    }
  }
}

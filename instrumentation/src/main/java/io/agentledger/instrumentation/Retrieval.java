package io.agentledger.instrumentation;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;

/** One retrieval from a data source ({@code retrieval {data source}}), e.g. a vector search. */
public final class Retrieval implements AutoCloseable {

  private final AgentRun run;
  private final Span span;

  Retrieval(AgentRun run, String dataSourceId) {
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

  @Override
  public void close() {
    span.end();
  }
}

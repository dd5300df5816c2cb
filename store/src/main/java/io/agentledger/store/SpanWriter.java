package io.agentledger.store;

import io.agentledger.core.span.AgentSpan;
import java.util.List;

/** The collector's role: storing spans as they arrive. */
public interface SpanWriter {

  /**
   * Stores the spans durably. Idempotent on {@code (project, traceId, spanId)}: a span already
   * stored — a replay, a retry, a duplicate within the list — is skipped and never changes a total.
   * When this returns, the spans are durable; when it throws, none or all of them may be stored
   * (the caller retries when the {@link StoreException} is retryable, and idempotency makes that
   * safe).
   *
   * @param spans the spans, possibly repeated from an earlier call
   * @return how many of the spans were new
   */
  int append(List<AgentSpan> spans);
}

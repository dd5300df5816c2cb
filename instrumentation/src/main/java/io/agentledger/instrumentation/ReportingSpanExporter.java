package io.agentledger.instrumentation;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps the OTLP exporter {@link AgentLedger#fromEnvironment()} builds: counts the spans it could
 * not deliver, and says once per outage that it is failing (OpenTelemetry's own exporter logs every
 * failed batch at its own level, with no count).
 */
final class ReportingSpanExporter implements SpanExporter {

  private final SpanExporter delegate;
  private final AtomicLong dropped = new AtomicLong();
  private final Outage outage;

  ReportingSpanExporter(SpanExporter delegate, String target) {
    this.delegate = delegate;
    this.outage = new Outage(target, dropped);
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    int n = spans.size();
    CompletableResultCode result;
    try {
      result = delegate.export(spans);
    } catch (RuntimeException e) {
      outage.failed(n, e.toString());
      return CompletableResultCode.ofFailure();
    }
    result.whenComplete(
        () -> {
          if (result.isSuccess()) {
            outage.succeeded();
          } else {
            Throwable failure = result.getFailureThrowable();
            outage.failed(n, failure != null ? failure.toString() : "the export failed");
          }
        });
    return result;
  }

  long droppedSpans() {
    return dropped.get();
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return "ReportingSpanExporter{" + delegate + "}";
  }
}

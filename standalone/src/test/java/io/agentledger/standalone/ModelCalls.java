package io.agentledger.standalone;

import io.agentledger.core.testing.OtlpRequests;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Posts {@link OtlpRequests}' model calls (5 traces of 4 spans a request) to a standalone. */
final class ModelCalls {

  static final BigDecimal USD_PER_SPAN = new BigDecimal(OtlpRequests.COST_PER_SPAN);
  static final int TRACES = 5;
  static final int SPANS_PER_TRACE = 4;
  static final int SPANS = TRACES * SPANS_PER_TRACE;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI traces;
  private final String key;

  ModelCalls(URI traces, String key) {
    this.traces = traces;
    this.key = key;
  }

  /** Posts request {@code seq}; its status. */
  int post(long seq) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(traces)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-protobuf")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request(seq).toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  static ExportTraceServiceRequest request(long seq) {
    return OtlpRequests.modelCalls(seq, TRACES, SPANS_PER_TRACE);
  }
}

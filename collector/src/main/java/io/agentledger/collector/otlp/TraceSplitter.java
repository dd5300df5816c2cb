package io.agentledger.collector.otlp;

import com.google.protobuf.ByteString;
import io.agentledger.core.normalize.SpanNormalizer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Splits a request into one request per trace (each keeping its resource and scope), dropping
 * invalid spans: one Kafka record per trace keyed by trace id keeps a chain's spans in one
 * partition, in order.
 */
final class TraceSplitter {

  /** The valid spans by trace, and what was wrong with the others. */
  record Split(
      Map<ByteString, ExportTraceServiceRequest> byTrace,
      long validSpans,
      long rejectedSpans,
      List<String> errors) {}

  private static final int MAX_ERRORS = 5;

  private TraceSplitter() {}

  static Split split(ExportTraceServiceRequest request) {
    Map<ByteString, ExportTraceServiceRequest.Builder> traces = new LinkedHashMap<>();
    long valid = 0;
    long rejected = 0;
    List<String> errors = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Map<ByteString, ResourceSpans.Builder> resourceByTrace = new LinkedHashMap<>();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        Map<ByteString, ScopeSpans.Builder> scopeByTrace = new LinkedHashMap<>();
        for (Span span : ss.getSpansList()) {
          String invalid = SpanNormalizer.validate(span);
          if (invalid != null) {
            rejected++;
            if (errors.size() < MAX_ERRORS) {
              errors.add(invalid);
            }
            continue;
          }
          valid++;
          ByteString trace = span.getTraceId();
          ScopeSpans.Builder scope = scopeByTrace.get(trace);
          if (scope == null) {
            scope = ScopeSpans.newBuilder().setScope(ss.getScope()).setSchemaUrl(ss.getSchemaUrl());
            scopeByTrace.put(trace, scope);
            ResourceSpans.Builder resource = resourceByTrace.get(trace);
            if (resource == null) {
              resource =
                  ResourceSpans.newBuilder()
                      .setResource(rs.getResource())
                      .setSchemaUrl(rs.getSchemaUrl());
              resourceByTrace.put(trace, resource);
            }
          }
          scope.addSpans(span);
        }
        // Every trace with a scope got its resource above.
        scopeByTrace.forEach(
            (trace, scope) ->
                Objects.requireNonNull(resourceByTrace.get(trace)).addScopeSpans(scope));
      }
      resourceByTrace.forEach(
          (trace, resource) ->
              traces
                  .computeIfAbsent(trace, t -> ExportTraceServiceRequest.newBuilder())
                  .addResourceSpans(resource));
    }
    Map<ByteString, ExportTraceServiceRequest> out = new LinkedHashMap<>();
    traces.forEach((trace, b) -> out.put(trace, b.build()));
    if (rejected > errors.size()) {
      errors.add("and " + (rejected - errors.size()) + " more invalid spans");
    }
    return new Split(out, valid, rejected, errors);
  }
}

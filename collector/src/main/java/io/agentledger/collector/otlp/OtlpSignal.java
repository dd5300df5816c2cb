package io.agentledger.collector.otlp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.agentledger.collector.CollectorMetrics;
import io.agentledger.core.logs.LogSpans;
import io.agentledger.core.otlp.OtlpDecodeException;
import io.agentledger.core.otlp.OtlpFormat;
import io.agentledger.core.otlp.OtlpLogsDecoder;
import io.agentledger.core.otlp.OtlpTraceDecoder;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.IOException;

/**
 * The three OTLP/HTTP signals the receiver serves, each on its own path and each decoded into spans
 * for the one Kafka topic: traces as they are, logs through {@link LogSpans} (model calls and tool
 * runs become spans, the rest is dropped and counted), metrics not at all (decoded to check them,
 * counted, dropped: costs come from the calls, never from counters). Everything else — auth,
 * limits, durability, statuses — is the receiver's and the same for all three.
 */
enum OtlpSignal {
  TRACES("/v1/traces", "spans"),
  LOGS("/v1/logs", "log records"),
  METRICS("/v1/metrics", "data points");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String path;
  private final String items;

  OtlpSignal(String path, String items) {
    this.path = path;
    this.items = items;
  }

  String path() {
    return path;
  }

  /** What the request's items are called in messages ("spans", "log records", ...). */
  String items() {
    return items;
  }

  /**
   * The spans a request body holds.
   *
   * @throws OtlpDecodeException for a body that is not a valid request of this signal
   */
  ExportTraceServiceRequest decode(byte[] body, OtlpFormat format, CollectorMetrics metrics) {
    return switch (this) {
      case TRACES -> OtlpTraceDecoder.decode(body, format);
      case LOGS -> {
        LogSpans.Result result = LogSpans.convert(OtlpLogsDecoder.decode(body, format));
        metrics.records("logs", "kept", result.modelCalls() + result.otherSpans());
        metrics.records("logs", "dropped", result.dropped());
        yield result.spans();
      }
      case METRICS -> {
        metrics.records("metrics", "dropped", dataPoints(body, format));
        yield ExportTraceServiceRequest.getDefaultInstance();
      }
    };
  }

  /** The success body: an empty response, or a partial success naming the rejected items. */
  byte[] success(boolean protobuf, long rejected, String message) {
    if (protobuf) {
      return switch (this) {
        case TRACES -> {
          ExportTraceServiceResponse.Builder r = ExportTraceServiceResponse.newBuilder();
          if (rejected > 0) {
            r.setPartialSuccess(
                ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(rejected)
                    .setErrorMessage(message));
          }
          yield r.build().toByteArray();
        }
        case LOGS -> {
          ExportLogsServiceResponse.Builder r = ExportLogsServiceResponse.newBuilder();
          if (rejected > 0) {
            r.setPartialSuccess(
                ExportLogsPartialSuccess.newBuilder()
                    .setRejectedLogRecords(rejected)
                    .setErrorMessage(message));
          }
          yield r.build().toByteArray();
        }
        case METRICS -> new byte[0]; // an empty ExportMetricsServiceResponse
      };
    }
    ObjectNode response = JSON.createObjectNode();
    if (rejected > 0) {
      ObjectNode partial = response.putObject("partialSuccess");
      partial.put(this == LOGS ? "rejectedLogRecords" : "rejectedSpans", Long.toString(rejected));
      partial.put("errorMessage", message);
    }
    return response.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The data points of a metrics request (0 for JSON, which is only checked to be JSON). */
  private static long dataPoints(byte[] body, OtlpFormat format) {
    if (format == OtlpFormat.JSON) {
      try {
        if (body.length > 0) {
          JSON.readTree(body);
        }
      } catch (IOException e) {
        throw new OtlpDecodeException("invalid OTLP/JSON: " + e.getMessage(), e);
      }
      return 0;
    }
    ExportMetricsServiceRequest request;
    try {
      request = ExportMetricsServiceRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new OtlpDecodeException("invalid OTLP protobuf: " + e.getMessage(), e);
    }
    long points = 0;
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          points +=
              m.getSum().getDataPointsCount()
                  + m.getGauge().getDataPointsCount()
                  + m.getHistogram().getDataPointsCount()
                  + m.getExponentialHistogram().getDataPointsCount()
                  + m.getSummary().getDataPointsCount();
        }
      }
    }
    return points;
  }
}

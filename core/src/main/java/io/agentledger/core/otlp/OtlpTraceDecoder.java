package io.agentledger.core.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Decodes OTLP trace export requests from protobuf or OTLP/JSON bodies. Thread-safe. */
public final class OtlpTraceDecoder {

  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder()
              .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
              // Attribute values may legitimately be large (prompts); the body size limit is the
              // receiver's job, not the parser's.
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxStringLength(Integer.MAX_VALUE)
                      .maxNestingDepth(64)
                      .build())
              .build());

  private OtlpTraceDecoder() {}

  /** Decodes a body in the given format. */
  public static ExportTraceServiceRequest decode(byte[] body, OtlpFormat format) {
    Objects.requireNonNull(format, "format");
    return format == OtlpFormat.PROTOBUF ? decodeProtobuf(body) : decodeJson(body);
  }

  /** Decodes binary protobuf; an empty body is an empty request. */
  public static ExportTraceServiceRequest decodeProtobuf(byte[] body) {
    try {
      return ExportTraceServiceRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new OtlpDecodeException("invalid OTLP protobuf: " + e.getMessage(), e);
    }
  }

  /** Decodes OTLP/JSON (see the package documentation for what is accepted). */
  public static ExportTraceServiceRequest decodeJson(byte[] body) {
    JsonNode root = readJson(body);
    if (root == null || root.isMissingNode()) {
      return ExportTraceServiceRequest.getDefaultInstance();
    }
    return new OtlpJsonReader().readRequest(root);
  }

  /** The JSON tree of a body, null for an empty one; the same parser limits for every signal. */
  static @Nullable JsonNode readJson(byte[] body) {
    if (body.length == 0) {
      return null;
    }
    JsonNode root;
    try (JsonParser parser = JSON.createParser(body)) {
      root = JSON.readTree(parser);
      if (parser.nextToken() != null) {
        throw new OtlpDecodeException("invalid OTLP/JSON: trailing content after the object");
      }
    } catch (IOException e) {
      throw new OtlpDecodeException("invalid OTLP/JSON: " + firstLine(e.getMessage()), e);
    }
    return root;
  }

  private static String firstLine(@Nullable String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}

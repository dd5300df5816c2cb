package io.agentledger.bench.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.core.otlp.HexIds;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/**
 * The baseline of issue 16: a Kafka-fed Zipkin server ({@code io.zipkin:zipkin-server} exec jar,
 * in-memory storage) given the pipeline's workload, on the same broker in the same run. The same
 * spans are written in Zipkin's own JSON v2 format, one Kafka message per export request (Zipkin's
 * Kafka collector takes a list of spans per message); the figure is spans per second from the first
 * message produced until Zipkin's collector has accepted them all into its store.
 *
 * <p>The jar comes from {@code -Dbench.zipkinJar=PATH} ({@code bench/run} fetches it from Maven
 * Central with {@code mvn dependency:copy}); without it the part is skipped and says so.
 */
final class ZipkinBaseline {

  private static final String TOPIC = "zipkin";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ACCEPTED =
      Pattern.compile("zipkin_collector_spans_total\\{transport=\"kafka\",?}\\s+([0-9.E+]+)");
  private static final Pattern DROPPED =
      Pattern.compile(
          "zipkin_collector_spans_dropped_total\\{transport=\"kafka\",?}\\s+([0-9.E+]+)");

  /** What Zipkin did: spans per second, and how many it dropped. */
  record Outcome(double spansPerSecond, long spans, long dropped) {}

  private ZipkinBaseline() {}

  static @Nullable Path jar() {
    String p = System.getProperty("bench.zipkinJar", System.getenv("ZIPKIN_JAR"));
    return p == null || !Files.isRegularFile(Path.of(p)) ? null : Path.of(p);
  }

  /**
   * Runs Zipkin against the broker of {@code kafkaClient} (its properties, credentials included, go
   * to Zipkin's consumer as {@code zipkin.collector.kafka.overrides}) and feeds it {@code bodies}.
   */
  static Outcome measure(
      Path jar, Map<String, String> kafkaClient, List<RequestPool.Body> bodies, Path logDir)
      throws Exception {
    String bootstrap =
        java.util.Objects.requireNonNull(kafkaClient.get("bootstrap.servers"), "bootstrap.servers");
    List<byte[]> messages = new ArrayList<>(bodies.size());
    long spans = 0;
    for (RequestPool.Body b : bodies) {
      List<Map<String, Object>> zipkinSpans =
          toZipkin(ExportTraceServiceRequest.parseFrom(b.raw()));
      spans += zipkinSpans.size();
      messages.add(JSON.writeValueAsBytes(zipkinSpans));
    }
    try (Admin admin = Admin.create(Map.<String, Object>copyOf(kafkaClient))) {
      admin
          .createTopics(List.of(new NewTopic(TOPIC, 4, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                "java",
                "-Xmx" + System.getProperty("bench.zipkinHeap", "4g"),
                "-jar",
                jar.toString()));
    // The broker wants SASL: every client property but the address reaches Zipkin's consumer as
    // a Spring map entry (brackets keep the dots of Kafka's keys).
    kafkaClient.forEach(
        (k, v) -> {
          if (!k.equals("bootstrap.servers")) {
            command.add("--zipkin.collector.kafka.overrides[" + k + "]=" + v);
          }
        });
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("STORAGE_TYPE", "mem");
    env.put("MEM_MAX_SPANS", Long.toString(spans * 2));
    env.put("QUERY_PORT", Integer.toString(port));
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    env.put("KAFKA_TOPIC", TOPIC);
    env.put("KAFKA_STREAMS", "4"); // one consumer per partition
    env.put("COLLECTOR_SAMPLE_RATE", "1.0");
    pb.redirectErrorStream(true).redirectOutput(logDir.resolve("zipkin.log").toFile());
    Process zipkin = pb.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI metrics = URI.create("http://127.0.0.1:" + port + "/prometheus");
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (counter(http, metrics, ACCEPTED) < 0) {
        if (System.nanoTime() > deadline || !zipkin.isAlive()) {
          throw new IllegalStateException(
              "Zipkin did not start; see " + logDir.resolve("zipkin.log"));
        }
        Thread.sleep(200); // polling for the server to come up
      }
      // Zipkin's consumer joins its group lazily: wait until it has polled the topic once.
      Thread.sleep(3_000);
      long start = System.nanoTime();
      Map<String, Object> producerConfig = new java.util.HashMap<>(kafkaClient);
      producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
      producerConfig.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
      producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20);
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
        for (byte[] m : messages) {
          producer.send(new ProducerRecord<>(TOPIC, m));
        }
        producer.flush();
      }
      long accepted = 0;
      long dropped = 0;
      deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (accepted + dropped < spans) {
        if (System.nanoTime() > deadline || !zipkin.isAlive()) {
          throw new IllegalStateException(
              "Zipkin took "
                  + accepted
                  + " of "
                  + spans
                  + " spans; see "
                  + logDir.resolve("zipkin.log"));
        }
        Thread.sleep(20); // polling Zipkin's own counter
        accepted = (long) counter(http, metrics, ACCEPTED);
        dropped = (long) Math.max(0, counter(http, metrics, DROPPED));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Outcome(spans / seconds, spans, dropped);
    } finally {
      zipkin.destroy();
      if (!zipkin.waitFor(30, TimeUnit.SECONDS)) {
        zipkin.destroyForcibly();
      }
    }
  }

  private static double counter(HttpClient http, URI metrics, Pattern name) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(metrics).GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return -1;
      }
      Matcher m = name.matcher(r.body());
      return m.find() ? Double.parseDouble(m.group(1)) : 0;
    } catch (IOException e) {
      return -1; // not up yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** One OTLP request as Zipkin v2 spans (what Zipkin's own OTel bridge would write). */
  static List<Map<String, Object>> toZipkin(ExportTraceServiceRequest request) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      String service = "unknown";
      for (KeyValue kv : rs.getResource().getAttributesList()) {
        if (kv.getKey().equals("service.name")) {
          service = kv.getValue().getStringValue();
        }
      }
      Map<String, Object> endpoint = Map.of("serviceName", service);
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          Map<String, Object> z = new LinkedHashMap<>();
          z.put("traceId", HexIds.toHex(s.getTraceId()));
          z.put("id", HexIds.toHex(s.getSpanId()));
          if (!s.getParentSpanId().isEmpty()) {
            z.put("parentId", HexIds.toHex(s.getParentSpanId()));
          }
          z.put("name", s.getName());
          String kind = kind(s.getKind());
          if (kind != null) {
            z.put("kind", kind);
          }
          z.put("timestamp", s.getStartTimeUnixNano() / 1_000);
          z.put(
              "duration", Math.max(1, (s.getEndTimeUnixNano() - s.getStartTimeUnixNano()) / 1_000));
          z.put("localEndpoint", endpoint);
          Map<String, String> tags = new LinkedHashMap<>();
          for (KeyValue kv : s.getAttributesList()) {
            tags.put(kv.getKey(), text(kv.getValue()));
          }
          if (s.getStatus().getCode()
              == io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR) {
            tags.put(
                "error",
                s.getStatus().getMessage().isEmpty() ? "true" : s.getStatus().getMessage());
          }
          z.put("tags", tags);
          out.add(z);
        }
      }
    }
    return out;
  }

  private static @Nullable String kind(Span.SpanKind k) {
    return switch (k) {
      case SPAN_KIND_CLIENT -> "CLIENT";
      case SPAN_KIND_SERVER -> "SERVER";
      case SPAN_KIND_PRODUCER -> "PRODUCER";
      case SPAN_KIND_CONSUMER -> "CONSUMER";
      default -> null;
    };
  }

  private static String text(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      default -> v.toString();
    };
  }
}

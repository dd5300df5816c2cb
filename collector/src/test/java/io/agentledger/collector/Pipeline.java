package io.agentledger.collector;

import io.agentledger.collector.ingest.IngestService;
import io.agentledger.collector.ingest.ProjectCatalogs;
import io.agentledger.collector.otlp.OtlpReceiver;
import io.agentledger.collector.otlp.SpanPublisher;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.testing.OtlpRequests;
import io.agentledger.kafka.embedded.EmbeddedKafkaBroker;
import io.agentledger.store.PriceOverrides;
import io.agentledger.store.SpanStore;
import io.agentledger.store.SpanWriter;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** A real pipeline for tests: embedded broker, DuckDB store, consumers and the OTLP receiver. */
final class Pipeline implements AutoCloseable {

  static final String KEY_A = "key-alpha-0123456789";
  static final String KEY_B = "key-beta-0123456789";

  final EmbeddedKafkaBroker broker;
  final SpanStore store;

  /** What the consumers write through: the store, or a test's wrapper around it. */
  final SpanWriter writer;

  /** Where the price overrides are read: the store, or a test's wrapper around it. */
  final PriceOverrides overrides;

  /** The consumers' Kafka client settings. */
  final Map<String, String> ingestClient;

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final CollectorMetrics metrics = new CollectorMetrics(registry);
  final CollectorConfig config;
  final SpanPublisher publisher;
  IngestService ingest;
  final OtlpReceiver receiver;
  final HttpClient http = HttpClient.newHttpClient();

  Pipeline(Path dir, CollectorConfig config) {
    this(dir, config, writer -> writer);
  }

  /**
   * @param wrapWriter lets a test slow the real store's writes down (see {@link GatedStore})
   */
  Pipeline(Path dir, CollectorConfig config, UnaryOperator<SpanWriter> wrapWriter) {
    this(
        dir,
        config,
        d -> DuckDbSpanStore.open(d.resolve("store.duckdb"), Clock.systemUTC()),
        wrapWriter,
        overrides -> overrides,
        Map.of());
  }

  /**
   * @param openStore opens the store in the directory
   * @param wrapOverrides lets a test make the price overrides unreadable
   * @param consumerSettings Kafka client settings for the consumers (e.g. a short {@code
   *     max.poll.interval.ms})
   */
  Pipeline(
      Path dir,
      CollectorConfig config,
      Function<Path, SpanStore> openStore,
      UnaryOperator<SpanWriter> wrapWriter,
      UnaryOperator<PriceOverrides> wrapOverrides,
      Map<String, String> consumerSettings) {
    this.config = config;
    broker = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).start();
    broker.createTopic(config.spansTopic(), config.spanPartitions(), Map.of());
    broker.createTopic(config.deadLetterTopic(), 1, Map.of());
    store = openStore.apply(dir);
    writer = wrapWriter.apply(store);
    overrides = wrapOverrides.apply(store);
    Map<String, String> client = new HashMap<>(broker.clientProperties());
    client.putAll(consumerSettings);
    ingestClient = Map.copyOf(client);
    publisher = new SpanPublisher(broker.clientProperties(), config.spansTopic());
    startIngest();
    receiver =
        new OtlpReceiver(
                ApiKeys.parse("alpha:" + KEY_A + ",beta:" + KEY_B),
                publisher,
                config,
                metrics,
                () -> ingest == null ? Backlog.NONE : ingest.backlog())
            .start("127.0.0.1", 0);
  }

  void startIngest() {
    ingest =
        new IngestService(
            ingestClient,
            writer,
            new ProjectCatalogs(
                PriceCatalog.bundled(), overrides, Clock.systemUTC(), Duration.ofSeconds(1)),
            config,
            metrics);
  }

  /** Posts gzip protobuf with project alpha's key. */
  HttpResponse<byte[]> postAlpha(byte[] protobuf) throws Exception {
    return post(
        OtlpRequests.gzip(protobuf),
        Map.of(
            "Content-Type", "application/x-protobuf",
            "Content-Encoding", "gzip",
            "Authorization", "Bearer " + KEY_A));
  }

  URI tracesUri() {
    return URI.create("http://127.0.0.1:" + receiver.port() + OtlpReceiver.PATH);
  }

  HttpResponse<byte[]> post(byte[] body, Map<String, String> headers) throws Exception {
    return post(OtlpReceiver.PATH, body, headers);
  }

  /** Posts to a path of the receiver ({@code /v1/traces}, {@code /v1/logs}, ...). */
  HttpResponse<byte[]> post(String path, byte[] body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.port() + path))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Override
  public void close() {
    receiver.close();
    publisher.close();
    if (ingest != null) {
      ingest.close();
    }
    store.close();
    broker.close();
  }
}

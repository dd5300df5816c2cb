package io.agentledger.collector;

import static io.agentledger.core.testing.OtlpRequests.gzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentledger.collector.otlp.OtlpReceiver;
import io.agentledger.collector.otlp.ReceiverLimits;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.limits.TenantLimiter;
import io.agentledger.core.testing.OtlpRequests;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver's limits on clients (docs/security.md), each against a real receiver in front of a
 * real broker: memory is reserved before bodies are read and inflated, bodies are read a bounded
 * number at a time, within a deadline and above a minimum rate, and one project over its limits
 * gets 429 while another project keeps being served.
 */
class ClientLimitsIT {

  private static final String PROTOBUF = "application/x-protobuf";

  @TempDir static Path dir;
  static Pipeline pipeline;
  final List<AutoCloseable> opened = new ArrayList<>();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeAll
  static void start() {
    pipeline = new Pipeline(dir, CollectorConfig.defaults());
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  @AfterEach
  void closeOpened() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  /** A receiver on the shared broker with its own limits. */
  private OtlpReceiver receiver(CollectorConfig config, ReceiverLimits limits) {
    OtlpReceiver r =
        new OtlpReceiver(
                ApiKeys.parse("alpha:" + Pipeline.KEY_A + ",beta:" + Pipeline.KEY_B),
                pipeline.publisher,
                config,
                limits,
                new CollectorMetrics(registry),
                () -> Backlog.NONE)
            .start("127.0.0.1", 0);
    opened.add(r);
    return r;
  }

  private static ReceiverLimits limits(
      int bodyReads, Duration bodyTimeout, long minRate, TenantLimiter.Limits perProject) {
    return new ReceiverLimits(
        bodyReads,
        bodyTimeout,
        minRate,
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        perProject,
        50,
        Duration.ofSeconds(30));
  }

  private static HttpResponse<byte[]> post(OtlpReceiver r, String key, byte[] gzipped)
      throws Exception {
    return pipeline.http.send(request(r, key, gzipped), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpRequest request(OtlpReceiver r, String key, byte[] gzipped) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.port() + OtlpReceiver.PATH))
        .header("Content-Type", PROTOBUF)
        .header("Content-Encoding", "gzip")
        .header("Authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofByteArray(gzipped))
        .build();
  }

  private static final AtomicLong seq = new AtomicLong(50_000);

  private static byte[] validBatch() {
    return gzip(OtlpRequests.modelCalls(seq.incrementAndGet(), 2, 2).toByteArray());
  }

  @Test
  void gzipBodies_reserveTheirInflatedSizeFirst_soTheBudgetHolds_andAnotherProjectIsServed()
      throws Exception {
    long budget = 16L << 20;
    CollectorConfig config =
        CollectorConfig.from(
            Map.of(
                "AGENTLEDGER_MAX_BODY_BYTES", "1MiB",
                "AGENTLEDGER_MAX_DECOMPRESSED_BYTES", "4MiB",
                "AGENTLEDGER_MAX_IN_FLIGHT_BYTES", Long.toString(budget)));
    OtlpReceiver r =
        receiver(config, limits(64, Duration.ofSeconds(30), 0, new TenantLimiter.Limits(64, 0, 1)));
    // 3 MiB of zeros is a few KiB on the wire and not a valid export request once inflated.
    byte[] bomb = gzip(new byte[3 << 20]);
    assertThat(bomb.length).isLessThan(16 * 1024);

    AtomicBoolean storm = new AtomicBoolean(true);
    List<Integer> betaStatuses = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Void> beta =
        CompletableFuture.runAsync(
            () -> {
              while (storm.get() || betaStatuses.isEmpty()) {
                try {
                  betaStatuses.add(post(r, Pipeline.KEY_B, validBatch()).statusCode());
                } catch (Exception e) {
                  betaStatuses.add(-1);
                }
              }
            });
    List<CompletableFuture<HttpResponse<byte[]>>> bombs = new ArrayList<>();
    for (int i = 0; i < 48; i++) {
      bombs.add(
          pipeline.http.sendAsync(
              request(r, Pipeline.KEY_A, bomb), HttpResponse.BodyHandlers.ofByteArray()));
    }
    List<HttpResponse<byte[]>> replies = new ArrayList<>();
    for (CompletableFuture<HttpResponse<byte[]>> f : bombs) {
      replies.add(f.get(60, TimeUnit.SECONDS));
    }
    storm.set(false);
    beta.get(60, TimeUnit.SECONDS);

    assertThat(replies).allMatch(x -> x.statusCode() == 400 || x.statusCode() == 429);
    List<HttpResponse<byte[]>> refused =
        replies.stream().filter(x -> x.statusCode() == 429).toList();
    assertThat(refused).as("some bombs must find the budget spent").isNotEmpty();
    assertThat(refused).allMatch(x -> x.headers().firstValue("Retry-After").isPresent());
    double peak = registry.get("agentledger.otlp.inflight.peak.bytes").gauge().value();
    assertThat(peak).isPositive().isLessThanOrEqualTo(budget);
    assertThat(registry.get("agentledger.otlp.inflight.bytes").gauge().value()).isZero();
    assertThat(betaStatuses).as("beta's exports during the storm").isNotEmpty().containsOnly(200);
  }

  @Test
  void projectOverItsConcurrency_gets429_whileAnotherProjectIsServed() throws Exception {
    OtlpReceiver r =
        receiver(
            CollectorConfig.defaults(),
            limits(64, Duration.ofSeconds(30), 0, new TenantLimiter.Limits(2, 0, 1)));
    SlowUpload first = slowUpload(r, Pipeline.KEY_A);
    SlowUpload second = slowUpload(r, Pipeline.KEY_A);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> post(r, Pipeline.KEY_A, validBatch()).statusCode() == 429);
    HttpResponse<byte[]> refused = post(r, Pipeline.KEY_A, validBatch());
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("2 requests");
    assertThat(post(r, Pipeline.KEY_B, validBatch()).statusCode()).isEqualTo(200);

    first.close();
    second.close();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> post(r, Pipeline.KEY_A, validBatch()).statusCode() == 200);
  }

  @Test
  void projectOverItsRate_gets429WithRetryAfter_whileAnotherProjectIsServed() throws Exception {
    OtlpReceiver r =
        receiver(
            CollectorConfig.defaults(),
            limits(64, Duration.ofSeconds(30), 0, new TenantLimiter.Limits(0, 1, 3)));
    List<HttpResponse<byte[]>> replies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      replies.add(post(r, Pipeline.KEY_A, validBatch()));
    }
    assertThat(replies.subList(0, 3)).allMatch(x -> x.statusCode() == 200);
    HttpResponse<byte[]> limited =
        replies.stream().filter(x -> x.statusCode() == 429).findFirst().orElseThrow();
    assertThat(limited.headers().firstValue("Retry-After").map(Long::parseLong).orElseThrow())
        .isPositive();
    assertThat(post(r, Pipeline.KEY_B, validBatch()).statusCode()).isEqualTo(200);
  }

  @Test
  void bodyPastItsDeadline_isAnswered408() throws Exception {
    OtlpReceiver r =
        receiver(
            CollectorConfig.defaults(),
            limits(64, Duration.ofSeconds(2), 0, new TenantLimiter.Limits(0, 0, 1)));
    try (SlowUpload upload = slowUpload(r, Pipeline.KEY_A)) {
      assertThat(upload.statusLine()).contains(" 408 ");
    }
  }

  @Test
  void bodyBelowTheMinimumRate_isAnswered408() throws Exception {
    OtlpReceiver r =
        receiver(
            CollectorConfig.defaults(),
            limits(64, Duration.ofSeconds(60), 1_000, new TenantLimiter.Limits(0, 0, 1)));
    try (SlowUpload upload = slowUpload(r, Pipeline.KEY_A)) {
      long started = System.nanoTime();
      assertThat(upload.statusLine()).contains(" 408 ");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }
  }

  @Test
  void bodiesReadAtOnceAreCapped_503WithRetryAfter() throws Exception {
    OtlpReceiver r =
        receiver(
            CollectorConfig.defaults(),
            limits(1, Duration.ofSeconds(30), 0, new TenantLimiter.Limits(0, 0, 1)));
    try (SlowUpload upload = slowUpload(r, Pipeline.KEY_A)) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> post(r, Pipeline.KEY_B, validBatch()).statusCode() == 503);
      HttpResponse<byte[]> refused = post(r, Pipeline.KEY_B, validBatch());
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> post(r, Pipeline.KEY_B, validBatch()).statusCode() == 200);
  }

  @Test
  void everyAnswerCarriesSecurityHeaders_andAWrongMethodIs405WithAllow() throws Exception {
    HttpResponse<String> get =
        pipeline.http.send(
            HttpRequest.newBuilder(pipeline.tracesUri()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    assertThat(get.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    HttpResponse<byte[]> unauthorized = post(pipeline.receiver, "wrong-key", validBatch());
    assertThat(unauthorized.statusCode()).isEqualTo(401);
    assertThat(unauthorized.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(unauthorized.headers().firstValue("Cache-Control")).hasValue("no-store");
    HttpResponse<String> invented =
        pipeline.http.send(
            HttpRequest.newBuilder(pipeline.tracesUri())
                .method("BREW" + System.nanoTime(), HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(invented.statusCode()).isIn(400, 405, 501);
    assertThat(
            pipeline.registry.getMeters().stream()
                .flatMap(m -> m.getId().getTags().stream())
                .map(t -> t.getValue()))
        .noneMatch(v -> v.startsWith("BREW"));
  }

  /**
   * A client that sends the headers of a 100 kB body and then one byte every 200 ms, as a
   * slow-loris attacker does; {@link #statusLine()} waits for the server's answer.
   */
  private SlowUpload slowUpload(OtlpReceiver r, String key) throws IOException {
    SlowUpload u = new SlowUpload(r.port(), key);
    opened.add(u);
    return u;
  }

  static final class SlowUpload implements AutoCloseable {
    private final Socket socket;
    private final ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();

    SlowUpload(int port, String key) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(60_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST "
                  + OtlpReceiver.PATH
                  + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                  + key
                  + "\r\nContent-Type: "
                  + PROTOBUF
                  + "\r\nContent-Length: 100000\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[] {0x0a});
      out.flush();
      drip.scheduleAtFixedRate(
          () -> {
            try {
              out.write(0x0a);
              out.flush();
            } catch (IOException e) {
              drip.shutdown();
            }
          },
          200,
          200,
          TimeUnit.MILLISECONDS);
    }

    String statusLine() throws IOException {
      return new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }

    @Override
    public void close() throws IOException {
      drip.shutdownNow();
      socket.close();
    }
  }
}

package io.agentledger.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.kafka.embedded.EmbeddedKafkaBroker;
import io.agentledger.store.CostQuery;
import io.agentledger.store.CostReport;
import io.agentledger.store.TimeRange;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data directory's disk fills up under the standalone, then space comes back. A real full disk:
 * the data directory is a 48 MiB tmpfs mounted in a user and mount namespace of its own ({@code
 * unshare -Urm}, no root needed), the standalone runs inside it ({@code nsenter}), and the test
 * fills the disk from outside through {@code /proc/<pid>/root}. Kafka (an external broker of the
 * test's) keeps its log elsewhere: a full disk under Kafka's log stops the broker
 * (docs/ingestion.md, "Faults").
 */
class DiskFullIT {

  private static final String KEY = "al_test_key_0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  @Test
  void dataDirectoryFull_clearErrorAndNoLoss_recoversWhenSpaceReturns() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data);
    Process holder = namespaceWithTmpfs(data);
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder(dir.resolve("kafka")).start()) {
      Path insideData =
          Path.of("/proc", Long.toString(holder.pid()), "root").resolve(relative(data));
      long expected;
      try (ChildStandalone app =
          new ChildStandalone(
              List.of(
                  "nsenter",
                  "-t",
                  Long.toString(holder.pid()),
                  "-U",
                  "-m",
                  "--preserve-credentials"),
              env(data, kafka))) {
        ModelCalls client = new ModelCalls(app.traces(), KEY);
        URI api = app.api();
        long acked = send(client, 1, 10);
        await().atMost(Duration.ofSeconds(60)).until(() -> llmCalls(api) == acked);

        Path filler = insideData.resolve("filler");
        fill(filler);
        long ackedWhileFull = send(client, 11, 10); // Kafka's log is elsewhere: still 200
        try {
          await()
              .atMost(Duration.ofSeconds(60))
              .ignoreExceptions()
              .until(
                  () -> {
                    fill(filler); // whatever the store frees (a checkpoint shrinking its log)
                    return health(api)
                        .path("checks")
                        .path("consumers")
                        .asText()
                        .contains("No space left on device");
                  });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError(
              "no disk-full error in /health: "
                  + health(api)
                  + "; stored "
                  + llmCalls(api)
                  + "; standalone said:\n"
                  + String.join(
                      "\n",
                      app.output.subList(Math.max(0, app.output.size() - 80), app.output.size())),
              e);
        }
        JsonNode health = health(api);
        assertThat(health.path("status").asText()).isEqualTo("degraded");
        assertThat(llmCalls(api)).isEqualTo(acked); // nothing half-written is visible

        Files.delete(filler);
        expected = acked + ackedWhileFull;
        await()
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(() -> llmCalls(api) == expected);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> health(api).path("status").asText().equals("ok"));
        app.terminate();
        assertThat(app.output).contains("AgentLedger: stopped cleanly.");
      }
      // The database file, copied out of the tmpfs and opened again: intact, every span once.
      Path copy = dir.resolve("copy.duckdb");
      Files.copy(insideData.resolve("agentledger.duckdb"), copy);
      try (DuckDbSpanStore store = DuckDbSpanStore.open(copy, Clock.systemUTC())) {
        TimeRange range =
            new TimeRange(Instant.now().minus(Duration.ofHours(1)), Instant.now().plusSeconds(60));
        CostReport.Group total =
            store.costs("acme", new CostQuery(range, List.of(), Optional.empty())).groups().get(0);
        assertThat(total.llmCalls()).isEqualTo(expected);
        assertThat(total.costUsd())
            .isEqualByComparingTo(ModelCalls.USD_PER_SPAN.multiply(BigDecimal.valueOf(expected)));
      }
    } finally {
      holder.toHandle().destroyForcibly();
      holder.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * A process holding a user and mount namespace where {@code mountPoint} is a 48 MiB tmpfs; the
   * test is skipped, with the reason, where unprivileged user namespaces are not allowed.
   */
  private static Process namespaceWithTmpfs(Path mountPoint) throws Exception {
    Process holder =
        new ProcessBuilder(
                "unshare",
                "-Urm",
                "sh",
                "-c",
                "mount -t tmpfs -o size=48m tmpfs \"$0\" && echo mounted && exec cat",
                mountPoint.toString())
            .redirectErrorStream(true)
            .start();
    byte[] first = new byte[64];
    int n = holder.getInputStream().read(first);
    String said = n <= 0 ? "" : new String(first, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    if (!said.startsWith("mounted")) {
      holder.destroyForcibly();
      assumeTrue(false, "no unprivileged user and mount namespaces here (unshare -Urm): " + said);
    }
    return holder;
  }

  private static Path relative(Path absolute) {
    Path abs = absolute.toAbsolutePath();
    return abs.getRoot().relativize(abs);
  }

  /** Writes zeros until the disk is full (ENOSPC). */
  private static void fill(Path filler) throws IOException {
    byte[] mib = new byte[1 << 20];
    try (OutputStream out =
        Files.newOutputStream(
            filler,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND)) {
      while (true) {
        out.write(mib);
      }
    } catch (IOException e) {
      assertThat(e.getMessage()).contains("No space left on device");
    }
  }

  private Map<String, String> env(Path data, EmbeddedKafkaBroker kafka) {
    Map<String, String> env = new HashMap<>();
    env.put("AGENTLEDGER_DATA_DIR", data.toString());
    env.put("AGENTLEDGER_API_KEYS", "acme:" + KEY);
    env.put("AGENTLEDGER_HOST", "127.0.0.1");
    env.put("AGENTLEDGER_OTLP_PORT", "0");
    env.put("AGENTLEDGER_API_PORT", "0");
    env.put("AGENTLEDGER_STORE_RETRY_BACKOFF_MAX", "1s");
    env.put("AGENTLEDGER_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    Matcher password =
        Pattern.compile("password=\"([^\"]+)\"")
            .matcher(kafka.clientProperties().get("sasl.jaas.config"));
    assertThat(password.find()).isTrue();
    env.put("AGENTLEDGER_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
    env.put("AGENTLEDGER_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
    env.put("AGENTLEDGER_KAFKA_SASL_USERNAME", "agentledger");
    env.put("AGENTLEDGER_KAFKA_SASL_PASSWORD", password.group(1));
    return env;
  }

  private static long send(ModelCalls client, long from, int n) throws Exception {
    for (long seq = from; seq < from + n; seq++) {
      long s = seq;
      await().atMost(Duration.ofSeconds(60)).until(() -> client.post(s) == 200);
    }
    return (long) n * ModelCalls.SPANS;
  }

  private long llmCalls(URI api) throws Exception {
    JsonNode groups = get(api.resolve("/api/v1/costs"), true).path("groups");
    return groups.isEmpty() ? 0 : groups.get(0).path("llmCalls").asLong();
  }

  private JsonNode health(URI api) throws Exception {
    return get(api.resolve("/health"), false);
  }

  private JsonNode get(URI uri, boolean auth) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    if (auth) {
      b.header("Authorization", "Bearer " + KEY);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }
}

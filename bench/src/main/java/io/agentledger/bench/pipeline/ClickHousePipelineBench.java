package io.agentledger.bench.pipeline;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import io.agentledger.bench.report.ProcessUsage;
import io.agentledger.bench.report.Results;
import io.agentledger.clickhouse.embedded.LocalClickHouse;
import io.agentledger.standalone.Standalone;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 16's ClickHouse figure: the standalone on a real ClickHouse (libchdb, {@link
 * LocalClickHouse}) fed flat out over OTLP/HTTP, export to queryable, against a raw insert of the
 * same rows into the same server in the same run.
 *
 * <p>The raw insert is the ceiling the store's write path can approach: the rows the pipeline
 * stored, read back as {@code RowBinary} bytes beforehand, sent with the official client's {@code
 * insert} into an empty copy of the {@code spans} table in chunks of the store's size. It pays
 * neither decoding nor pricing nor the store's look-ups, only the transfer and the server's own
 * insert.
 */
public final class ClickHousePipelineBench {

  private static final String SECTION =
      "Pipeline on ClickHouse (standalone, OTLP/HTTP → Kafka → ClickHouse 26.7 libchdb)";
  private static final String PROJECT = "bench";
  private static final String KEY = "bench-key-0123456789abcdef";
  private static final int CLIENTS = 4;
  private static final int RAW_CHUNK = 100_000;

  /** The collector's batch (AGENTLEDGER_BATCH_SPANS' default). */
  private static final int BATCH = 20_000;

  private ClickHousePipelineBench() {}

  public static void run(Path dir, long totalSpans, Results results, String cmd) throws Exception {
    Optional<String> noClickHouse = LocalClickHouse.unavailableReason();
    if (noClickHouse.isPresent()) {
      results.note("The ClickHouse pipeline part was skipped: " + noClickHouse.get());
      return;
    }
    long start = System.currentTimeMillis() * 1_000_000L;
    System.out.printf(
        Locale.ROOT, "clickhouse pipeline: preparing %,d spans of OTLP requests...%n", totalSpans);
    int distinct = (int) Math.max(4, Math.min(200, totalSpans / 480));
    List<RequestPool.Body> bodies = RequestPool.prepare(distinct, 20, totalSpans, start);
    long spans = bodies.stream().mapToLong(RequestPool.Body::spans).sum();

    Path chDir = dir.resolve("clickhouse-pipeline");
    PipelineBench.deleteRecursively(chDir);
    try (LocalClickHouse ch = LocalClickHouse.builder(chDir).start()) {
      ch.query("CREATE DATABASE IF NOT EXISTS bench_pipeline");
      double sustained = pipeline(dir, ch, bodies, spans, results, cmd);
      List<byte[]> rows = storedRows(ch, spans);
      double rawBatch = rawInsert(ch, spans, rows, 1);
      double raw = rawInsert(ch, spans, rows, RAW_CHUNK / BATCH);
      results.add(
          SECTION,
          "raw insert of the same rows in the collector's batches (20,000 rows an insert)",
          String.format(Locale.ROOT, "%,.0f spans/s", rawBatch),
          cmd);
      results.add(
          SECTION,
          "raw insert of the same rows (RowBinary bytes read back beforehand, client-v2 insert,"
              + " 100,000 rows an insert, into an empty copy of `spans`)",
          String.format(Locale.ROOT, "%,.0f spans/s", raw),
          cmd);
      double ceiling = Math.max(raw, rawBatch);
      results.add(
          SECTION,
          "pipeline throughput as a fraction of the faster raw insert (same run, same server)",
          String.format(Locale.ROOT, "%.2f", sustained / ceiling),
          "≥ 0.50",
          sustained / ceiling >= 0.5,
          cmd);
    }
  }

  private static double pipeline(
      Path dir,
      LocalClickHouse ch,
      List<RequestPool.Body> bodies,
      long spans,
      Results results,
      String cmd)
      throws Exception {
    Path data = dir.resolve("standalone-clickhouse");
    Map<String, String> clickHouse =
        Map.of(
            "AGENTLEDGER_STORE", "clickhouse",
            "AGENTLEDGER_CLICKHOUSE_URL", ch.jdbcUrl("bench_pipeline"),
            "AGENTLEDGER_CLICKHOUSE_USER", ch.user(),
            "AGENTLEDGER_CLICKHOUSE_PASSWORD", ch.password(),
            "AGENTLEDGER_RETENTION", "0s");
    try (Standalone app = PipelineBench.start(data, clickHouse)) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI traces = app.tracesEndpoint();
      System.out.printf(
          Locale.ROOT,
          "clickhouse pipeline: sending %,d spans with %d clients...%n",
          spans,
          CLIENTS);
      ProcessUsage usage = new ProcessUsage();
      AtomicInteger next = new AtomicInteger();
      AtomicLong refused = new AtomicLong();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      long t0 = System.nanoTime();
      List<Future<?>> senders = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        senders.add(
            clients.submit(
                () -> {
                  for (int i = next.getAndIncrement();
                      i < bodies.size();
                      i = next.getAndIncrement()) {
                    while (!sent(http, traces, bodies.get(i).gzip())) {
                      refused.incrementAndGet();
                      Thread.sleep(50); // back off as an exporter does on 429/503
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : senders) {
        f.get();
      }
      double acceptSeconds = (System.nanoTime() - t0) / 1e9;
      io.micrometer.core.instrument.Counter stored =
          app.metrics().counter("agentledger.spans.stored");
      while (stored.count() < spans) {
        Thread.sleep(10); // polling for the end of the run
      }
      double queryableSeconds = (System.nanoTime() - t0) / 1e9;
      clients.shutdown();
      double sustained = spans / queryableSeconds;
      results.add(
          SECTION,
          String.format(
              Locale.ROOT, "accepted (200 from the receiver), %,d spans, flat out", spans),
          String.format(
              Locale.ROOT,
              "%,.0f spans/s (%,d requests retried after 429/503 or a cut connection)",
              spans / acceptSeconds,
              refused.get()),
          cmd);
      results.add(
          SECTION,
          "sustained, export to queryable (all spans in the store)",
          String.format(Locale.ROOT, "%,.0f spans/s", sustained),
          cmd);
      results.add(
          SECTION,
          "process CPU during the run (the ClickHouse server is a separate process)",
          String.format(
              Locale.ROOT,
              "%.2f cores busy of %d, RSS %,d MiB",
              usage.coresUsed(),
              Runtime.getRuntime().availableProcessors(),
              ProcessUsage.rssMiB()),
          cmd);
      return sustained;
    }
  }

  /** One export; false when refused (429/503) or cut off (a retry, as an SDK exporter does). */
  private static boolean sent(HttpClient http, URI traces, byte[] gzip) throws Exception {
    try {
      return PipelineBench.post(http, traces, gzip, KEY) == 200;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /**
   * The rows the pipeline stored (one copy per span), as RowBinary, in chunks of the collector's
   * batch size: numbered once into a staging table, then read back by number range.
   */
  private static List<byte[]> storedRows(LocalClickHouse ch, long spans) throws Exception {
    ch.query("CREATE DATABASE IF NOT EXISTS bench_raw");
    ch.query("DROP TABLE IF EXISTS bench_raw.numbered");
    ch.query(
        "CREATE TABLE bench_raw.numbered ENGINE = MergeTree ORDER BY RowNumber AS SELECT"
            + " rowNumberInAllBlocks() AS RowNumber, * FROM bench_pipeline.spans FINAL");
    List<byte[]> chunks = new ArrayList<>();
    try {
      for (long from = 0; from < spans; from += BATCH) {
        chunks.add(
            select(
                ch,
                "SELECT * EXCEPT RowNumber FROM bench_raw.numbered WHERE RowNumber >= "
                    + from
                    + " AND RowNumber < "
                    + (from + BATCH)
                    + " ORDER BY RowNumber FORMAT RowBinary"));
      }
    } finally {
      ch.query("DROP TABLE IF EXISTS bench_raw.numbered");
    }
    return chunks;
  }

  /**
   * Spans/s of client-v2 RowBinary inserts of the stored rows, {@code perInsert} chunks an insert
   * (RowBinary rows simply follow one another, so chunks join by concatenation).
   */
  private static double rawInsert(
      LocalClickHouse ch, long spans, List<byte[]> chunks, int perInsert) throws Exception {
    ch.query("CREATE DATABASE IF NOT EXISTS bench_raw");
    ch.query("DROP TABLE IF EXISTS bench_raw.spans");
    ch.query("CREATE TABLE bench_raw.spans AS bench_pipeline.spans");
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i += perInsert) {
      java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
      for (byte[] c : chunks.subList(i, Math.min(chunks.size(), i + perInsert))) {
        joined.write(c);
      }
      bodies.add(joined.toByteArray());
    }
    System.out.printf(
        Locale.ROOT,
        "clickhouse pipeline: raw insert of %,d rows in %,d inserts (%,d bytes of RowBinary)...%n",
        spans,
        bodies.size(),
        bodies.stream().mapToLong(b -> b.length).sum());
    try (Client client =
        new Client.Builder()
            .addEndpoint(ch.httpUrl().toString())
            .setUsername(ch.user())
            .setPassword(ch.password())
            .build()) {
      InsertSettings settings = new InsertSettings().setDatabase("bench_raw");
      long t0 = System.nanoTime();
      for (byte[] body : bodies) {
        try (InsertResponse ignored =
            client
                .insert(
                    "spans", new ByteArrayInputStream(body), ClickHouseFormat.RowBinary, settings)
                .get(10, TimeUnit.MINUTES)) {
          // written
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      String count = ch.query("SELECT count() FROM bench_raw.spans").trim();
      if (Long.parseLong(count) != spans) {
        throw new IllegalStateException("raw insert stored " + count + " rows, not " + spans);
      }
      return spans / seconds;
    } finally {
      ch.query("DROP TABLE IF EXISTS bench_raw.spans");
    }
  }

  private static byte[] select(LocalClickHouse ch, String sql) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String auth =
        Base64.getEncoder()
            .encodeToString((ch.user() + ":" + ch.password()).getBytes(StandardCharsets.UTF_8));
    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(
                    ch.httpUrl()
                        .resolve("/?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                .header("Authorization", "Basic " + auth)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          "ClickHouse answered "
              + r.statusCode()
              + ": "
              + new String(r.body(), StandardCharsets.UTF_8));
    }
    return r.body();
  }
}

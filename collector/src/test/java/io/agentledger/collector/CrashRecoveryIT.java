package io.agentledger.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentledger.core.testing.OtlpRequests;
import io.agentledger.store.CostReport;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumers crash mid-stream (halted with their batches unwritten or written but not committed)
 * and come back: every acknowledged span is stored exactly once.
 */
class CrashRecoveryIT {

  private static final int CLIENTS = 2;
  private static final int REQUESTS_PER_CLIENT = 500;
  private static final int TRACES_PER_REQUEST = 10;
  private static final int SPANS_PER_TRACE = 20;
  private static final long TOTAL_SPANS =
      (long) CLIENTS * REQUESTS_PER_CLIENT * TRACES_PER_REQUEST * SPANS_PER_TRACE; // 200,000

  @TempDir Path dir;

  @Test
  void consumersHaltedWhileSpansStreamIn_afterRestartEveryAcknowledgedSpanIsStoredOnce()
      throws Exception {
    // The admission bound above everything the test sends: while the consumers are halted the
    // backlog grows past the default bound (50,000 spans), and this test needs the receiver to keep
    // acknowledging (BackPressureIT tests the bound).
    CollectorConfig config =
        CollectorConfig.from(Map.of("AGENTLEDGER_MAX_LAG_SPANS", Long.toString(TOTAL_SPANS)));
    try (Pipeline p = new Pipeline(dir, config)) {
      AtomicLong acked = new AtomicLong();
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> sending = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        sending.add(clients.submit(() -> send(p, client, acked)));
      }

      await().atMost(Duration.ofMinutes(2)).until(() -> acked.get() >= TOTAL_SPANS / 4);
      p.ingest.halt(); // no flush, no commit
      double storedBeforeCrash = p.registry.counter("agentledger.spans.stored").count();
      assertThat(storedBeforeCrash).isPositive().isLessThan(TOTAL_SPANS);
      // The receiver keeps acknowledging into Kafka while no consumer runs.
      long ackedAtCrash = acked.get();
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> acked.get() >= ackedAtCrash + TOTAL_SPANS / 4);
      p.startIngest();

      for (Future<?> f : sending) {
        f.get();
      }
      clients.shutdown();
      assertThat(acked.get()).isEqualTo(TOTAL_SPANS);

      await().atMost(Duration.ofMinutes(2)).until(() -> BackPressureIT.llmCalls(p) >= TOTAL_SPANS);
      CostReport.Group total = BackPressureIT.total(p);
      assertThat(total.llmCalls()).isEqualTo(TOTAL_SPANS);
      assertThat(total.costUsd())
          .isEqualByComparingTo(
              new BigDecimal(OtlpRequests.COST_PER_SPAN).multiply(BigDecimal.valueOf(TOTAL_SPANS)));
      assertThat(total.chains()).isEqualTo(TOTAL_SPANS / SPANS_PER_TRACE);
      // The counter moves just after the store's commit, so it may trail the query briefly.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(p.registry.counter("agentledger.spans.stored").count())
                      .isEqualTo(TOTAL_SPANS));
    }
  }

  /** Sends its share of requests, retrying (as OTLP exporters do) until each is acknowledged. */
  private static Void send(Pipeline p, int client, AtomicLong acked) throws Exception {
    for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
      long seq = (long) client * REQUESTS_PER_CLIENT + i + 1;
      byte[] body = OtlpRequests.modelCalls(seq, TRACES_PER_REQUEST, SPANS_PER_TRACE).toByteArray();
      while (true) {
        HttpResponse<byte[]> r = p.postAlpha(body);
        if (r.statusCode() == 200) {
          acked.addAndGet(TRACES_PER_REQUEST * SPANS_PER_TRACE);
          break;
        }
        assertThat(r.statusCode()).isIn(429, 503);
        Thread.sleep(100); // Retry-After, shortened: this is a client's back-off, not a timing wait
      }
    }
    return null;
  }
}

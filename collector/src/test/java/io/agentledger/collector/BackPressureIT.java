package io.agentledger.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agentledger.core.testing.OtlpRequests;
import io.agentledger.store.CostQuery;
import io.agentledger.store.CostReport;
import io.agentledger.store.TimeRange;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the store or Kafka falls behind, clients are told to retry instead of being buffered. */
class BackPressureIT {

  @TempDir Path dir;

  @Test
  void storeFallsBehind_receiverAnswers429WithRetryAfter_thenRecovers() throws Exception {
    CollectorConfig config = CollectorConfig.from(Map.of("AGENTLEDGER_MAX_LAG_SPANS", "100"));
    GatedStore[] gated = new GatedStore[1];
    try (Pipeline p = new Pipeline(dir, config, store -> gated[0] = new GatedStore(store))) {
      AtomicLong acked = new AtomicLong();
      AtomicLong seq = new AtomicLong(1);
      AtomicReference<HttpResponse<byte[]>> refused = new AtomicReference<>();
      // Each request is 10 traces (10 records) of 2 spans; the store is stuck, so the lag grows
      // until it passes 100 spans.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                HttpResponse<byte[]> r =
                    p.postAlpha(
                        OtlpRequests.modelCalls(seq.getAndIncrement(), 10, 2).toByteArray());
                if (r.statusCode() == 200) {
                  acked.addAndGet(20);
                  return false;
                }
                refused.set(r);
                return true;
              });
      assertThat(refused.get().statusCode()).isEqualTo(429);
      // The store takes nothing: the longest wait is asked for.
      assertThat(refused.get().headers().firstValue("Retry-After")).hasValue("30");
      assertThat(acked.get()).isGreaterThanOrEqualTo(100); // at least 100 spans went through first

      gated[0].open();
      await().atMost(Duration.ofSeconds(60)).until(() -> llmCalls(p) == acked.get());
      // Once the consumers have caught up, the same request is accepted.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  p.postAlpha(OtlpRequests.modelCalls(seq.get(), 10, 2).toByteArray()).statusCode()
                      == 200);
      acked.addAndGet(20);
      await().atMost(Duration.ofSeconds(30)).until(() -> llmCalls(p) == acked.get());
      assertThat(total(p).costUsd())
          .isEqualByComparingTo(
              new BigDecimal(OtlpRequests.COST_PER_SPAN).multiply(BigDecimal.valueOf(acked.get())));
    }
  }

  @Test
  void kafkaDown_receiverAnswers503WithRetryAfter_andTheRetryIsStoredOnce() throws Exception {
    CollectorConfig config = CollectorConfig.from(Map.of("AGENTLEDGER_ACK_TIMEOUT", "2s"));
    try (Pipeline p = new Pipeline(dir, config)) {
      byte[] request = OtlpRequests.modelCalls(1, 3, 5).toByteArray();
      assertThat(p.postAlpha(OtlpRequests.modelCalls(2, 1, 1).toByteArray()).statusCode())
          .isEqualTo(200); // the producer knows the topic before the broker goes

      p.broker.close();
      long start = System.nanoTime();
      HttpResponse<byte[]> r = p.postAlpha(request);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

      // The exporter retries after the broker is back. The producer may also deliver the first
      // attempt late (it retries on its own): the store must still hold each span once.
      p.broker.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> p.postAlpha(request).statusCode() == 200);
      await().atMost(Duration.ofSeconds(60)).until(() -> llmCalls(p) == 16);
      assertThat(total(p).costUsd())
          .isEqualByComparingTo(
              new BigDecimal(OtlpRequests.COST_PER_SPAN).multiply(BigDecimal.valueOf(16)));
    }
  }

  static long llmCalls(Pipeline p) {
    return Optional.ofNullable(total(p)).map(CostReport.Group::llmCalls).orElse(0L);
  }

  static CostReport.Group total(Pipeline p) {
    TimeRange range =
        new TimeRange(Instant.now().minus(Duration.ofHours(1)), Instant.now().plusSeconds(60));
    List<CostReport.Group> groups =
        p.store.costs("alpha", new CostQuery(range, List.of(), Optional.empty())).groups();
    return groups.isEmpty() ? null : groups.get(0);
  }
}

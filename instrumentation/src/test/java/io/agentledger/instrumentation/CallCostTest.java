package io.agentledger.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.pricing.ModelPricing;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.span.Usage;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * What a call, its run and the budget guard report is what pricing each call with {@link
 * CatalogPricer#price} and adding the {@code BigDecimal}s gives: the same values and scales, though
 * the library now keeps prices as longs until they are read.
 */
class CallCostTest {

  private static final long NOW = Instant.parse("2026-11-30T12:00:00Z").toEpochMilli() * 1_000_000;

  /** A clock fixed at {@link #NOW}: the day every call is priced at. */
  private static final Clock FIXED =
      new Clock() {
        @Override
        public long now() {
          return NOW;
        }

        @Override
        public long nanoTime() {
          return 0;
        }
      };

  @Test
  void everyBundledModel_callRunAndBudget_reportThePricersSums() {
    PriceCatalog catalog = PriceCatalog.bundled();
    CatalogPricer pricer = new CatalogPricer(catalog);
    SplittableRandom random = new SplittableRandom(2026);
    BudgetGuard guard =
        BudgetGuard.perChain(new BigDecimal("1E+12")).perSession(new BigDecimal("1E+12"));
    int priced = 0;
    int conversations = 0;
    try (AgentLedger ledger =
        AgentLedger.builder()
            .tracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()))
                    .build())
            .budget(guard)
            .clock(FIXED)
            .build()) {
      for (ModelPricing model : catalog.models()) {
        String conversation = "s-" + conversations++;
        try (AgentRun root = ledger.agent("planner").conversation(conversation).start();
            AgentRun run = root.handoff("worker")) {
          @Nullable BigDecimal expected = null;
          for (int i = 0; i < 6; i++) {
            long input = i == 0 ? 0 : random.nextLong(0, 400_000);
            long output = random.nextLong(0, 50_000);
            long cacheRead = random.nextLong(0, input + 2);
            long cacheWrite = random.nextLong(0, input + 2);
            long reasoning = random.nextLong(0, output + 2);
            ModelCall call =
                run.modelCall(model.provider(), model.model(), input, output)
                    .usage(input, output)
                    .cacheRead(cacheRead)
                    .cacheWrite(cacheWrite)
                    .reasoning(reasoning);
            call.close();
            // How the call reads its usage: the details clamped to the totals.
            long read = Math.min(cacheRead, input);
            Usage usage =
                new Usage(
                    true,
                    input,
                    output,
                    read,
                    Math.min(cacheWrite, Math.max(0, input - cacheRead)),
                    0,
                    Math.min(reasoning, output));
            BigDecimal price = pricer.price(model.provider(), model.model(), usage, NOW);
            assertThat(call.costUsd().orElse(null))
                .as("%s/%s %s", model.provider(), model.model(), usage)
                .isEqualTo(price); // value and scale
            if (price != null) {
              expected = expected == null ? price : expected.add(price);
              priced++;
            }
          }
          BigDecimal total = expected == null ? BigDecimal.ZERO : expected;
          BigDecimal stripped = total.signum() == 0 ? BigDecimal.ZERO : total.stripTrailingZeros();
          assertThat(run.costUsd()).isEqualTo(stripped);
          assertThat(root.costUsd()).isEqualTo(stripped);
          assertThat(guard.spentOnChain(run.traceId())).isEqualTo(total);
          assertThat(guard.spentOnSession(conversation)).isEqualTo(total);
        }
      }
    }
    assertThat(priced).isGreaterThan(100);
  }
}

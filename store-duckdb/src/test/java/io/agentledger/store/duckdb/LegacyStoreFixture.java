package io.agentledger.store.duckdb;

import static io.agentledger.core.testing.TestSpans.span;

import io.agentledger.core.pricing.ModelKind;
import io.agentledger.core.pricing.ModelPricing;
import io.agentledger.core.pricing.PricePeriod;
import io.agentledger.core.pricing.PriceRates;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import io.agentledger.store.Anomaly;
import io.agentledger.store.Regression;
import io.agentledger.store.SpanStore;
import io.agentledger.store.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The content of {@code legacy-v002.duckdb}, a store file written by the release before the store
 * split (schema version 2). {@link #write} is how that file was made; the migration test writes the
 * same content with today's code and expects the old file to read back identically.
 *
 * <p>To make the file again (only ever with the old release's code): {@code mvn -pl store-duckdb
 * -am test -Dtest=LegacyStoreFixture -Dsurefire.failIfNoSpecifiedTests=false
 * -Dlegacy.fixture.out=/tmp/legacy-v002.duckdb}
 */
public class LegacyStoreFixture {

  /** 2025-11-23T12:13:20Z, the start of {@code TestSpans} spans. */
  static final Instant T0 = Instant.ofEpochSecond(1_763_900_000L);

  static final String WATERMARK_KEY = "analyzer.settle.watermark";

  static String trace(int n) {
    return String.format("%032x", 0xabc000L + n);
  }

  /** Writes the fixture's content into a new, empty store whose clock started at {@code T0}. */
  static void write(SpanStore store, TestClock clock) {
    store.append(chain("p", trace(1), 0));
    clock.advance(Duration.ofSeconds(1));
    store.append(chain("p", trace(2), 60_000));
    clock.advance(Duration.ofSeconds(1));
    store.append(chain("q", trace(1), 120_000)); // same trace id, another project
    clock.advance(Duration.ofSeconds(1));
    store.append(parentRepeatingItsChild(trace(5)));
    clock.advance(Duration.ofSeconds(1));
    // A late span of a known chain (the merge path) and a replay (skipped).
    store.append(List.of(span("late", "root").trace(trace(1)).project("p").at(500, 10).build()));
    store.append(chain("p", trace(2), 60_000));
    clock.advance(Duration.ofSeconds(1));

    settle(store, "p", trace(1), trace(5));
    settle(store, "q", trace(1));
    // trace(2) of "p" stays unsettled.

    // The release before wrote this anomaly in its first shape (kind cost_spike, entity
    // agent:writer, window T0-1h..T0, expected 2.0, status open, attributes {k: v}); schema 3
    // carries it over as this episode.
    store.saveAnomalies(
        List.of(
            new Anomaly(
                "p",
                "a1",
                "cost_spike",
                Map.of("agent", "writer"),
                "cost_usd",
                12.5,
                new Anomaly.Band(2.0, 2.0),
                7.1,
                Anomaly.WARNING,
                Anomaly.FIRING,
                T0.minusSeconds(3600),
                T0,
                List.of(),
                Map.of("k", "v"))));
    // The old file holds the regression (p, r1, writer, cost_per_chain, 1.0 -> 1.1, 0.5 -> 0.9,
    // change 0.8, p 0.001, detected T0) in the shape before V003; this is how V003 reads it.
    Regression.Segment before = new Regression.Segment("1.0", T0, T0, 0.5, 0);
    Regression.Segment after = new Regression.Segment("1.1", T0, T0, 0.9, 0);
    store.saveRegressions(
        List.of(
            new Regression(
                "p",
                "r1",
                Regression.VERSION,
                "writer",
                "cost_per_chain",
                before,
                after,
                0.8,
                0.8,
                0.8,
                0.001,
                Regression.WORSE,
                T0,
                List.of(),
                Regression.FIRING,
                T0)));
    store.savePriceOverride("p", pricing());
    store.saveState(WATERMARK_KEY, T0.plusSeconds(4).toString());
  }

  static void settle(SpanStore store, String project, String... traceIds) {
    List<ChainRollupResult> results = new ArrayList<>();
    store
        .chainSpans(project, List.of(traceIds))
        .values()
        .forEach(spans -> results.add(ChainRollup.compute(spans)));
    store.saveRollups(results);
  }

  static ModelPricing pricing() {
    return new ModelPricing(
        "openai",
        "gpt-4o",
        ModelKind.CHAT,
        List.of(),
        List.of(PricePeriod.of(LocalDate.parse("2025-01-01"), PriceRates.of(1.5, 3.0))));
  }

  static List<AgentSpan> chain(String project, String traceId, long offsetMillis) {
    return List.of(
        span("root", null)
            .trace(traceId)
            .project(project)
            .agent("planner")
            .session("s-1")
            .service("svc", "1.0")
            .at(offsetMillis, 100)
            .build(),
        span("llm1", "root")
            .trace(traceId)
            .project(project)
            .llm("openai", "gpt-4o")
            .usage(1000, 200, "0.30")
            .at(offsetMillis + 1, 10)
            .build(),
        span("writer", "root")
            .trace(traceId)
            .project(project)
            .agent("writer")
            .at(offsetMillis + 20, 50)
            .build(),
        span("llm2", "writer")
            .trace(traceId)
            .project(project)
            .llm("anthropic", "claude-sonnet-4-5")
            .usage(2000, 300, "0.45")
            .at(offsetMillis + 21, 10)
            .build(),
        span("tool", "writer")
            .trace(traceId)
            .project(project)
            .tool("search")
            .at(offsetMillis + 40, 5)
            .build());
  }

  static List<AgentSpan> parentRepeatingItsChild(String traceId) {
    return List.of(
        span("parent", null)
            .trace(traceId)
            .project("p")
            .llm("openai", "gpt-4o")
            .usage(1000, 200, "0.30")
            .role(BillingRole.BILLABLE)
            .at(0, 100)
            .build(),
        span("child", "parent")
            .trace(traceId)
            .project("p")
            .llm("openai", "gpt-4o")
            .usage(1000, 200, "0.30")
            .at(1, 10)
            .build());
  }

  @Test
  @EnabledIfSystemProperty(named = "legacy.fixture.out", matches = ".+")
  void writeTheFixtureFile() throws Exception {
    Path out = Path.of(System.getProperty("legacy.fixture.out"));
    Files.deleteIfExists(out);
    TestClock clock = new TestClock(T0);
    try (SpanStore store = DuckDbSpanStore.open(out, clock)) {
      write(store, clock);
    }
  }
}

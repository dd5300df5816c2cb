package io.agentledger.store;

import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentledger.core.decision.DecisionEdge;
import io.agentledger.core.decision.DecisionNode;
import io.agentledger.core.decision.DecisionTree;
import io.agentledger.core.decision.DecisionTreePage;
import io.agentledger.core.normalize.SpanNormalizer;
import io.agentledger.core.pricing.ModelKind;
import io.agentledger.core.pricing.ModelPricing;
import io.agentledger.core.pricing.PricePeriod;
import io.agentledger.core.pricing.PriceRates;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import io.agentledger.core.span.DecimalBounds;
import io.agentledger.core.span.SpanEvent;
import io.agentledger.core.span.SpanLink;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SpanStore} adapter must do. An adapter's test extends this class and opens a
 * fresh, empty store; every expected number below is worked out by hand in a comment.
 */
public abstract class SpanStoreContract
    implements RunStoreContract, ToolCostWorkflowContract, CostTreeContract {

  /** 2025-11-23T12:13:20Z, the start of {@code TestSpans} spans. */
  protected static final Instant T0 = Instant.ofEpochSecond(1_763_900_000L);

  protected static final TimeRange DAY =
      new TimeRange(T0.minus(Duration.ofHours(12)), T0.plus(Duration.ofHours(12)));

  protected TestClock clock;
  protected SpanStore store;

  @Override
  public SpanStore store() {
    return store;
  }

  /** A new, empty store using the given clock for its store times. */
  protected abstract SpanStore openStore(TestClock clock) throws Exception;

  @BeforeEach
  void openFreshStore() throws Exception {
    clock = new TestClock(T0.plus(Duration.ofMinutes(5)));
    store = openStore(clock);
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /**
   * A chain: root agent "planner" → LLM gpt-4o ($0.30) and agent "writer" → LLM claude ($0.45) and
   * a tool. Total $0.75; planner exclusive $0.30, writer exclusive $0.45.
   */
  protected static List<AgentSpan> chain(String project, String traceId, long offsetMillis) {
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

  protected static String trace(int n) {
    return String.format("%032x", 0xabc000L + n);
  }

  /** Settles the given chains the way the analyzer does. */
  protected void settle(String project, String... traceIds) {
    List<ChainRollupResult> results = new ArrayList<>();
    store
        .chainSpans(project, List.of(traceIds))
        .values()
        .forEach(spans -> results.add(ChainRollup.compute(spans)));
    store.saveRollups(results);
  }

  private static BigDecimal usd(String v) {
    return new BigDecimal(v);
  }

  // --- idempotency --------------------------------------------------------------------------

  @Test
  void append_isIdempotentUnderReplaysAndDuplicates() {
    List<AgentSpan> spans = chain("p", trace(1), 0);

    assertThat(store.append(spans)).isEqualTo(5);
    assertThat(store.append(spans)).isZero();
    List<AgentSpan> doubled = new ArrayList<>(spans);
    doubled.addAll(spans);
    assertThat(store.append(doubled)).isZero();
    settle("p", trace(1));
    assertThat(store.append(spans.subList(1, 3))).isZero();

    assertThat(store.chainSpans("p", trace(1))).hasSize(5);
    assertThat(store.chainSummary("p", trace(1)).orElseThrow().costUsd())
        .isEqualByComparingTo("0.75");
    CostReport costs = store.costs("p", new CostQuery(DAY, List.of(), Optional.empty()));
    assertThat(costs.groups())
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.costUsd()).isEqualByComparingTo("0.75");
              assertThat(g.llmCalls()).isEqualTo(2);
            });
  }

  @Test
  void duplicatesWithinOneBatch_countOnce_andNewSpansOfAKnownChainAreAdded() {
    List<AgentSpan> spans = chain("p", trace(1), 0);
    List<AgentSpan> firstHalf = new ArrayList<>(spans.subList(0, 3));
    firstHalf.add(spans.get(0));

    assertThat(store.append(firstHalf)).isEqualTo(3);
    assertThat(store.append(spans)).isEqualTo(2);
    assertThat(store.chainSpans("p", trace(1)))
        .extracting(AgentSpan::spanId)
        .containsExactlyInAnyOrderElementsOf(spans.stream().map(AgentSpan::spanId).toList());
  }

  @Test
  void spansRoundTripUnchanged() {
    AgentSpan original =
        span("llm", null)
            .trace(trace(7))
            .project("p")
            .llm("openai", "gpt-4o")
            .usage(10, 5, "0.000123456789")
            .build();
    AgentSpan rich =
        original.toBuilder()
            .attributes(Map.of("gen_ai.request.model", "gpt-4o", "k", "v"))
            .resourceAttributes(Map.of("service.name", "svc"))
            .events(
                List.of(
                    new SpanEvent(
                        original.startEpochNanos() + 5,
                        "agentledger.decision",
                        Map.of("agentledger.decision.choice", "search"))))
            .links(List.of(new SpanLink(trace(8), "00000000000000aa", Map.of("x", "y"))))
            .build();

    store.append(List.of(rich));

    assertThat(store.chainSpans("p", trace(7))).containsExactly(rich);
  }

  /** The largest values normalization lets through (docs/security.md, "Data bounds") fit. */
  @Test
  void theLargestNormalizedValues_roundTripAndRollUp() {
    long start = SpanNormalizer.MAX_EPOCH_NANOS - 60_000_000_000L;
    String longName = "n".repeat(SpanNormalizer.MAX_NAME_CHARS) + "…[truncated 5 chars]";
    String longValue = "v".repeat(SpanNormalizer.DEFAULT_MAX_ATTRIBUTE_CHARS);
    List<AgentSpan> spans = new ArrayList<>();
    for (String label : List.of("a", "b")) {
      spans.add(
          span(label, null)
              .trace(trace(9))
              .project("p")
              .llm("openai", "gpt-4o")
              .usage(1_000_000_000L, 1_000_000_000L, DecimalBounds.MAX_COST_USD.toPlainString())
              .startEpochNanos(start)
              .build()
              .toBuilder()
              .name(longName)
              .attributes(Map.of("input.value", longValue))
              .build());
    }

    assertThat(store.append(spans)).isEqualTo(2);
    settle("p", trace(9));

    assertThat(store.chainSpans("p", trace(9))).containsExactlyInAnyOrderElementsOf(spans);
    assertThat(store.chainSummary("p", trace(9)).orElseThrow().costUsd())
        .isEqualByComparingTo("2000000000");
  }

  // --- isolation ----------------------------------------------------------------------------

  @Test
  void projectsAreIsolated_evenWithTheSameTraceId() {
    store.append(chain("alpha", trace(1), 0));
    List<AgentSpan> beta = chain("beta", trace(1), 0).subList(0, 2); // root + $0.30 call
    store.append(beta);
    settle("alpha", trace(1));
    settle("beta", trace(1));

    assertThat(store.chainSpans("alpha", trace(1))).hasSize(5);
    assertThat(store.chainSpans("beta", trace(1))).hasSize(2);
    assertThat(store.chainSpans("gamma", trace(1))).isEmpty();
    assertThat(store.chainSummary("alpha", trace(1)).orElseThrow().costUsd())
        .isEqualByComparingTo("0.75");
    assertThat(store.chainSummary("beta", trace(1)).orElseThrow().costUsd())
        .isEqualByComparingTo("0.30");
    assertThat(store.chainSummary("gamma", trace(1))).isEmpty();
    assertThat(store.chains("beta", ChainQuery.all(DAY)).items()).hasSize(1);
    assertThat(store.chains("gamma", ChainQuery.all(DAY)).items()).isEmpty();
    assertThat(store.costs("beta", new CostQuery(DAY, List.of(), Optional.empty())).groups())
        .singleElement()
        .satisfies(g -> assertThat(g.costUsd()).isEqualByComparingTo("0.30"));
    assertThat(store.session("gamma", "s-1")).isEmpty();
    assertThat(store.session("beta", "s-1").orElseThrow().costUsd()).isEqualByComparingTo("0.30");
    assertThat(store.agents("gamma", DAY)).isEmpty();

    store.savePriceOverride("alpha", pricing("openai", "gpt-4o", "1.0", "2.0"));
    assertThat(store.priceOverrides("alpha")).hasSize(1);
    assertThat(store.priceOverrides("beta")).isEmpty();
  }

  // --- order and lateness ---------------------------------------------------------------------

  @Test
  void outOfOrderAndLateSpans_settleToTheSameTotals() {
    List<AgentSpan> spans = new ArrayList<>(chain("p", trace(1), 0));
    Collections.reverse(spans); // children before their parents
    store.append(spans.subList(0, 2));
    store.append(spans.subList(2, 4));
    settle("p", trace(1));
    // Without its root the chain is incomplete, but both model calls are here: $0.75, 4 spans.
    ChainSummary partial = store.chainSummary("p", trace(1)).orElseThrow();
    assertThat(partial.costUsd()).isEqualByComparingTo("0.75");
    assertThat(partial.spanCount()).isEqualTo(4);

    Instant before = clock.instant();
    clock.advance(Duration.ofMinutes(10));
    store.append(spans.subList(4, 5)); // the late root

    assertThat(store.chainsTouched(before, clock.instant(), 100))
        .extracting(ChainRef::traceId)
        .containsExactly(trace(1));
    settle("p", trace(1));
    ChainSummary settled = store.chainSummary("p", trace(1)).orElseThrow();
    assertThat(settled.costUsd()).isEqualByComparingTo("0.75");
    assertThat(settled.spanCount()).isEqualTo(5);
    assertThat(settled.rootSpanId()).isEqualTo(spans.get(4).spanId());
  }

  @Test
  void chainsTouched_followsStoreTime_notSpanTime() {
    Instant t1 = clock.instant();
    store.append(chain("p", trace(1), 0));
    clock.advance(Duration.ofSeconds(30));
    Instant t2 = clock.instant();
    store.append(chain("q", trace(2), -3_600_000)); // an hour older in span time

    assertThat(store.chainsTouched(t1.minusNanos(1000), t2.minusNanos(1000), 10))
        .extracting(ChainRef::traceId)
        .containsExactly(trace(1));
    assertThat(store.chainsTouched(t1.minusNanos(1000), clock.instant(), 10))
        .extracting(ChainRef::project, ChainRef::traceId)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("p", trace(1)),
            org.assertj.core.groups.Tuple.tuple("q", trace(2)));
    assertThat(store.chainsTouched(t1.minusNanos(1000), clock.instant(), 1)).hasSize(1);
    assertThat(store.chainsTouched(t2, clock.instant(), 10)).isEmpty();
  }

  @Test
  void committedUpTo_isTheTimeAsked_whileNothingIsWritten_andALaterAppendLandsAfterIt() {
    store.append(chain("p", trace(1), 0));
    Instant bound = store.committedUpTo(clock.instant());
    assertThat(bound).isEqualTo(clock.instant());

    // The clock has not moved, yet this append is stamped after the bound: a settler that has
    // moved up to the bound will still see it.
    store.append(chain("p", trace(2), 0));

    assertThat(store.chainsTouched(Instant.EPOCH, bound, 10))
        .extracting(ChainRef::traceId)
        .containsExactly(trace(1));
    assertThat(store.chainsTouched(bound, clock.instant().plusSeconds(1), 10))
        .extracting(ChainRef::traceId)
        .containsExactly(trace(2));
    assertThat(store.committedUpTo(bound.minusSeconds(1))).isEqualTo(bound.minusSeconds(1));
  }

  // --- listing and pagination -------------------------------------------------------------------

  @Test
  void pagination_neitherSkipsNorRepeats_whileWritesContinue() {
    for (int i = 0; i < 25; i++) {
      store.append(chain("p", trace(i), i * 1000L));
    }
    settle("p", traces(0, 25));
    ChainQuery query = ChainQuery.all(DAY).withLimit(10);

    List<String> seen = new ArrayList<>();
    Page<ChainSummary> page = store.chains("p", query);
    int pages = 1;
    int extra = 100;
    while (true) {
      page.items().forEach(c -> seen.add(c.traceId()));
      // New chains keep arriving between pages: some newer than all, some in the middle.
      store.append(chain("p", trace(extra), 30_000L + extra));
      store.append(chain("p", trace(extra + 1), 12_500L));
      settle("p", trace(extra), trace(extra + 1));
      extra += 2;
      if (page.nextCursor().isEmpty()) {
        break;
      }
      page = store.chains("p", query.withCursor(page.nextCursor().get()));
      pages++;
    }

    assertThat(pages).isGreaterThanOrEqualTo(3);
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(seen).containsAll(List.of(traces(0, 25)));
  }

  @Test
  void listing_ordersFiltersAndRejectsForeignCursors() {
    store.append(chain("p", trace(1), 0));
    List<AgentSpan> cheap = chain("p", trace(2), 5000).subList(0, 2); // $0.30
    store.append(cheap);
    AgentSpan other =
        span("solo", null)
            .trace(trace(3))
            .project("p")
            .llm("openai", "gpt-4o")
            .service("other-svc", "2")
            .usage(1, 1, "0.05")
            .at(9000, 1)
            .build();
    store.append(List.of(other));
    settle("p", trace(1), trace(2), trace(3));

    assertThat(store.chains("p", ChainQuery.all(DAY)).items())
        .extracting(ChainSummary::traceId)
        .containsExactly(trace(3), trace(2), trace(1)); // newest first
    ChainQuery byCost =
        new ChainQuery(
            DAY, "", "", "", "", Optional.empty(), ChainQuery.Order.COST, 2, Optional.empty());
    Page<ChainSummary> first = store.chains("p", byCost);
    assertThat(first.items()).extracting(ChainSummary::traceId).containsExactly(trace(1), trace(2));
    assertThat(store.chains("p", byCost.withCursor(first.nextCursor().orElseThrow())).items())
        .extracting(ChainSummary::traceId)
        .containsExactly(trace(3));
    assertThat(
            store
                .chains(
                    "p",
                    new ChainQuery(DAY, "other-svc", "", "", "", Optional.empty(), null, 50, null))
                .items())
        .extracting(ChainSummary::traceId)
        .containsExactly(trace(3));
    assertThat(
            store
                .chains(
                    "p",
                    new ChainQuery(DAY, "", "writer", "", "", Optional.empty(), null, 50, null))
                .items())
        .extracting(ChainSummary::traceId)
        .containsExactly(trace(1));
    assertThat(
            store
                .chains(
                    "p",
                    new ChainQuery(DAY, "", "", "", "", Optional.of(usd("0.30")), null, 50, null))
                .items())
        .extracting(ChainSummary::traceId)
        .containsExactlyInAnyOrder(trace(1), trace(2));
    assertThat(
            store
                .chains(
                    "p", new ChainQuery(DAY, "", "", "s-1", "", Optional.empty(), null, 50, null))
                .items())
        .hasSize(2);
    String startCursor =
        store.chains("p", ChainQuery.all(DAY).withLimit(1)).nextCursor().orElseThrow();
    assertThatThrownBy(() -> store.chains("p", byCost.withCursor(startCursor)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.chains("p", byCost.withCursor("garbage!")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // --- aggregations -------------------------------------------------------------------------

  @Test
  void costGroupsOfEqualCost_comeInKeyOrder_soBothStoresListTheSame() {
    String[][] calls = {
      {"openai", "m-b", "0.10"},
      {"openai", "m-z", "0.20"},
      {"openai", "m-c", "0.10"},
      {"acme", "m-c", "0.10"},
      {"openai", "m-a", "0.10"}
    };
    List<AgentSpan> spans = new ArrayList<>();
    for (int i = 0; i < calls.length; i++) {
      spans.add(
          span("call" + i, null)
              .trace(trace(i))
              .project("p")
              .llm(calls[i][0], calls[i][1])
              .usage(100, 10, calls[i][2])
              .at(i, 1)
              .build());
    }
    store.append(spans);
    settle("p", traces(0, calls.length));

    CostReport report =
        store.costs(
            "p",
            new CostQuery(
                DAY, List.of(CostDimension.PROVIDER, CostDimension.MODEL), Optional.empty()));

    assertThat(report.groups())
        .extracting(g -> g.key().get("provider") + "/" + g.key().get("model"))
        .containsExactly("openai/m-z", "acme/m-c", "openai/m-a", "openai/m-b", "openai/m-c");
  }

  @Test
  void costsKeepOnlyTheCallsMatchingEveryFilter_inGroupsAndSeries() {
    String[][] calls = {
      {"openai", "m-a", "0.10"},
      {"openai", "m-b", "0.20"},
      {"acme", "m-a", "0.40"},
      {"openai", "m-a", "0.80"}
    };
    List<AgentSpan> spans = new ArrayList<>();
    for (int i = 0; i < calls.length; i++) {
      spans.add(
          span("call" + i, null)
              .trace(trace(i))
              .project("p")
              .llm(calls[i][0], calls[i][1])
              .usage(100, 10, calls[i][2])
              .at(i * 3_600_000, 1)
              .build());
    }
    store.append(spans);
    settle("p", traces(0, calls.length));

    CostReport byModel =
        store.costs(
            "p",
            new CostQuery(
                DAY,
                List.of(CostDimension.MODEL),
                Optional.of(Duration.ofHours(1)),
                Map.of(CostDimension.PROVIDER, "openai")));
    assertThat(byModel.groups())
        .extracting(g -> g.key().get("model") + "=" + g.costUsd().stripTrailingZeros())
        .containsExactly("m-a=0.9", "m-b=0.2");
    assertThat(byModel.groups().get(0).series()).hasSize(2); // hours 0 and 3, not acme's hour 2

    CostReport both =
        store.costs(
            "p",
            new CostQuery(
                DAY,
                List.of(),
                Optional.empty(),
                Map.of(CostDimension.PROVIDER, "openai", CostDimension.MODEL, "m-a")));
    assertThat(both.groups()).hasSize(1);
    assertThat(both.groups().get(0).costUsd()).isEqualByComparingTo("0.90");
    assertThat(both.groups().get(0).chains()).isEqualTo(2);

    assertThat(
            store
                .costs(
                    "p",
                    new CostQuery(
                        DAY, List.of(), Optional.empty(), Map.of(CostDimension.MODEL, "nope")))
                .groups())
        .isEmpty();
  }

  @Test
  void costGroupBys_matchHandComputedTotals() {
    store.append(chain("p", trace(1), 0));
    store.append(chain("p", trace(2), 3_600_000)); // an hour later
    AgentSpan unpriced =
        span("mystery", null)
            .trace(trace(3))
            .project("p")
            .llm("acme", "mystery-1")
            .unpricedUsage(100, 10)
            .at(7_200_000, 1)
            .build();
    // A roll-up parent carrying the sum of its child must not count again.
    AgentSpan parent =
        span("parent", null)
            .trace(trace(4))
            .project("p")
            .type(io.agentledger.core.span.SpanType.CHAIN)
            .usage(1000, 200, "0.30")
            .at(0, 100)
            .build();
    AgentSpan child =
        span("child", "parent")
            .trace(trace(4))
            .project("p")
            .llm("openai", "gpt-4o")
            .usage(1000, 200, "0.30")
            .at(1, 10)
            .build();
    store.append(List.of(unpriced, parent, child));
    settle("p", trace(1), trace(2), trace(3), trace(4));

    // By model: gpt-4o 0.30 × 3 (two chains + trace 4's child) = 0.90; claude 0.45 × 2 = 0.90;
    // mystery-1 unknown (0, unpriced 1). Input tokens gpt-4o: 1000 × 3.
    CostReport byModel =
        store.costs("p", new CostQuery(DAY, List.of(CostDimension.MODEL), Optional.empty()));
    Map<String, CostReport.Group> models =
        byModel.groups().stream().collect(Collectors.toMap(g -> g.key().get("model"), g -> g));
    assertThat(models.get("gpt-4o").costUsd()).isEqualByComparingTo("0.90");
    assertThat(models.get("gpt-4o").usage().inputTokens()).isEqualTo(3000);
    assertThat(models.get("gpt-4o").llmCalls()).isEqualTo(3);
    assertThat(models.get("gpt-4o").chains()).isEqualTo(3);
    assertThat(models.get("claude-sonnet-4-5").costUsd()).isEqualByComparingTo("0.90");
    assertThat(models.get("mystery-1").costUsd()).isEqualByComparingTo("0");
    assertThat(models.get("mystery-1").unpricedCalls()).isEqualTo(1);

    // By agent (attributed by the settled tree): planner 0.30 × 2 = 0.60; writer 0.45 × 2 = 0.90;
    // unattributed: trace 4's 0.30 and the mystery call.
    CostReport byAgent =
        store.costs("p", new CostQuery(DAY, List.of(CostDimension.AGENT), Optional.empty()));
    Map<String, BigDecimal> agents =
        byAgent.groups().stream()
            .collect(Collectors.toMap(g -> g.key().get("agent"), CostReport.Group::costUsd));
    assertThat(agents.get("planner")).isEqualByComparingTo("0.60");
    assertThat(agents.get("writer")).isEqualByComparingTo("0.90");
    assertThat(agents.get("")).isEqualByComparingTo("0.30");
    assertThat(byAgent.groups().get(0).key().get("agent")).isEqualTo("writer"); // most expensive

    // Hourly series, no grouping: 12:00 bucket holds chain 1 + trace 4 = 0.75 + 0.30 = 1.05,
    // 13:00 holds chain 2 = 0.75, 14:00 the mystery call = 0.
    CostReport series =
        store.costs("p", new CostQuery(DAY, List.of(), Optional.of(Duration.ofHours(1))));
    CostReport.Group all = series.groups().get(0);
    assertThat(all.costUsd()).isEqualByComparingTo("1.80");
    assertThat(all.unpricedCalls()).isEqualTo(1);
    assertThat(all.series())
        .extracting(CostReport.Bucket::start)
        .containsExactly(
            Instant.parse("2025-11-23T12:00:00Z"),
            Instant.parse("2025-11-23T13:00:00Z"),
            Instant.parse("2025-11-23T14:00:00Z"));
    assertThat(all.series())
        .extracting(CostReport.Bucket::costUsd)
        .usingElementComparator(BigDecimal::compareTo)
        .containsExactly(usd("1.05"), usd("0.75"), usd("0"));

    // Two dimensions; and a range that holds only the first hour.
    CostReport twoDims =
        store.costs(
            "p",
            new CostQuery(
                new TimeRange(T0.minusSeconds(60), T0.plusSeconds(60)),
                List.of(CostDimension.PROVIDER, CostDimension.TOOL),
                Optional.empty()));
    assertThat(twoDims.groups())
        .extracting(
            g -> g.key().get("provider"), g -> g.costUsd().stripTrailingZeros().toPlainString())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("openai", "0.6"),
            org.assertj.core.groups.Tuple.tuple("anthropic", "0.45"));
  }

  @Test
  void sessionsAndAgents_addUpTheirChains() {
    store.append(chain("p", trace(1), 0));
    store.append(chain("p", trace(2), 60_000));
    settle("p", trace(1), trace(2));

    SessionReport session = store.session("p", "s-1").orElseThrow();
    assertThat(session.costUsd()).isEqualByComparingTo("1.50");
    assertThat(session.costComplete()).isTrue();
    assertThat(session.chains()).isEqualTo(2);
    assertThat(session.traceIds()).containsExactly(trace(1), trace(2));
    assertThat(session.byAgent())
        .extracting(a -> a.agent(), a -> a.inclusiveCostUsd().stripTrailingZeros().toPlainString())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("planner", "1.5"),
            org.assertj.core.groups.Tuple.tuple("writer", "0.9"));
    assertThat(store.session("p", "nope")).isEmpty();

    List<AgentStats> agents = store.agents("p", DAY);
    assertThat(agents).extracting(AgentStats::agent).containsExactly("writer", "planner");
    assertThat(agents.get(0).costUsd()).isEqualByComparingTo("0.90");
    assertThat(agents.get(0).toolCalls()).isEqualTo(2);
    assertThat(agents.get(0).llmCalls()).isEqualTo(2);
    assertThat(agents.get(0).chains()).isEqualTo(2);
  }

  // --- content ------------------------------------------------------------------------------

  @Test
  void unicodeAndVeryLargeAttributes_areKeptIntact() {
    String big = "x".repeat(2_000_000) + "🙂";
    AgentSpan s =
        span("uni", null).trace(trace(9)).project("projekt-ü").agent("研究员 🤖").build().toBuilder()
            .name("invoke_agent 研究员 🤖 — ‘quotes’ \"and\" \\ backslashes")
            .attributes(Map.of("big", big, "emoji.key 🙂", "naïve café ☕"))
            .build();

    store.append(List.of(s));
    settle("projekt-ü", trace(9));

    AgentSpan back = store.chainSpans("projekt-ü", trace(9)).get(0);
    assertThat(back.attributes().get("big")).isEqualTo(big);
    assertThat(back).isEqualTo(s);
    assertThat(store.agents("projekt-ü", DAY))
        .extracting(AgentStats::agent)
        .containsExactly("研究员 🤖");
  }

  // --- concurrency --------------------------------------------------------------------------

  @Test
  void readsWhileWriting_seeWholeBatches() throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    CompletableFuture<Set<Integer>> reader =
        CompletableFuture.supplyAsync(
            () -> {
              Set<Integer> sizes = new HashSet<>();
              while (!done.get()) {
                for (int i = 0; i < 20; i++) {
                  sizes.add(store.chainSpans("p", trace(i)).size());
                }
              }
              return sizes;
            });
    for (int i = 0; i < 20; i++) {
      store.append(chain("p", trace(i), i));
    }
    done.set(true);

    assertThat(reader.get()).isSubsetOf(0, 5); // never half a batch
    assertThat(store.chainSpans("p", List.of(traces(0, 20)))).hasSize(20);
  }

  @Test
  void shuffledLargeLoad_keepsEverySpanOnce() {
    Random random = new Random(42);
    List<AgentSpan> all = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      all.addAll(chain("p", trace(i), i * 10L));
    }
    List<AgentSpan> shuffled = new ArrayList<>(all);
    Collections.shuffle(shuffled, random);
    int added = 0;
    for (int from = 0; from < shuffled.size(); from += 333) {
      // Every batch is sent twice, as a retry after a lost acknowledgement would.
      List<AgentSpan> batch = shuffled.subList(from, Math.min(shuffled.size(), from + 333));
      added += store.append(batch);
      added += store.append(batch);
    }

    assertThat(added).isEqualTo(2000);
    settle("p", traces(0, 400));
    // 400 chains × $0.75 = $300.00
    assertThat(
            store
                .costs("p", new CostQuery(DAY, List.of(), Optional.empty()))
                .groups()
                .get(0)
                .costUsd())
        .isEqualByComparingTo("300.00");
  }

  // --- analyzer results and state -----------------------------------------------------------

  /** An anomaly episode of project p with the given id, kind, agent and time it was seen. */
  protected static Anomaly anomaly(
      String id, String kind, String agent, String status, Instant firstSeen, Instant lastSeen) {
    return new Anomaly(
        "p",
        id,
        kind,
        Map.of("agent", agent, "agentVersion", "1.0"),
        "cost_usd",
        12.5,
        new Anomaly.Band(0.5, 2.0),
        7.1,
        Anomaly.CRITICAL,
        status,
        firstSeen,
        lastSeen,
        List.of(trace(1), trace(2)),
        Map.of("wastedCostUsd", "0.42"));
  }

  @Test
  void anomalies_roundTrip_replaceById_andStayInTheirProject() {
    Anomaly firing = anomaly("a1", "run_outlier", "writer", Anomaly.FIRING, T0, T0);
    Anomaly resolved =
        anomaly("a1", "run_outlier", "writer", Anomaly.RESOLVED, T0, T0.plusSeconds(60));

    store.saveAnomalies(List.of(firing));
    assertThat(store.anomalies("p", AnomalyQuery.all(DAY, 10))).containsExactly(firing);
    store.saveAnomalies(List.of(resolved));

    assertThat(store.anomalies("p", AnomalyQuery.all(DAY, 10))).containsExactly(resolved);
    assertThat(store.anomalies("p", AnomalyQuery.all(DAY, 10).withStatus(Anomaly.FIRING)))
        .isEmpty();
    assertThat(store.anomalies("q", AnomalyQuery.all(DAY, 10))).isEmpty();
  }

  @Test
  void anomalies_filterByStatusKindAgentAndActivity_newestFirst_andPage() {
    Instant early = DAY.from().minusSeconds(3600);
    Anomaly old = anomaly("a-old", "run_outlier", "writer", Anomaly.RESOLVED, early, early);
    Anomaly spanning =
        anomaly("a-span", "rate", "writer", Anomaly.FIRING, early, T0.plusSeconds(10));
    Anomaly loop = anomaly("a-loop", "tool_loop", "planner", Anomaly.FIRING, T0, T0);
    Anomaly tie = anomaly("a-tie", "tool_loop", "writer", Anomaly.RESOLVED, T0, T0);
    store.saveAnomalies(List.of(old, spanning, loop, tie));

    // Active in the range: first seen before its end and last seen at or after its start.
    assertThat(store.anomalies("p", AnomalyQuery.all(DAY, 10)))
        .containsExactly(spanning, loop, tie);
    assertThat(store.anomalies("p", AnomalyQuery.all(DAY, 10).withStatus(Anomaly.FIRING)))
        .containsExactly(spanning, loop);
    assertThat(
            store.anomalies(
                "p", new AnomalyQuery(DAY, "", "tool_loop", "writer", 10, Optional.empty())))
        .containsExactly(tie);
    assertThat(store.anomalies("p", new AnomalyQuery(DAY, "", "", "planner", 10, Optional.empty())))
        .containsExactly(loop);

    List<Anomaly> first = store.anomalies("p", AnomalyQuery.all(DAY, 2));
    assertThat(first).containsExactly(spanning, loop);
    assertThat(
            store.anomalies(
                "p", AnomalyQuery.all(DAY, 2).after(AnomalyQuery.Position.of(first.get(1)))))
        .containsExactly(tie);
  }

  @Test
  void priceOverridesAndStateRoundTrip() {

    ModelPricing first = pricing("openai", "gpt-4o", "1.0", "2.0");
    ModelPricing second = pricing("openai", "gpt-4o", "1.5", "3.0");
    store.savePriceOverride("p", first);
    store.savePriceOverride("p", second);
    assertThat(store.priceOverrides("p"))
        .extracting(ModelPricing::toJson)
        .containsExactly(second.toJson());

    assertThat(store.state("k")).isEmpty();
    store.saveState("k", "1");
    store.saveState("k", "2");
    assertThat(store.state("k")).contains("2");
  }

  @Test
  void regressions_roundTrip_replacedById_newestFirst_filteredByAgentAndRange() {
    Instant nanos = T0.plusNanos(123_456_789);
    Regression latency =
        regression("r1", "writer", "durationMs", Regression.VERSION, "1.0", "1.1", T0, 0.31);
    Regression changePoint =
        new Regression(
            "p",
            "r2",
            Regression.CHANGE_POINT,
            "planner",
            "costUsd",
            new Regression.Segment(
                "2.0", T0.minusSeconds(7200), nanos.minusSeconds(3600), 0.02, 45),
            new Regression.Segment("2.0", nanos.minusSeconds(3599), nanos, 0.0155, 61),
            -0.225,
            -0.3,
            -0.12,
            0.004,
            Regression.BETTER,
            nanos,
            List.of("t1", "t2"),
            Regression.FIRING,
            nanos);
    store.saveRegressions(List.of(latency, changePoint));

    assertThat(store.regressions("p", DAY, "")).containsExactly(changePoint, latency);
    assertThat(store.regressions("p", DAY, "planner")).containsExactly(changePoint);
    assertThat(store.regressions("p", DAY, "nobody")).isEmpty();
    assertThat(store.regressions("p", new TimeRange(T0.plusNanos(1), T0.plusSeconds(60)), ""))
        .containsExactly(changePoint);
    assertThat(store.regressions("q", DAY, "")).isEmpty();

    // Re-detected: the same id is replaced, not added.
    Regression again =
        regression("r1", "writer", "durationMs", Regression.VERSION, "1.0", "1.1", T0, 0.35);
    store.saveRegressions(List.of(again));
    assertThat(store.regressions("p", DAY, "writer")).containsExactly(again);
  }

  @Test
  void regressions_keepTheirEpisode_statusAndLastSeen() {
    Regression found =
        regression("r1", "writer", "durationMs", Regression.VERSION, "1.0", "1.1", T0, 0.31);
    assertThat(found.status()).isEqualTo(Regression.FIRING);
    assertThat(found.lastSeen()).isEqualTo(T0);
    Instant later = T0.plusSeconds(600).plusNanos(7);
    Regression seenAgain = found.withEpisode(Regression.FIRING, T0, later);
    store.saveRegressions(List.of(seenAgain));
    assertThat(store.regressions("p", DAY, "")).containsExactly(seenAgain);

    Regression resolved = seenAgain.withEpisode(Regression.RESOLVED, T0, later);
    store.saveRegressions(List.of(resolved));
    assertThat(store.regressions("p", DAY, ""))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(Regression.RESOLVED);
              assertThat(r.firing()).isFalse();
              assertThat(r.detectedAt()).isEqualTo(T0);
              assertThat(r.lastSeen()).isEqualTo(later);
            });
  }

  @Test
  void regressions_listedWhileActiveInTheRange_notOnlyWhenDetectedInIt() {
    Regression found =
        regression("r1", "writer", "durationMs", Regression.VERSION, "1.0", "1.1", T0, 0.31);
    Regression stillFound = found.withEpisode(Regression.FIRING, T0, T0.plus(Duration.ofDays(3)));
    store.saveRegressions(List.of(stillFound));

    // Detected three days before the range, found in it: listed.
    Instant today = T0.plus(Duration.ofDays(3)).minusSeconds(3600);
    assertThat(store.regressions("p", new TimeRange(today, today.plusSeconds(7200)), ""))
        .containsExactly(stillFound);
    // Last seen before the range, or detected after it: not listed.
    Instant later = T0.plus(Duration.ofDays(3)).plusNanos(1);
    assertThat(store.regressions("p", new TimeRange(later, later.plusSeconds(60)), "")).isEmpty();
    assertThat(store.regressions("p", new TimeRange(T0.minusSeconds(60), T0), "")).isEmpty();
    assertThat(store.regressions("p", new TimeRange(T0, T0.plusNanos(1)), ""))
        .containsExactly(stillFound);
  }

  private static Regression regression(
      String id,
      String agent,
      String metric,
      String kind,
      String beforeVersion,
      String afterVersion,
      Instant detectedAt,
      double effect) {
    return new Regression(
        "p",
        id,
        kind,
        agent,
        metric,
        new Regression.Segment(
            beforeVersion, T0.minusSeconds(7200), T0.minusSeconds(3600), 1200, 40),
        new Regression.Segment(afterVersion, T0.minusSeconds(3500), T0, 1200 * (1 + effect), 38),
        effect,
        effect - 0.1,
        effect + 0.1,
        0.0012,
        Regression.WORSE,
        detectedAt,
        List.of("t9"),
        Regression.FIRING,
        detectedAt);
  }

  @Test
  void check_isHealthyWhileOpen_andDownOnceClosed() {
    assertThat(store.check()).isEqualTo(StoreHealth.healthy());

    store.close();
    StoreHealth closed = store.check();
    store = null;

    assertThat(closed.up()).isFalse();
    assertThat(closed.detail()).isNotBlank();
  }

  @Test
  void settledBillingRoles_areWhatAggregationsCount() {
    // The emitter marked the parent billable too; the settled tree knows better.
    store.append(parentRepeatingItsChild(trace(5)));
    settle("p", trace(5));

    assertThat(
            store
                .costs("p", new CostQuery(DAY, List.of(), Optional.empty()))
                .groups()
                .get(0)
                .costUsd())
        .isEqualByComparingTo("0.30");
  }

  /**
   * A gpt-4o call ($0.30) under a parent that repeats its usage and was marked billable by the
   * emitter: once settled, the parent is a roll-up and the chain costs $0.30, not $0.60.
   */
  protected static List<AgentSpan> parentRepeatingItsChild(String traceId) {
    AgentSpan parent =
        span("parent", null)
            .trace(traceId)
            .project("p")
            .llm("openai", "gpt-4o")
            .usage(1000, 200, "0.30")
            .role(BillingRole.BILLABLE)
            .at(0, 100)
            .build();
    AgentSpan child =
        span("child", "parent")
            .trace(traceId)
            .project("p")
            .llm("openai", "gpt-4o")
            .usage(1000, 200, "0.30")
            .at(1, 10)
            .build();
    return List.of(parent, child);
  }

  // --- decision trees --------------------------------------------------------------------------

  @Test
  void decisionTrees_readInPages_replacedWhenTheChainSettlesAgain_perProject() {
    List<AgentSpan> spans = new ArrayList<>(chain("p", trace(70), 0));
    for (int i = 0; i < 4; i++) {
      spans.add(
          span("extra" + i, "writer")
              .trace(trace(70))
              .project("p")
              .tool("search")
              .at(60 + i, 1)
              .build());
    }
    DecisionTree larger = DecisionTree.of(ChainRollup.compute(spans));
    DecisionTree smaller = DecisionTree.of(ChainRollup.compute(chain("p", trace(70), 0)));
    DecisionTree other = DecisionTree.of(ChainRollup.compute(chain("p", trace(71), 0)));
    assertThat(larger.nodes()).hasSize(9);
    assertThat(smaller.nodes()).hasSize(5);

    store.replaceDecisionTrees("p", List.of(larger, other));
    assertThat(readWhole("p", trace(70), 2)).isEqualTo(larger);
    store.replaceDecisionTrees("p", List.of(smaller)); // re-settled: the tree is replaced
    assertThat(readWhole("p", trace(70), 2)).isEqualTo(smaller);
    assertThat(readWhole("p", trace(70), 1000)).isEqualTo(smaller);
    assertThat(readWhole("p", trace(71), 3)).isEqualTo(other);

    DecisionTreePage first = store.decisionTreePage("p", trace(70), -1, 2).orElseThrow();
    assertThat(first.totalNodes()).isEqualTo(5);
    assertThat(first.nodes()).extracting(DecisionNode::seq).containsExactly(0, 1);
    assertThat(first.edges()).containsExactlyInAnyOrderElementsOf(smaller.page(-1, 2).edges());
    assertThat(store.decisionTreePage("p", trace(70), 4, 2).orElseThrow().nodes()).isEmpty();
    assertThat(store.decisionTreePage("q", trace(70), -1, 10)).isEmpty();
    assertThat(store.decisionTreePage("p", trace(72), -1, 10)).isEmpty();
  }

  /** The whole stored tree, read page by page, edges in the tree's order. */
  private DecisionTree readWhole(String project, String traceId, int limit) {
    List<DecisionNode> nodes = new ArrayList<>();
    List<DecisionEdge> edges = new ArrayList<>();
    int after = -1;
    while (true) {
      DecisionTreePage page = store.decisionTreePage(project, traceId, after, limit).orElseThrow();
      nodes.addAll(page.nodes());
      edges.addAll(page.edges());
      if (page.nextCursor().isEmpty()) {
        return new DecisionTree(traceId, nodes, edges);
      }
      after = DecisionTreePage.afterSeq(page.nextCursor().get());
    }
  }

  protected static String[] traces(int from, int to) {
    String[] out = new String[to - from];
    for (int i = from; i < to; i++) {
      out[i - from] = trace(i);
    }
    return out;
  }

  private static ModelPricing pricing(String provider, String model, String in, String out) {
    return new ModelPricing(
        provider,
        model,
        ModelKind.CHAT,
        List.of(),
        List.of(
            PricePeriod.of(
                LocalDate.parse("2025-01-01"),
                PriceRates.of(Double.parseDouble(in), Double.parseDouble(out)))));
  }

  // --- alert rules, alert states, notification outbox (AlertStoreChecks) -----------------------

  @Test
  void alertRules_roundTripReplaceDelete_andStayInTheirProject() {
    AlertStoreChecks.rulesRoundTrip_replace_delete_andStayInTheirProject(store);
  }

  @Test
  void alertStates_replaceById_andListFiringAcrossProjects() {
    AlertStoreChecks.alertStates_replaceByIdAndListFiringAcrossProjects(store);
  }

  @Test
  void outbox_storesEachTransitionOnce_andKeepsDeliveryStatePerSink() {
    AlertStoreChecks.outbox_storesEachTransitionOnce_andKeepsDeliveryStatePerSink(store);
  }

  @Test
  void firingNotifications_areEachFindingsLatestTransition_whenFiring() {
    AlertStoreChecks.firingNotifications_areEachFindingsLatestTransition_whenFiring(store);
  }

  @Test
  void deleteDoneNotifications_keepsPendingOnesAndEachFindingsLatest() {
    AlertStoreChecks.deleteDoneNotifications_keepsPendingOnesAndEachFindingsLatest(store);
  }

  @Test
  void leaseClaims_areKeptOncePerTerm() {
    AlertStoreChecks.leaseClaims_areKeptOncePerTerm(store);
  }
}

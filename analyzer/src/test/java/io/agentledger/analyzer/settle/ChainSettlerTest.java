package io.agentledger.analyzer.settle;

import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.ChainRef;
import io.agentledger.store.PipelineState;
import io.agentledger.store.SpanStore;
import io.agentledger.store.StoreException;
import io.agentledger.store.TestClock;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChainSettlerTest {

  private static final Duration IDLE = Duration.ofSeconds(5);

  private final TestClock clock = new TestClock(Instant.parse("2026-11-24T10:00:00Z"));
  private final SpanStore store = DuckDbSpanStore.inMemory(clock);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    store.close();
  }

  /** Root agent planner → gpt-4o call ($0.30) and agent writer → claude call ($0.45): $0.75. */
  private static List<AgentSpan> chain(String traceId) {
    return chain(traceId, "p");
  }

  private static List<AgentSpan> chain(String traceId, String project) {
    return List.of(
        span("root", null).trace(traceId).project(project).agent("planner").at(0, 100).build(),
        span("llm1", "root")
            .trace(traceId)
            .project(project)
            .llm("openai", "gpt-4o")
            .usage(1000, 200, "0.30")
            .at(1, 10)
            .build(),
        span("writer", "root").trace(traceId).project(project).agent("writer").at(20, 50).build(),
        span("llm2", "writer")
            .trace(traceId)
            .project(project)
            .llm("anthropic", "claude-sonnet-4-5")
            .usage(2000, 300, "0.45")
            .at(21, 10)
            .build());
  }

  private static String trace(int n) {
    return String.format("%032x", 0xfeed00L + n);
  }

  private ChainSettler settler(int pageSize) {
    return new ChainSettler(store, store, List.of(), clock, IDLE, pageSize, registry);
  }

  @Test
  void chainsAreSettledOnlyOnceIdle_evenWhenMoreShareOneStoreTimeThanAPageHolds() {
    for (int i = 1; i <= 5; i++) {
      store.append(chain(trace(i)));
    }
    ChainSettler settler = settler(2);

    assertThat(settler.settleOnce()).isZero(); // still receiving spans, as far as anyone knows
    assertThat(store.chainSummary("p", trace(1))).isEmpty();

    clock.advance(IDLE.plusSeconds(1));
    assertThat(settler.settleOnce()).isEqualTo(5);
    for (int i = 1; i <= 5; i++) {
      ChainSummary s = store.chainSummary("p", trace(i)).orElseThrow();
      assertThat(s.costUsd()).isEqualByComparingTo("0.75");
      assertThat(s.llmCalls()).isEqualTo(2);
      assertThat(s.agent()).isEqualTo("planner");
    }
    assertThat(registry.counter("agentledger.analyzer.chains.settled").count()).isEqualTo(5);
  }

  @Test
  void fullPages_areSettledInAFewReads_whetherTheyShareOneStoreTimeOrNot() {
    for (int i = 1; i <= 5; i++) {
      store.append(chain(trace(i))); // five chains, one store time
    }
    for (int i = 6; i <= 8; i++) {
      clock.advance(Duration.ofMillis(1));
      store.append(chain(trace(i))); // three more, one store time each
    }
    clock.advance(IDLE.plusSeconds(1));
    AtomicInteger reads = new AtomicInteger();
    StorePipeline counting =
        new StorePipeline() {
          @Override
          public List<ChainRef> chainsTouched(Instant after, Instant upTo, int limit) {
            reads.incrementAndGet();
            return super.chainsTouched(after, upTo, limit);
          }
        };
    ChainSettler settler = new ChainSettler(store, counting, List.of(), clock, IDLE, 2, registry);

    assertThat(settler.settleOnce()).isEqualTo(8);

    for (int i = 1; i <= 8; i++) {
      assertThat(store.chainSummary("p", trace(i))).as(trace(i)).isPresent();
    }
    // The shared time: a page, then all of it (2); pages of two times, the older settled (2);
    // the last page, not full (1). Halving the window took dozens.
    assertThat(reads.get()).isEqualTo(5);
  }

  @Test
  void shards_settleDisjointChainsThatTogetherAreAll_eachFromItsOwnWatermark() {
    for (int i = 1; i <= 12; i++) {
      store.append(chain(trace(i)));
    }
    clock.advance(IDLE.plusSeconds(1));
    ChainSettler first = settler(100).shard(0, 3);
    ChainSettler second = settler(100).shard(1, 3);
    ChainSettler third = settler(100).shard(2, 3);
    long inFirst =
        java.util.stream.IntStream.rangeClosed(1, 12)
            .filter(i -> ChainSettler.shardOf(trace(i), 3) == 0)
            .count();
    assertThat(inFirst).isBetween(1L, 11L); // the test's ids do spread over the shards

    assertThat(first.settleOnce()).isEqualTo(inFirst);
    for (int i = 1; i <= 12; i++) {
      assertThat(store.chainSummary("p", trace(i)).isPresent())
          .as(trace(i))
          .isEqualTo(ChainSettler.shardOf(trace(i), 3) == 0);
    }
    assertThat(second.settleOnce() + third.settleOnce()).isEqualTo(12 - (int) inFirst);
    for (int i = 1; i <= 12; i++) {
      assertThat(store.chainSummary("p", trace(i))).as(trace(i)).isPresent();
    }
    // Each shard's watermark moved on: a new instance of any shard redoes nothing.
    assertThat(settler(100).shard(0, 3).settleOnce()).isZero();
    assertThat(settler(100).shard(2, 3).settleOnce()).isZero();
  }

  @Test
  void aSettlerWithoutItsLease_settlesNothing_andTheNextHolderResumesFromItsWatermark() {
    store.append(chain(trace(1)));
    store.append(chain(trace(2)));
    clock.advance(IDLE.plusSeconds(1));
    ChainSettler shard = settler(100).shard(0, 1);
    assertThat(shard.settleOnce(needed -> false, Duration.ofSeconds(5))).isZero();
    assertThat(store.chainSummary("p", trace(1))).isEmpty();

    java.util.List<Duration> asked = new java.util.ArrayList<>();
    assertThat(
            settler(100)
                .settleOnce(
                    needed -> {
                      asked.add(needed);
                      return true;
                    },
                    Duration.ofSeconds(5)))
        .isEqualTo(2);
    assertThat(asked).isNotEmpty().allSatisfy(d -> assertThat(d).isEqualTo(Duration.ofSeconds(5)));
    assertThat(store.chainSummary("p", trace(2))).isPresent();
  }

  @Test
  void aLateSpan_resettlesItsChain_andARestartedSettlerRedoesNothing() {
    store.append(chain(trace(1)));
    store.append(chain(trace(2)));
    clock.advance(IDLE.plusSeconds(1));
    assertThat(settler(100).settleOnce()).isEqualTo(2);

    // A late call of the writer agent: $0.10 more on chain 1 only.
    store.append(
        List.of(
            span("llm3", "writer")
                .trace(trace(1))
                .project("p")
                .llm("openai", "gpt-4o")
                .usage(100, 20, "0.10")
                .at(60, 5)
                .build()));
    clock.advance(IDLE.plusSeconds(1));
    assertThat(settler(100).settleOnce()).isEqualTo(1); // a new instance: the watermark is stored
    assertThat(store.chainSummary("p", trace(1)).orElseThrow().costUsd())
        .isEqualByComparingTo("0.85");
    assertThat(store.chainSummary("p", trace(2)).orElseThrow().costUsd())
        .isEqualByComparingTo("0.75");

    clock.advance(Duration.ofMinutes(1));
    assertThat(settler(100).settleOnce()).isZero();
  }

  @Test
  void settlingTwice_changesNothing() {
    store.append(chain(trace(1)));
    clock.advance(IDLE.plusSeconds(1));
    settler(10).settleOnce();
    ChainSummary first = store.chainSummary("p", trace(1)).orElseThrow();
    store.saveState(ChainSettler.WATERMARK_KEY, Instant.EPOCH.toString()); // forget progress
    assertThat(settler(10).settleOnce()).isEqualTo(1);
    assertThat(store.chainSummary("p", trace(1))).contains(first);
  }

  @Test
  void inTheBackground_settlesUntilClosed() {
    List<String> traces = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      traces.add(trace(i));
      store.append(chain(trace(i)));
    }
    clock.advance(IDLE.plusSeconds(1));
    try (ChainSettler settler = settler(10)) {
      settler.start(Duration.ofMillis(20));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> traces.stream().allMatch(t -> store.chainSummary("p", t).isPresent()));
    }
  }

  /** The store as the settler sees it; a test overrides what it changes. */
  private class StorePipeline implements PipelineState {
    @Override
    public List<ChainRef> chainsTouched(Instant after, Instant upTo, int limit) {
      return store.chainsTouched(after, upTo, limit);
    }

    @Override
    public Instant committedUpTo(Instant upTo) {
      return store.committedUpTo(upTo);
    }

    @Override
    public void saveRollups(List<ChainRollupResult> rollups) {
      store.saveRollups(rollups);
    }

    @Override
    public Optional<String> state(String key) {
      return store.state(key);
    }

    @Override
    public void saveState(String key, String value) {
      store.saveState(key, value);
    }
  }

  /** The store, with an append stamped at {@code writingSince} still being written, if set. */
  private final class StillWriting extends StorePipeline {
    private volatile Optional<Instant> writingSince = Optional.empty();

    @Override
    public Instant committedUpTo(Instant upTo) {
      Instant stored = super.committedUpTo(upTo);
      return writingSince
          .map(t -> t.minusNanos(1_000))
          .filter(t -> t.isBefore(stored))
          .orElse(stored);
    }
  }

  @Test
  void theWatermark_stopsBeforeAnAppendStillBeingWritten_andItsChainsSettleOnceItCommits() {
    store.append(chain(trace(1)));
    clock.advance(Duration.ofSeconds(10));
    Instant slowAppend = clock.instant();
    store.append(chain(trace(2))); // stamped when an append still being written began
    clock.advance(IDLE.plusMinutes(1));
    StillWriting pipeline = new StillWriting();
    pipeline.writingSince = Optional.of(slowAppend);
    ChainSettler settler = new ChainSettler(store, pipeline, List.of(), clock, IDLE, 100, registry);

    assertThat(settler.settleOnce()).isEqualTo(1);
    assertThat(store.chainSummary("p", trace(2))).isEmpty();
    assertThat(store.state(ChainSettler.WATERMARK_KEY))
        .contains(slowAppend.minusNanos(1_000).toString());

    pipeline.writingSince = Optional.empty(); // committed
    assertThat(settler.settleOnce()).isEqualTo(1);
    assertThat(store.chainSummary("p", trace(2))).isPresent();
  }

  /** The store, refusing for good to save any roll-up of one chain (a value it cannot hold). */
  private final class RefusingOneChain extends StorePipeline {
    private final String refused;
    private final AtomicInteger transientFailures = new AtomicInteger();

    RefusingOneChain(String refused) {
      this.refused = refused;
    }

    @Override
    public void saveRollups(List<ChainRollupResult> rollups) {
      if (transientFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new StoreException("database is locked", true);
      }
      if (rollups.stream().anyMatch(r -> r.summary().traceId().equals(refused))) {
        throw new StoreException("invalid decimal precision", false);
      }
      super.saveRollups(rollups);
    }
  }

  @Test
  void aChainTheStoreRefuses_isSkipped_andEveryOtherChainAndProjectSettles() {
    for (int i = 1; i <= 3; i++) {
      store.append(chain(trace(i)));
    }
    store.append(chain(trace(9), "q"));
    RefusingOneChain refusing = new RefusingOneChain(trace(2));
    ChainSettler settler = new ChainSettler(store, refusing, List.of(), clock, IDLE, 100, registry);
    clock.advance(IDLE.plusSeconds(1));

    settler.settleOnce();

    assertThat(store.chainSummary("p", trace(1))).isPresent();
    assertThat(store.chainSummary("p", trace(2))).isEmpty();
    assertThat(store.chainSummary("p", trace(3))).isPresent();
    assertThat(store.chainSummary("q", trace(9))).isPresent();
    assertThat(registry.counter("agentledger.analyzer.chains.skipped").count()).isEqualTo(1);
    // the watermark moved on: the refused chain does not hold the next rounds back
    assertThat(settler.settleOnce()).isZero();
  }

  @Test
  void aTransientFailure_isRetriedAtTheNextRound_withoutSkippingAnything() {
    store.append(chain(trace(1)));
    RefusingOneChain refusing = new RefusingOneChain("none");
    refusing.transientFailures.set(1);
    ChainSettler settler = new ChainSettler(store, refusing, List.of(), clock, IDLE, 100, registry);
    clock.advance(IDLE.plusSeconds(1));

    assertThatThrownBy(settler::settleOnce).isInstanceOf(StoreException.class);
    assertThat(store.chainSummary("p", trace(1))).isEmpty();

    assertThat(settler.settleOnce()).isEqualTo(1);
    assertThat(store.chainSummary("p", trace(1))).isPresent();
    assertThat(registry.counter("agentledger.analyzer.chains.skipped").count()).isZero();
  }

  /** Records what it is given; fails for one chain as a bug would, and transiently when told. */
  private static final class RecordingDerivation implements ChainDerivation {
    final List<String> derived = new ArrayList<>();
    final AtomicInteger transientFailures = new AtomicInteger();
    private final String failingTraceId;

    RecordingDerivation(String failingTraceId) {
      this.failingTraceId = failingTraceId;
    }

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public void derive(String project, List<SettledChain> chains) {
      if (transientFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new StoreException("store briefly away", true);
      }
      for (SettledChain chain : chains) {
        if (chain.traceId().equals(failingTraceId)) {
          throw new IllegalStateException("cannot derive " + chain.traceId());
        }
      }
      for (SettledChain chain : chains) {
        assertThat(chain.spans()).hasSize(4);
        derived.add(
            project
                + "/"
                + chain.traceId()
                + "="
                + chain.rollup().summary().costUsd().stripTrailingZeros().toPlainString());
      }
    }
  }

  @Test
  void derivations_seeEverySettledChainWithItsRollup_andAChainThatFailsIsSkippedAlone() {
    for (int i = 1; i <= 3; i++) {
      store.append(chain(trace(i)));
    }
    RecordingDerivation derivation = new RecordingDerivation(trace(2));
    ChainSettler settler =
        new ChainSettler(store, store, List.of(derivation), clock, IDLE, 100, registry);
    clock.advance(IDLE.plusSeconds(1));

    assertThat(settler.settleOnce()).isEqualTo(3);

    assertThat(derivation.derived)
        .containsExactlyInAnyOrder("p/" + trace(1) + "=0.75", "p/" + trace(3) + "=0.75");
    assertThat(registry.counter("agentledger.analyzer.chains.skipped").count()).isEqualTo(1);
    assertThat(store.chainSummary("p", trace(2))).isPresent(); // the roll-up itself was saved
  }

  @Test
  void aDerivationsTransientFailure_retriesTheRound_andDerivesEveryChainAfterwards() {
    store.append(chain(trace(1)));
    RecordingDerivation derivation = new RecordingDerivation("none");
    derivation.transientFailures.set(1);
    ChainSettler settler =
        new ChainSettler(store, store, List.of(derivation), clock, IDLE, 100, registry);
    clock.advance(IDLE.plusSeconds(1));

    assertThatThrownBy(settler::settleOnce).isInstanceOf(StoreException.class);
    assertThat(derivation.derived).isEmpty();

    assertThat(settler.settleOnce()).isEqualTo(1);
    assertThat(derivation.derived).containsExactly("p/" + trace(1) + "=0.75");
  }
}

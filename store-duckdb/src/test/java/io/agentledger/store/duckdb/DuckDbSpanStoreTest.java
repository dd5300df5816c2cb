package io.agentledger.store.duckdb;

import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.ChainRef;
import io.agentledger.store.SpanStore;
import io.agentledger.store.SpanStoreContract;
import io.agentledger.store.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbSpanStoreTest extends SpanStoreContract {

  @TempDir Path dir;

  @Override
  protected SpanStore openStore(TestClock clock) {
    return DuckDbSpanStore.open(dir.resolve("agentledger.duckdb"), clock);
  }

  @Test
  void reopening_keepsEverySpanAndStaysIdempotent() {
    List<AgentSpan> spans = chain("p", trace(1), 0);
    store.append(spans);
    store.close();

    store = openStore(clock);

    assertThat(store.chainSpans("p", trace(1))).hasSize(5);
    assertThat(store.append(spans)).isZero();
    AgentSpan late = span("late", "root").trace(trace(1)).project("p").build();
    assertThat(store.append(List.of(late))).isEqualTo(1);
    assertThat(store.chainSpans("p", trace(1))).hasSize(6);
  }

  @Test
  void aPureReplay_touchesNothing() {
    store.append(chain("p", trace(1), 0));
    Instant stored = clock.instant();
    clock.advance(Duration.ofSeconds(30));

    assertThat(store.append(chain("p", trace(1), 0))).isZero();

    assertThat(store.chainsTouched(stored, clock.instant(), 10)).isEmpty();
  }

  @Test
  void anAppendNotYetCommitted_holdsCommittedUpToBeforeItsStamp_untilItCommits() throws Exception {
    AtomicBoolean hold = new AtomicBoolean();
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService collector = Executors.newSingleThreadExecutor();
    try (DuckDbSpanStore gated =
        DuckDbSpanStore.inMemory(
            clock,
            () -> {
              if (hold.get()) {
                writing.countDown();
                await(release);
              }
            })) {
      gated.append(chain("p", trace(1), 0));
      clock.advance(Duration.ofSeconds(1));
      Instant slowStamp = clock.instant();
      hold.set(true);
      Future<Integer> slow = collector.submit(() -> gated.append(chain("p", trace(2), 0)));
      await(writing);
      // The slow append is now older than any idle time, and its transaction still open.
      clock.advance(Duration.ofMinutes(1));

      Instant bound = gated.committedUpTo(clock.instant());

      assertThat(bound).isEqualTo(slowStamp.minusNanos(1_000));
      assertThat(gated.chainsTouched(Instant.EPOCH, bound, 10))
          .extracting(ChainRef::traceId)
          .containsExactly(trace(1));
      release.countDown();
      assertThat(slow.get(30, TimeUnit.SECONDS)).isEqualTo(5);
      assertThat(gated.committedUpTo(clock.instant())).isEqualTo(clock.instant());
      // The chain the bound held back is touched after it: a settler stopped there finds it.
      assertThat(gated.chainsTouched(bound, clock.instant(), 10))
          .extracting(ChainRef::traceId)
          .containsExactly(trace(2));
    } finally {
      release.countDown();
      collector.shutdownNow();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).as("the other side arrived").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

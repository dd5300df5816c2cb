package io.agentledger.store.duckdb;

import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.SpanStore;
import io.agentledger.store.SpanStoreContract;
import io.agentledger.store.TestClock;
import java.nio.file.Path;
import java.util.List;
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
}

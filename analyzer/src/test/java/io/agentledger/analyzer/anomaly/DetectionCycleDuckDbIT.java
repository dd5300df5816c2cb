package io.agentledger.analyzer.anomaly;

import io.agentledger.store.SpanStore;
import io.agentledger.store.TestClock;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The detection cycle on a DuckDB file. */
class DetectionCycleDuckDbIT extends DetectionCycleContract {

  @TempDir Path dir;

  @Override
  protected SpanStore openStore(TestClock clock) {
    return DuckDbSpanStore.open(dir.resolve("agentledger.duckdb"), clock);
  }
}

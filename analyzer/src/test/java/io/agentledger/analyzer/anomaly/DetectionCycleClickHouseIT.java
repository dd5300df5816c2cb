package io.agentledger.analyzer.anomaly;

import io.agentledger.clickhouse.embedded.LocalClickHouse;
import io.agentledger.clickhouse.embedded.LocalClickHouseAvailable;
import io.agentledger.store.SpanStore;
import io.agentledger.store.TestClock;
import io.agentledger.store.clickhouse.ClickHouseSpanStore;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The detection cycle on a real ClickHouse (clickhouse-local from libchdb), a database per test.
 */
@ExtendWith(LocalClickHouseAvailable.class)
class DetectionCycleClickHouseIT extends DetectionCycleContract {

  private static final AtomicInteger DATABASES = new AtomicInteger();

  @Override
  protected SpanStore openStore(TestClock clock) {
    LocalClickHouse clickHouse = LocalClickHouse.shared();
    String database =
        "anomalies_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    clickHouse.query("CREATE DATABASE IF NOT EXISTS " + database);
    Properties credentials = new Properties();
    credentials.setProperty("user", clickHouse.user());
    credentials.setProperty("password", clickHouse.password());
    return ClickHouseSpanStore.open(
        clickHouse.jdbcUrl(database), credentials, Duration.ZERO, clock);
  }
}

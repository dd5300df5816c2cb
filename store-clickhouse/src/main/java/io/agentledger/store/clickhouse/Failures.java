package io.agentledger.store.clickhouse;

import com.clickhouse.client.api.ClickHouseException;
import com.clickhouse.client.api.ConnectionInitiationException;
import com.clickhouse.client.api.ServerException;
import io.agentledger.store.StoreException;
import io.agentledger.store.StoreFailures;
import io.agentledger.store.StoreFailures.Verdict;

/**
 * Turns driver errors into {@link StoreException}s with the shared {@link StoreFailures} rules,
 * asking the ClickHouse client first: a server error knows whether it is transient (the server was
 * busy, out of memory, had too many parts or timed out: the driver's own list of codes), and a
 * connection that could not be made may be made later.
 */
final class Failures {

  static final StoreFailures RULES = new StoreFailures(Failures::classify);

  private Failures() {}

  static StoreException wrap(String what, Exception e) {
    return RULES.wrap(what, e);
  }

  static boolean retryable(Throwable e) {
    return RULES.retryable(e);
  }

  static Verdict classify(Throwable t) {
    if (t instanceof ServerException server) {
      return server.isRetryable() ? Verdict.RETRYABLE : Verdict.PERMANENT;
    }
    if (t instanceof ConnectionInitiationException) {
      return Verdict.RETRYABLE;
    }
    if (t instanceof ClickHouseException ch && ch.isRetryable()) {
      return Verdict.RETRYABLE;
    }
    return Verdict.UNKNOWN;
  }
}

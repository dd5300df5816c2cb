package io.agentledger.store.clickhouse;

import com.clickhouse.client.api.ClickHouseException;
import com.clickhouse.client.api.ConnectionInitiationException;
import com.clickhouse.client.api.ServerException;
import io.agentledger.store.StoreException;
import io.agentledger.store.StoreFailures;
import io.agentledger.store.StoreFailures.Verdict;
import java.util.Set;

/**
 * Turns driver errors into {@link StoreException}s with the shared {@link StoreFailures} rules,
 * asking the ClickHouse client first: a server error knows whether it is transient (the server was
 * busy, out of memory, had too many parts or timed out: the driver's own list of codes), and a
 * connection that could not be made may be made later.
 */
final class Failures {

  static final StoreFailures RULES = new StoreFailures(Failures::classify);

  /**
   * Server error codes about the server's own resources, not the statement or the data, that the
   * driver does not list as retryable: a full disk must make the collector wait, not dead-letter
   * every record (docs/ingestion.md, "Faults").
   */
  private static final Set<Integer> SERVER_RESOURCES =
      Set.of(
          75, // CANNOT_WRITE_TO_FILE_DESCRIPTOR
          173, // CANNOT_ALLOCATE_MEMORY
          236, // ABORTED
          243, // NOT_ENOUGH_SPACE
          279, // ALL_CONNECTION_TRIES_FAILED
          394); // QUERY_WAS_CANCELLED (a server shutting down cancels its queries)

  private Failures() {}

  static StoreException wrap(String what, Exception e) {
    return RULES.wrap(what, e);
  }

  static boolean retryable(Throwable e) {
    return RULES.retryable(e);
  }

  static Verdict classify(Throwable t) {
    if (t instanceof ServerException server) {
      return server.isRetryable() || SERVER_RESOURCES.contains(server.getCode())
          ? Verdict.RETRYABLE
          : Verdict.PERMANENT;
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

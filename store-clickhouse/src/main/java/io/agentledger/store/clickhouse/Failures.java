package io.agentledger.store.clickhouse;

import com.clickhouse.client.api.ClickHouseException;
import com.clickhouse.client.api.ConnectionInitiationException;
import com.clickhouse.client.api.ServerException;
import io.agentledger.store.StoreException;
import java.io.IOException;
import java.sql.SQLTransientException;

/**
 * Turns driver errors into {@link StoreException}s, marked retryable when trying again may help.
 */
final class Failures {

  private Failures() {}

  static StoreException wrap(String what, Exception e) {
    return new StoreException(what + " failed: " + e.getMessage(), retryable(e), e);
  }

  /**
   * Retryable: the server was unreachable, busy, out of memory, had too many parts or timed out
   * (the driver's own list of transient server codes), or the network failed. Not retryable: the
   * statement or the data was wrong, or access was denied.
   */
  static boolean retryable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ServerException server) {
        return server.isRetryable();
      }
      if (t instanceof IOException
          || t instanceof SQLTransientException
          || t instanceof ConnectionInitiationException) {
        return true;
      }
      if (t instanceof ClickHouseException ch && ch.isRetryable()) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}

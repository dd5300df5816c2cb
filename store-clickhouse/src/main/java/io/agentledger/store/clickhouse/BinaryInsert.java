package io.agentledger.store.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import com.clickhouse.jdbc.ConnectionImpl;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Span rows sent as one {@code INSERT ... FORMAT RowBinary} per {@link #CHUNK} rows, through the
 * official client (client-v2) behind the pooled JDBC connection: the rows are encoded straight into
 * the request body, with no SQL text, no literal per value and no parsing on the server.
 */
final class BinaryInsert {

  /** Rows per insert: each becomes one part on the server. */
  static final int CHUNK = 100_000;

  private static final long TIMEOUT_SECONDS = 300;

  private BinaryInsert() {}

  /** Inserts the rows into {@code spans} of the connection's database. */
  static void spans(Connection c, List<SpanRows.Row> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    Client client = c.unwrap(ConnectionImpl.class).getClient();
    InsertSettings settings = new InsertSettings();
    String database = c.getSchema();
    if (database != null && !database.isEmpty()) {
      settings.setDatabase(database);
    }
    for (int from = 0; from < rows.size(); from += CHUNK) {
      List<SpanRows.Row> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
      try (InsertResponse ignored =
          client
              .insert(
                  "spans",
                  SpanRowBinary.NAMES,
                  out -> {
                    RowBinaryOut o = new RowBinaryOut(out);
                    for (SpanRows.Row row : chunk) {
                      SpanRowBinary.write(o, row);
                    }
                    o.flush();
                  },
                  ClickHouseFormat.RowBinary,
                  settings)
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        // the response only says how many rows were written: the insert either stored all or threw
      } catch (ExecutionException e) {
        throw failure(e.getCause() == null ? e : e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while inserting spans", e);
      } catch (TimeoutException e) {
        throw new SQLException("inserting spans took over " + TIMEOUT_SECONDS + " s", e);
      } catch (UncheckedIOException e) {
        throw new SQLException("encoding spans failed", e);
      } catch (Exception e) { // InsertResponse.close
        throw failure(e);
      }
    }
  }

  /** Keeps the client's own exceptions (the failure rules read them) as causes. */
  private static SQLException failure(Throwable t) {
    if (t instanceof SQLException s) {
      return s;
    }
    return new SQLException("inserting spans failed: " + t.getMessage(), t);
  }
}

package io.agentledger.bench.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fills a store to benchmark size fast: the first round of chains, appended through the store, is
 * copied inside DuckDB as further rounds with new trace ids, later times and later batch numbers,
 * exactly the rows and layout that appending each round would have produced (rows in batch order,
 * the trace index pointing at each chain's batches), in a fraction of the time.
 *
 * <p>This knows the DuckDB adapter's schema; it is a benchmark fixture, not a way to write spans.
 */
final class StoreFill {

  private StoreFill() {}

  /** Adds rounds 1..rounds-1 of round 0 (batches 1..batchesPerRound). */
  static void replicate(Path file, int rounds, int batchesPerRound, long shiftNanosPerRound) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
        Statement st = c.createStatement()) {
      st.execute("SET checkpoint_threshold = '1GB'");
      for (int r = 1; r < rounds; r++) {
        String trace = "printf('%08x', " + r + ") || substr(trace_id, 9)";
        long batchOffset = (long) r * batchesPerRound;
        long shift = r * shiftNanosPerRound;
        st.execute(
            "INSERT INTO spans SELECT * REPLACE ("
                + trace
                + " AS trace_id, batch_seq + "
                + batchOffset
                + " AS batch_seq, start_ns + "
                + shift
                + " AS start_ns, end_ns + "
                + shift
                + " AS end_ns) FROM spans WHERE batch_seq <= "
                + batchesPerRound
                + " ORDER BY batch_seq");
        st.execute(
            "INSERT INTO trace_index SELECT * REPLACE ("
                + trace
                + " AS trace_id, first_batch + "
                + batchOffset
                + " AS first_batch, last_batch + "
                + batchOffset
                + " AS last_batch) FROM trace_index WHERE last_batch <= "
                + batchesPerRound);
        if (r % 10 == 0) {
          System.out.printf("store: %d of %d rounds copied%n", r, rounds);
        }
      }
      st.execute("CHECKPOINT");
    } catch (SQLException e) {
      throw new IllegalStateException("filling the benchmark store failed: " + e.getMessage(), e);
    }
  }
}

package io.agentledger.store.duckdb;

import io.agentledger.store.LeaseClaim;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Analyzer instances' claims on jobs: the {@code lease_claims} table. */
final class LeaseRows {

  /** Terms kept behind the newest claimed: claims of older ones are of no use. */
  private static final long KEPT_TERMS = 1000;

  private final Database db;

  LeaseRows(Database db) {
    this.db = db;
  }

  void claim(List<LeaseClaim> claims) {
    if (claims.isEmpty()) {
      return;
    }
    long newest = claims.stream().mapToLong(LeaseClaim::term).max().orElseThrow();
    db.writeAll(
        "claiming leases",
        w -> {
          try (PreparedStatement ps =
              w.prepareStatement("INSERT OR IGNORE INTO lease_claims VALUES (?, ?, ?)")) {
            for (LeaseClaim c : claims) {
              Database.bind(ps, List.of(c.term(), c.job(), c.holder()));
              ps.executeUpdate();
            }
          }
          try (PreparedStatement ps =
              w.prepareStatement("DELETE FROM lease_claims WHERE term < ?")) {
            Database.bind(ps, List.of(newest - KEPT_TERMS));
            ps.executeUpdate();
          }
        });
  }

  List<LeaseClaim> claims(long term) {
    return db.read(
        "reading lease claims",
        c -> {
          List<LeaseClaim> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement("SELECT job, holder FROM lease_claims WHERE term = ?")) {
            Database.bind(ps, List.of(term));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(new LeaseClaim(rs.getString(1), term, rs.getString(2)));
              }
            }
          }
          return out;
        });
  }
}

package io.agentledger.store.clickhouse;

import io.agentledger.store.LeaseClaim;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Analyzer instances' claims on jobs ({@code lease_claims}), as statements and rows. */
final class LeaseClaims {

  private LeaseClaims() {}

  static final String INSERT = "INSERT INTO lease_claims (Term, Job, Holder) VALUES (?, ?, ?)";

  static List<List<Object>> rows(List<LeaseClaim> claims) {
    List<List<Object>> rows = new ArrayList<>(claims.size());
    for (LeaseClaim c : claims) {
      rows.add(List.of(c.term(), c.job(), c.holder()));
    }
    return rows;
  }

  static Sql select(long term) {
    return Sql.of("SELECT DISTINCT Job, Holder FROM lease_claims WHERE Term = ?", term);
  }

  /** The claims read, each once. */
  static List<LeaseClaim> distinct(List<LeaseClaim> read) {
    Set<LeaseClaim> out = new LinkedHashSet<>(read);
    return List.copyOf(out);
  }
}

package io.agentledger.store.clickhouse;

/** Price overrides and the pipeline's small state, as rows and statements. */
final class ResultRows {

  private ResultRows() {}

  static final String INSERT_PRICE_OVERRIDE =
      "INSERT INTO price_overrides (Project, Provider, Model, Pricing, Version)"
          + " VALUES (?, ?, ?, ?, ?)";

  static Sql priceOverrides(String project) {
    return Sql.of(
        "SELECT Pricing FROM price_overrides FINAL WHERE Project = ? ORDER BY Provider, Model",
        project);
  }

  static final String INSERT_TOOL_PRICE =
      "INSERT INTO tool_prices (Project, Tool, Price, Version) VALUES (?, ?, ?, ?)";

  static Sql toolPrices(String project) {
    return Sql.of("SELECT Price FROM tool_prices FINAL WHERE Project = ? ORDER BY Tool", project);
  }

  static final String INSERT_STATE =
      "INSERT INTO pipeline_state (Key, Value, Version) VALUES (?, ?, ?)";

  static Sql state(String key) {
    return Sql.of("SELECT Value FROM pipeline_state FINAL WHERE Key = ?", key);
  }
}

package io.agentledger.store.duckdb;

import io.agentledger.core.pricing.ModelPricing;
import io.agentledger.core.pricing.ToolPrice;
import io.agentledger.store.StoreFailures;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small kept values: price overrides, tool prices and the pipeline's named state. */
final class StateRows {

  private final Database db;

  StateRows(Database db) {
    this.db = db;
  }

  void savePriceOverride(String project, ModelPricing pricing) {
    String json = pricing.toJson();
    db.writeAll(
        "saving a price override",
        w -> {
          try (PreparedStatement ps =
              w.prepareStatement("INSERT OR REPLACE INTO price_overrides VALUES (?, ?, ?, ?)")) {
            Database.bind(ps, List.of(project, pricing.provider(), pricing.model(), json));
            ps.executeUpdate();
          }
        });
  }

  List<ModelPricing> priceOverrides(String project) {
    List<String> stored =
        db.read(
            "reading price overrides",
            c -> {
              List<String> out = new ArrayList<>();
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT pricing FROM price_overrides WHERE project = ?"
                          + " ORDER BY provider, model")) {
                ps.setString(1, project);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(rs.getString(1));
                  }
                }
              }
              return out;
            });
    List<ModelPricing> out = new ArrayList<>(stored.size());
    for (String json : stored) {
      try {
        out.add(ModelPricing.fromJson(json));
      } catch (IllegalArgumentException e) {
        throw StoreFailures.badJson("a stored price override of project " + project, e);
      }
    }
    return out;
  }

  void saveToolPrice(String project, ToolPrice price) {
    String json = price.toJson();
    db.writeAll(
        "saving a tool price",
        w -> {
          try (PreparedStatement ps =
              w.prepareStatement("INSERT OR REPLACE INTO tool_prices VALUES (?, ?, ?)")) {
            Database.bind(ps, List.of(project, price.tool(), json));
            ps.executeUpdate();
          }
        });
  }

  List<ToolPrice> toolPrices(String project) {
    List<String> stored =
        db.read(
            "reading tool prices",
            c -> {
              List<String> out = new ArrayList<>();
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT price FROM tool_prices WHERE project = ? ORDER BY tool")) {
                ps.setString(1, project);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(rs.getString(1));
                  }
                }
              }
              return out;
            });
    List<ToolPrice> out = new ArrayList<>(stored.size());
    for (String json : stored) {
      try {
        out.add(ToolPrice.fromJson(json));
      } catch (IllegalArgumentException e) {
        throw StoreFailures.badJson("a stored tool price of project " + project, e);
      }
    }
    return out;
  }

  Optional<String> state(String key) {
    return db.read(
        "reading pipeline state",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT value FROM pipeline_state WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
          }
        });
  }

  void saveState(String key, String value) {
    db.writeAll(
        "saving pipeline state",
        w -> {
          try (PreparedStatement ps =
              w.prepareStatement("INSERT OR REPLACE INTO pipeline_state VALUES (?, ?)")) {
            Database.bind(ps, List.of(key, value));
            ps.executeUpdate();
          }
        });
  }
}

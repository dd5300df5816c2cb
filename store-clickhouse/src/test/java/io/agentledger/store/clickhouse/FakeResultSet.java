package io.agentledger.store.clickhouse;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.util.Map;

/** One row of a result, the way the driver would hand it over, by column label. */
final class FakeResultSet {

  private FakeResultSet() {}

  static ResultSet row(Map<String, Object> values) {
    return (ResultSet)
        Proxy.newProxyInstance(
            FakeResultSet.class.getClassLoader(),
            new Class<?>[] {ResultSet.class},
            (proxy, method, args) -> {
              if (args == null || args.length != 1 || !(args[0] instanceof String label)) {
                throw new UnsupportedOperationException(method.getName());
              }
              if (!values.containsKey(label)) {
                throw new IllegalArgumentException("no column " + label);
              }
              Object v = values.get(label);
              return switch (method.getName()) {
                case "getString" -> v == null ? null : v.toString();
                case "getLong" -> ((Number) v).longValue();
                case "getInt" -> ((Number) v).intValue();
                case "getDouble" -> ((Number) v).doubleValue();
                case "getBoolean" -> (Boolean) v;
                case "getBigDecimal" -> v == null ? null : new BigDecimal(v.toString());
                default -> throw new UnsupportedOperationException(method.getName());
              };
            });
  }
}

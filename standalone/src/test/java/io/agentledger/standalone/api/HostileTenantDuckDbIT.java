package io.agentledger.standalone.api;

import java.nio.file.Path;
import java.util.Map;

/** The hostile-input suite on the default store, DuckDB. */
class HostileTenantDuckDbIT extends HostileTenantSuite {

  @Override
  Map<String, String> storeEnv(Path dir) {
    return Map.of("AGENTLEDGER_STORE", "duckdb");
  }
}

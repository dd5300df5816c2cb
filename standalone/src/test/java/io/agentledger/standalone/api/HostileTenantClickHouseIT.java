package io.agentledger.standalone.api;

import io.agentledger.clickhouse.embedded.LocalClickHouse;
import io.agentledger.clickhouse.embedded.LocalClickHouseAvailable;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hostile-input suite on ClickHouse (a real server: clickhouse-local, see {@link
 * LocalClickHouse}).
 */
@ExtendWith(LocalClickHouseAvailable.class)
class HostileTenantClickHouseIT extends HostileTenantSuite {

  @Override
  Map<String, String> storeEnv(Path dir) throws Exception {
    LocalClickHouse clickHouse = LocalClickHouse.shared();
    String database = "agentledger_hostile_" + ProcessHandle.current().pid();
    clickHouse.query("CREATE DATABASE IF NOT EXISTS " + database);
    return Map.of(
        "AGENTLEDGER_STORE", "clickhouse",
        "AGENTLEDGER_CLICKHOUSE_URL", clickHouse.jdbcUrl(database),
        "AGENTLEDGER_CLICKHOUSE_USER", clickHouse.user(),
        "AGENTLEDGER_CLICKHOUSE_PASSWORD", clickHouse.password());
  }
}

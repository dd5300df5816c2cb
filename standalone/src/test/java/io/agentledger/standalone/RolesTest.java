package io.agentledger.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code agentledger collector|analyzer|api}: the commands, and what a role alone refuses. */
class RolesTest {

  @TempDir Path dir;

  @Test
  void theRoleCommands_nameTheRoles() {
    assertThat(Main.role("collector")).contains(Standalone.Role.COLLECTOR);
    assertThat(Main.role("analyzer")).contains(Standalone.Role.ANALYZER);
    assertThat(Main.role("api")).contains(Standalone.Role.API);
    assertThat(Main.role("up")).isEmpty();
    assertThat(Main.role("COLLECTOR")).isEmpty();
  }

  @Test
  void aRoleAlone_onTheStandalonesDefaults_isRefusedWithWhatItNeeds() {
    StandaloneConfig config = StandaloneConfig.from(Map.of("AGENTLEDGER_DATA_DIR", dir.toString()));
    assertThatThrownBy(() -> Standalone.start(config, Set.of(Standalone.Role.COLLECTOR)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AGENTLEDGER_STORE=clickhouse")
        .hasMessageContaining("AGENTLEDGER_KAFKA_BOOTSTRAP")
        .hasMessageContaining("AGENTLEDGER_API_KEYS");
    assertThatThrownBy(() -> Standalone.start(config, Set.of(Standalone.Role.API)))
        .hasMessageContaining("AGENTLEDGER_STORE=clickhouse")
        .hasMessageNotContaining("AGENTLEDGER_KAFKA_BOOTSTRAP");
    assertThatThrownBy(() -> Standalone.start(config, Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
    // Nothing was started: no data directory content, no key generated.
    assertThat(dir.resolve("agentledger.duckdb")).doesNotExist();
  }
}

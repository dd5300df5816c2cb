package io.agentledger.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {

  @Test
  void eachKeyBelongsToOneProject() {
    ApiKeys keys = ApiKeys.parse("team-a:key-aaaaaaaaaaaaaaaa, team-b:key-bbbbbbbbbbbbbbbb");

    assertThat(keys.projectFor("key-aaaaaaaaaaaaaaaa")).contains("team-a");
    assertThat(keys.projectForAuthorization("Bearer key-bbbbbbbbbbbbbbbb")).contains("team-b");
    assertThat(keys.projectForAuthorization("bearer key-bbbbbbbbbbbbbbbb")).contains("team-b");
    assertThat(keys.projectFor("key-cccccccccccccccc")).isEmpty();
    assertThat(keys.projectForAuthorization("Basic abc")).isEmpty();
    assertThat(keys.projectForAuthorization(null)).isEmpty();
  }

  @Test
  void malformedSpecs_areRejectedWithoutEchoingKeys() {
    assertThatThrownBy(() -> ApiKeys.parse("team-a:short"))
        .hasMessageContaining("shorter than 16")
        .hasMessageNotContaining("short:");
    assertThatThrownBy(() -> ApiKeys.parse("nokey")).hasMessageContaining("not project:key");
    assertThatThrownBy(() -> ApiKeys.parse("bad name!:key-aaaaaaaaaaaaaaaa"))
        .hasMessageContaining("invalid project name");
  }

  @Test
  void generatedKey_isStableAcrossRestarts_andOnlyItsHashIsListed(@TempDir Path dir)
      throws Exception {
    ApiKeys.Generated first = ApiKeys.loadOrGenerate(dir);
    ApiKeys.Generated second = ApiKeys.loadOrGenerate(dir);

    assertThat(first.created()).isTrue();
    assertThat(second.created()).isFalse();
    assertThat(second.key()).isEqualTo(first.key());
    assertThat(second.keys().projectFor(first.key())).contains("default");
    assertThat(Files.readString(dir.resolve("api-keys.sha256"))).doesNotContain(first.key());
    assertThat(first.keys().toString()).doesNotContain(first.key());
  }
}

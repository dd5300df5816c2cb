package io.agentledger.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
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
  void aKeyGivenToTwoProjects_isRejected_namingTheEntriesNotTheKey() {
    assertThatThrownBy(
            () ->
                ApiKeys.parse(
                    "team-a:key-aaaaaaaaaaaaaaaa,team-b:key-bbbbbbbbbbbbbbbb,"
                        + "team-c:key-aaaaaaaaaaaaaaaa"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "entry 3 (team-c) has the same key as entry 1 (team-a);"
                + " every project needs a key of its own");
    assertThatThrownBy(() -> ApiKeys.parse("a:key-aaaaaaaaaaaaaaaa,a:key-aaaaaaaaaaaaaaaa"))
        .hasMessageNotContaining("key-aaaa");
  }

  @Test
  void generatedKeyFiles_areReadableByTheOwnerOnly(@TempDir Path dir) throws Exception {
    ApiKeys.Generated generated = ApiKeys.loadOrGenerate(dir);

    for (String file : List.of("api-key.txt", "api-keys.sha256")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file))))
          .isEqualTo("rw-------");
    }
    try (Stream<Path> files = Files.list(dir)) { // no temporary file left behind
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("api-key.txt", "api-keys.sha256");
    }
    assertThat(ApiKeys.generatedKey(dir)).contains(generated.key());
    assertThat(ApiKeys.generatedKey(dir.resolve("elsewhere"))).isEmpty();
    assertThat(generated.toString()).doesNotContain(generated.key());
  }

  @Test
  void keyFilesWrittenBeforeTheModeRule_areNarrowedOnStart(@TempDir Path dir) throws Exception {
    String key = ApiKeys.loadOrGenerate(dir).key();
    Files.setPosixFilePermissions(
        dir.resolve("api-key.txt"), PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(ApiKeys.loadOrGenerate(dir).key()).isEqualTo(key);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("api-key.txt"))))
        .isEqualTo("rw-------");
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

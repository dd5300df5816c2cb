package io.agentledger.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.agentledger.core.config.Setting;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml} as Compose reads it ({@code docker-compose config}: Debian's
 * docker-compose validates and resolves a file without an engine; {@code .ci/test-tools} installs
 * it): it is valid, every AgentLedger service runs one role of the image the Dockerfile builds, and
 * every {@code AGENTLEDGER_*} variable it sets is a real setting whose value the app accepts.
 */
class ComposeFileTest {

  private static final Path COMPOSE = Path.of("../docker-compose.yml");
  private static final Map<String, String> REQUIRED =
      Map.of(
          "AGENTLEDGER_API_KEYS", "acme:compose_test_key_0123",
          "AGENTLEDGER_GRAFANA_KEY", "compose_test_key_0123");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");

  @Test
  void composeValidatesIt() throws Exception {
    assertThat(compose("config", "-q")).isEmpty();
  }

  @Test
  void everyAgentLedgerVariable_isARealSettingWithAnAcceptedValue() throws Exception {
    JsonNode services =
        new ObjectMapper(new YAMLFactory()).readTree(compose("config")).get("services");
    Set<String> settings =
        StandaloneConfig.SETTINGS.declared().stream()
            .map(Setting::name)
            .collect(Collectors.toCollection(TreeSet::new));
    settings.add("AGENTLEDGER_JAVA_OPTS"); // read by the image's entry point, as by ./agentledger

    Set<String> roles = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> service = it.next();
      Map<String, String> env = new HashMap<>();
      service
          .getValue()
          .path("environment")
          .fields()
          .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      boolean app = service.getValue().path("image").asText().equals("agentledger:local");
      Set<String> agentLedger =
          env.keySet().stream()
              .filter(k -> k.startsWith("AGENTLEDGER_"))
              .collect(Collectors.toCollection(TreeSet::new));
      if (app) {
        assertThat(service.getValue().path("build").path("context").asText())
            .as(service.getKey() + " builds the Dockerfile")
            .isNotEmpty();
        String role = service.getValue().path("command").path(0).asText();
        assertThat(Main.role(role)).as(service.getKey() + " runs a role").isPresent();
        roles.add(role);
        assertThat(settings).as(service.getKey()).containsAll(agentLedger);
        // The values load: the same check the process makes at start.
        StandaloneConfig config = StandaloneConfig.from(env);
        assertThat(config.store()).isEqualTo(StandaloneConfig.StoreKind.CLICKHOUSE);
        assertThat(config.kafkaBootstrap()).isPresent();
      } else {
        // Outside the app only Grafana's provisioning reads AGENTLEDGER_* variables.
        assertThat(agentLedger).as(service.getKey()).isSubsetOf(grafanaVariables());
      }
    }
    assertThat(roles).containsExactlyInAnyOrder("collector", "analyzer", "api");
    assertThat(services.fieldNames())
        .toIterable()
        .contains(
            "kafka",
            "clickhouse",
            "collector-1",
            "collector-2",
            "analyzer-1",
            "analyzer-2",
            "api",
            "prometheus",
            "alertmanager",
            "grafana");
  }

  /** The {@code ${VAR}} names Grafana's provisioning files read from its environment. */
  private static Set<String> grafanaVariables() throws Exception {
    Set<String> names = new TreeSet<>();
    for (Path file :
        List.of(
            Path.of("../dashboards/grafana/provisioning/datasources/agentledger.yml"),
            Path.of("../dashboards/grafana/provisioning/dashboards/agentledger.yml"))) {
      Matcher m = PLACEHOLDER.matcher(Files.readString(file));
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  private static String compose(String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(List.of("docker-compose", "-f", COMPOSE.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(REQUIRED);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}

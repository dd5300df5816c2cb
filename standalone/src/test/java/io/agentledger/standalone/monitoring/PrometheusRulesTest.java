package io.agentledger.standalone.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus and Alertmanager files in {@code dashboards/} checked by the tools that load them:
 * {@code promtool check config}, {@code promtool test rules} (each alert fires on its behaviour and
 * stays quiet on a near miss) and {@code amtool check-config}. Debian's {@code prometheus} and
 * {@code prometheus-alertmanager} packages provide them; {@code .ci/test-tools} installs both.
 */
public class PrometheusRulesTest {

  static final Path DASHBOARDS = Path.of("../dashboards");
  static final Path RULES = DASHBOARDS.resolve("prometheus/rules/agentledger.rules.yml");

  private static final Pattern METRIC = Pattern.compile("\\bagentledger_[a-z_]+\\b");

  @Test
  void theScrapeConfigAndItsRulesLoad() throws Exception {
    assertThat(run("promtool", "check", "config", "prometheus/prometheus.yml"))
        .contains("SUCCESS: 1 rule files found");
  }

  @Test
  void theComposeStacksScrapeConfigLoads() throws Exception {
    assertThat(run("promtool", "check", "config", "prometheus/prometheus-compose.yml"))
        .contains("SUCCESS: 1 rule files found");
  }

  @Test
  void everyAlertFiresOnItsBehaviourAndNotOnANearMiss() throws Exception {
    assertThat(run("promtool", "test", "rules", "prometheus/rules/agentledger.rules.test.yml"))
        .contains("SUCCESS");
  }

  @Test
  void theAlertmanagerRoutingExampleIsValid() throws Exception {
    assertThat(run("amtool", "check-config", "alertmanager/alertmanager.yml")).contains("SUCCESS");
  }

  @Test
  void everyAlertHasATest() throws IOException {
    Set<String> alerts = names("alert: ", RULES);
    Set<String> tested =
        names("alertname: ", DASHBOARDS.resolve("prometheus/rules/agentledger.rules.test.yml"));
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(5);
    assertThat(tested).containsAll(alerts);
  }

  /**
   * The metric names the rules read (not their own recorded series, whose names hold a colon):
   * {@code DemoWorkloadIT} checks a running standalone serves each of them.
   *
   * @return the names, sorted
   * @throws IOException when the rules file cannot be read
   */
  public static Set<String> metricsReadByRules() throws IOException {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(Files.readString(RULES));
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  private static Set<String> names(String key, Path file) throws IOException {
    Set<String> names = new TreeSet<>();
    for (String line : Files.readAllLines(file)) {
      String trimmed = line.strip().replaceFirst("^- ", "");
      if (trimmed.startsWith(key)) {
        names.add(trimmed.substring(key.length()).strip());
      }
    }
    return names;
  }

  private static String run(String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(command));
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(DASHBOARDS.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          command[0]
              + " is not installed: run .ci/test-tools (.ci/run does), it installs Debian's"
              + " prometheus and prometheus-alertmanager",
          e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
    assertThat(p.exitValue()).as("%s said:%n%s", cmd, out).isZero();
    return out;
  }
}

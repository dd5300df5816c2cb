package io.agentledger.standalone.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.standalone.Standalone;
import io.agentledger.standalone.StandaloneConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query of the Grafana dashboards in {@code dashboards/grafana/dashboards}, run against a
 * standalone holding the demo's data, as Grafana's Infinity data source would run it: the URL with
 * its parameters and the dashboard's variables filled in, the root selector evaluated as JSONata
 * (the backend parser's language), and each column's selector found in the rows — once with every
 * filter at "All" and once for one agent. The Prometheus panels' metrics are checked against {@code
 * /metrics}. Grafana itself is not in any registry this project can reach, so this is the closest
 * honest check of what its panels will show.
 */
class DashboardQueriesIT {

  private static final String KEY = DemoWorkloadIT.KEY;
  private static final String INFINITY = "yesoreyeram-infinity-datasource";
  private static final Path DASHBOARDS = Path.of("../dashboards/grafana/dashboards");
  private static final int RUNS = DemoWorkloadIT.RUNS;
  private static final DemoSchedule COMPRESSED = DemoWorkloadIT.COMPRESSED;
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_]+)(?::[a-z]+)?}");
  private static final Pattern METRIC = Pattern.compile("\\bagentledger_[a-z_]+\\b");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dataDir;

  @Test
  void everyDashboardQuery_answersWithTheFieldsItsPanelReads() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("AGENTLEDGER_DATA_DIR", dataDir.toString());
    env.put("AGENTLEDGER_API_KEYS", "acme:" + KEY);
    env.put("AGENTLEDGER_HOST", "127.0.0.1");
    env.put("AGENTLEDGER_OTLP_PORT", "0");
    env.put("AGENTLEDGER_API_PORT", "0");
    env.put("AGENTLEDGER_KAFKA_PORT", "0");
    env.put("AGENTLEDGER_SETTLE_IDLE", "1s");
    env.put("AGENTLEDGER_API_PROJECT_RATE", "0");
    // Findings within the test's minute: cycles every few seconds, regressions from 10 runs.
    env.put("AGENTLEDGER_ANOMALY_INTERVAL", "2s");
    env.put("AGENTLEDGER_REGRESSION_INTERVAL", "5s");
    env.put("AGENTLEDGER_REGRESSION_MIN_RUNS", "10");
    Instant from = Instant.now().minus(Duration.ofHours(1));
    try (Standalone app = Standalone.start(StandaloneConfig.from(env));
        DemoWorkload demo =
            new DemoWorkload(app.tracesEndpoint(), KEY, COMPRESSED, Clock.systemUTC())) {
      demo.start();
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  items(app, "/api/v1/chains?limit=1000").size() == RUNS
                      && items(app, "/api/v1/chains?limit=1000").stream()
                          .allMatch(c -> c.path("costUsd").isNumber()));
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  !items(app, "/api/v1/anomalies").isEmpty()
                      && !items(app, "/api/v1/regressions").isEmpty());

      Map<String, String> vars = new HashMap<>();
      vars.put("__from", Long.toString(from.toEpochMilli()));
      vars.put("__to", Long.toString(Instant.now().plus(Duration.ofHours(1)).toEpochMilli()));
      vars.put("bucket", "1h");
      vars.put(
          "traceId",
          items(app, "/api/v1/chains?order=cost&limit=1").get(0).path("traceId").asText());
      for (String filter : List.of("service", "agent", "model", "status")) {
        vars.put(filter, "*"); // Grafana's "All" (the variables' allValue)
      }
      Map<String, String> oneAgent = new HashMap<>(vars);
      oneAgent.put("agent", "support-triage");

      String metrics = text(app, "/metrics");
      int checked = 0;
      try (Stream<Path> files = Files.list(DASHBOARDS)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
          JsonNode dashboard = JSON.readTree(file.toFile());
          assertThat(dashboard.path("uid").asText()).as(file.toString()).isNotEmpty();
          for (Query q : queries(file, dashboard)) {
            if (q.datasource().equals(INFINITY)) {
              List<Object> rows = rows(app, q, vars);
              assertThat(rows).as("%s answered no rows with the demo's data", q).isNotEmpty();
              for (JsonNode column : q.target().path("columns")) {
                String selector = column.path("selector").asText();
                assertThat(rows)
                    .as("%s: no row has '%s'", q, selector)
                    .anyMatch(row -> select(row, selector) != null);
              }
              if (usesVariable(q.target(), "agent")) {
                for (Object row : rows(app, q, oneAgent)) {
                  Object agent = select(row, "agent");
                  agent = agent == null ? select(row, "key.agent") : agent;
                  assertThat(agent == null || agent.equals("support-triage"))
                      .as("%s filtered to one agent: %s", q, row)
                      .isTrue();
                }
              }
            } else {
              Matcher m = METRIC.matcher(q.target().path("expr").asText());
              while (m.find()) {
                assertThat(metrics).as("%s reads %s", q, m.group()).contains("\n" + m.group());
              }
            }
            checked++;
          }
        }
      }
      assertThat(checked).isGreaterThan(25);
    }
  }

  /** One query of a dashboard: a panel's target, a variable's query or an annotation's. */
  private record Query(String where, String datasource, JsonNode target) {
    @Override
    public String toString() {
      return where + " (" + target.path("url").asText(target.path("expr").asText()) + ")";
    }
  }

  private static List<Query> queries(Path file, JsonNode dashboard) {
    String name = file.getFileName().toString();
    List<Query> out = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        out.add(
            new Query(
                name + " / " + panel.path("title").asText() + " / " + target.path("refId").asText(),
                target.path("datasource").path("type").asText(),
                target));
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        out.add(
            new Query(
                name + " / variable " + variable.path("name").asText(),
                variable.path("datasource").path("type").asText(),
                variable.path("query")));
      }
    }
    for (JsonNode annotation : dashboard.path("annotations").path("list")) {
      out.add(
          new Query(
              name + " / annotation " + annotation.path("name").asText(),
              annotation.path("datasource").path("type").asText(),
              annotation.path("target")));
    }
    return out;
  }

  /** Runs the query as Infinity would and returns the rows its root selector makes. */
  private List<Object> rows(Standalone app, Query q, Map<String, String> vars) throws Exception {
    JsonNode target = q.target();
    StringBuilder url = new StringBuilder(fill(target.path("url").asText(), vars));
    String sep = "?";
    for (JsonNode param : target.path("url_options").path("params")) {
      url.append(sep)
          .append(param.path("key").asText())
          .append('=')
          .append(
              URLEncoder.encode(fill(param.path("value").asText(), vars), StandardCharsets.UTF_8));
      sep = "&";
    }
    HttpResponse<String> r = send(app, url.toString());
    assertThat(r.statusCode()).as("%s: %s", q, r.body()).isEqualTo(200);
    Object document = JSON.readValue(r.body(), Object.class);
    Object selected = Jsonata.jsonata(target.path("root_selector").asText("$")).evaluate(document);
    if (selected == null) {
      return List.of();
    }
    return selected instanceof List<?> list ? new ArrayList<>(list) : List.of(selected);
  }

  private static boolean usesVariable(JsonNode target, String name) {
    return target.toString().contains("${" + name + "}");
  }

  private static String fill(String text, Map<String, String> vars) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = vars.get(m.group(1));
      assertThat(value).as("the test knows variable %s", m.group(1)).isNotNull();
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return m.appendTail(out).toString();
  }

  /** A column selector ({@code key.model}) applied to one row, or null where it finds nothing. */
  private static Object select(Object row, String selector) {
    Object value = row;
    for (String part : selector.split("\\.")) {
      if (!(value instanceof Map<?, ?> map)) {
        return null;
      }
      value = map.get(part);
    }
    return value;
  }

  private List<JsonNode> items(Standalone app, String path) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    JSON.readTree(text(app, path)).path("items").forEach(out::add);
    return out;
  }

  private String text(Standalone app, String path) throws Exception {
    HttpResponse<String> r = send(app, path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private HttpResponse<String> send(Standalone app, String path) throws Exception {
    URI uri = app.apiBase().resolve(path);
    return http.send(
        HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + KEY).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

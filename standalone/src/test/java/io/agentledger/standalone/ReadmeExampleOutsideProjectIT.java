package io.agentledger.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instrumentation README's complete example as a newcomer builds it: a Maven project of its own
 * outside this reactor, depending on {@code io.agentledger:agentledger-instrumentation} as the
 * README says, resolved from a local repository into which the test installed the built artifacts
 * ({@code maven-install-plugin:install-file} of the parent pom, core and instrumentation). Then the
 * example runs against a running standalone, and every number it prints must be what the query API
 * answers for its chain.
 *
 * <p>No network and nothing written to {@code ~/.m2}: the temporary local repository is seeded from
 * the machine's Maven repository through a {@code file:} mirror, with Maven offline except for
 * {@code file:} ({@code aether.offline.protocols}). Plugin versions are pinned in the example's pom
 * because a {@code file:} mirror of a local repository has no plugin version metadata. Costs about
 * 30 s on a quiet 2-core machine (three Maven runs and one standalone).
 */
class ReadmeExampleOutsideProjectIT {

  private static final String KEY = "readme-outside-project-key-0123";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theReadmeExample_builtOutside_printsWhatTheQueryApiAnswers(@TempDir Path dir)
      throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    Path instrumentationJar = builtJar(root.resolve("instrumentation"));
    Path coreJar = builtJar(root.resolve("core"));
    String version = version(instrumentationJar, "agentledger-instrumentation-");
    Path repo = dir.resolve("repo");
    Path settings = dir.resolve("settings.xml");
    Files.writeString(settings, settings(seedRepository()));

    // 1. Install what `mvn -pl instrumentation -am install` would, into the temporary repository.
    Path installer = dir.resolve("installer");
    Files.createDirectories(installer);
    Files.writeString(
        installer.resolve("pom.xml"),
        installerPom(
            List.of(
                new String[] {
                  root.resolve("pom.xml").toString(), root.resolve("pom.xml").toString()
                },
                new String[] {coreJar.toString(), root.resolve("core/pom.xml").toString()},
                new String[] {
                  instrumentationJar.toString(), root.resolve("instrumentation/pom.xml").toString()
                })));
    maven(installer, settings, repo, "validate");
    assertThat(
            repo.resolve(
                "io/agentledger/agentledger-instrumentation/"
                    + version
                    + "/agentledger-instrumentation-"
                    + version
                    + ".jar"))
        .exists();

    // 2. The newcomer's project: the README's dependencies and its example, nothing else.
    String readme = Files.readString(root.resolve("instrumentation/README.md"));
    String source = firstBlockAfter(readme, "## A complete example", "```java");
    String dependencies = firstBlockAfter(readme, "Then depend on it", "```xml");
    Path project = dir.resolve("support-crew");
    Files.createDirectories(project.resolve("src/main/java"));
    Files.writeString(project.resolve("src/main/java/SupportCrew.java"), source);
    Files.writeString(project.resolve("pom.xml"), examplePom(dependencies));
    maven(
        project,
        settings,
        repo,
        "compile",
        "dependency:build-classpath",
        "-Dmdep.outputFile=" + project.resolve("classpath.txt"));
    String classpath =
        project.resolve("target/classes")
            + java.io.File.pathSeparator
            + Files.readString(project.resolve("classpath.txt")).strip();
    assertThat(classpath)
        .as("resolved from the temporary repository")
        .contains(repo.resolve("io/agentledger").toString())
        .doesNotContain(root.resolve("instrumentation/target").toString());

    // 3. Run it against a standalone, then ask the query API.
    Map<String, String> env = new HashMap<>();
    env.put("AGENTLEDGER_DATA_DIR", dir.resolve("data").toString());
    env.put("AGENTLEDGER_API_KEYS", "acme:" + KEY);
    env.put("AGENTLEDGER_HOST", "127.0.0.1");
    env.put("AGENTLEDGER_OTLP_PORT", "0");
    env.put("AGENTLEDGER_API_PORT", "0");
    env.put("AGENTLEDGER_KAFKA_PORT", "0");
    env.put("AGENTLEDGER_SETTLE_IDLE", "1s");
    try (Standalone app = Standalone.start(StandaloneConfig.from(env))) {
      URI traces = app.tracesEndpoint();
      ProcessBuilder java =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  classpath,
                  "SupportCrew")
              .redirectOutput(dir.resolve("out.txt").toFile())
              .redirectError(dir.resolve("err.txt").toFile());
      java.environment()
          .keySet()
          .removeIf(k -> k.startsWith("OTEL_") || k.startsWith("AGENTLEDGER_"));
      java.environment()
          .put("OTEL_EXPORTER_OTLP_ENDPOINT", traces.resolve("/").toString().replaceAll("/$", ""));
      java.environment().put("AGENTLEDGER_API_KEY", KEY);
      java.environment().put("OTEL_SERVICE_NAME", "support-crew");
      java.environment().put("AGENTLEDGER_BUDGET_USD", "0.50");
      Process process = java.start();
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the example ends").isTrue();
      String out = Files.readString(dir.resolve("out.txt"));
      assertThat(process.exitValue()).as(Files.readString(dir.resolve("err.txt"))).isZero();

      Map<String, BigDecimal> printed = printedCosts(out);
      Matcher chain = Pattern.compile("chain ([0-9a-f]{32}): \\$([0-9.]+)").matcher(out);
      assertThat(chain.find()).as(out).isTrue();
      String traceId = chain.group(1);
      BigDecimal printedTotal = new BigDecimal(chain.group(2));
      assertThat(printed).as(out).containsOnlyKeys("planner", "researcher");

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> chainIfComplete(app, traceId, printedTotal) != null);
      JsonNode answer = Objects.requireNonNull(chainIfComplete(app, traceId, printedTotal));
      assertThat(answer.path("costUsd").decimalValue()).isEqualByComparingTo(printedTotal);
      assertThat(answer.path("costComplete").asBoolean()).isTrue();
      assertThat(answer.path("service").asText()).isEqualTo("support-crew");
      Map<String, BigDecimal> byAgent = new HashMap<>();
      for (JsonNode a : answer.path("byAgent")) {
        byAgent.put(a.path("agent").asText(), a.path("exclusiveCostUsd").decimalValue());
      }
      printed.forEach(
          (agent, usd) -> assertThat(byAgent.get(agent)).as(agent).isEqualByComparingTo(usd));
      assertThat(printedTotal).isEqualByComparingTo("0.009795"); // the README's own figure
    }
  }

  /** The chain's summary once the API counts every printed dollar, else null. */
  private @Nullable JsonNode chainIfComplete(Standalone app, String traceId, BigDecimal total)
      throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(app.apiBase().resolve("/api/v1/chains/" + traceId))
                .header("Authorization", "Bearer " + KEY)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return null;
    }
    JsonNode chain = JSON.readTree(r.body());
    return chain.path("costUsd").decimalValue().compareTo(total) == 0 ? chain : null;
  }

  /** {@code planner call: $0.000195} lines: agent → dollars. */
  private static Map<String, BigDecimal> printedCosts(String out) {
    Map<String, BigDecimal> costs = new HashMap<>();
    Matcher m = Pattern.compile("(?m)^(\\w+) call: \\$([0-9.]+)$").matcher(out);
    while (m.find()) {
      costs.merge(m.group(1), new BigDecimal(m.group(2)), BigDecimal::add);
    }
    return costs;
  }

  private static void maven(Path project, Path settings, Path repo, String... goals)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("mvn");
    command.addAll(
        List.of(
            "-B",
            "-q",
            "-o",
            "-Daether.offline.protocols=file",
            "-s",
            settings.toString(),
            "-Dmaven.repo.local=" + repo));
    command.addAll(List.of(goals));
    Path log = project.resolve("maven.log");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(project.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // Short Maven runs spend most of their CPU in the JIT: the C1 compiler alone halves it.
    pb.environment().put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1");
    Process p = pb.start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("mvn %s ends", command).isTrue();
    assertThat(p.exitValue()).as("mvn %s:%n%s", command, Files.readString(log)).isZero();
  }

  /** The repository the machine's builds use: where the temporary one is seeded from. */
  private static Path seedRepository() {
    String configured = System.getProperty("maven.repo.local");
    return configured != null
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  private static String settings(Path seed) {
    return """
        <settings>
          <mirrors>
            <mirror>
              <id>seed</id>
              <mirrorOf>*</mirrorOf>
              <url>%s</url>
            </mirror>
          </mirrors>
        </settings>
        """
        .formatted(seed.toUri());
  }

  /** A pom whose validate phase installs each {file, pomFile} pair. */
  private static String installerPom(List<String[]> artifacts) {
    StringBuilder executions = new StringBuilder();
    int i = 0;
    for (String[] a : artifacts) {
      executions.append(
          """
                    <execution>
                      <id>install-%d</id>
                      <phase>validate</phase>
                      <goals><goal>install-file</goal></goals>
                      <configuration>
                        <file>%s</file>
                        <pomFile>%s</pomFile>
                      </configuration>
                    </execution>
          """
              .formatted(i++, a[0], a[1]));
    }
    return """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>local</groupId>
          <artifactId>installer</artifactId>
          <version>1</version>
          <packaging>pom</packaging>
          <build>
            <plugins>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-install-plugin</artifactId>
                <version>3.1.4</version>
                <executions>
        %s
                </executions>
              </plugin>
            </plugins>
          </build>
        </project>
        """
        .formatted(executions);
  }

  private static String examplePom(String readmeDependencies) {
    return """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example</groupId>
          <artifactId>support-crew</artifactId>
          <version>1.0</version>
          <properties>
            <maven.compiler.release>17</maven.compiler.release>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          </properties>
          <dependencies>
        %s
          </dependencies>
          <build>
            <plugins>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-resources-plugin</artifactId>
                <version>3.3.1</version>
              </plugin>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-compiler-plugin</artifactId>
                <version>3.14.0</version>
              </plugin>
              <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-dependency-plugin</artifactId>
                <version>3.8.1</version>
              </plugin>
            </plugins>
          </build>
        </project>
        """
        .formatted(readmeDependencies);
  }

  /** The module's built jar (the reactor packages it before this module's integration tests). */
  private static Path builtJar(Path module) throws IOException {
    try (Stream<Path> files = Files.list(module.resolve("target"))) {
      List<Path> jars =
          files
              .filter(p -> p.getFileName().toString().matches("agentledger-[a-z-]+-[0-9].*\\.jar"))
              .filter(p -> !p.getFileName().toString().matches(".*-(tests|sources|javadoc)\\.jar"))
              .toList();
      assertThat(jars)
          .as("the built jar of %s (run the reactor's package first)", module)
          .hasSize(1);
      return jars.get(0);
    }
  }

  private static String version(Path jar, String prefix) {
    String name = jar.getFileName().toString();
    return name.substring(prefix.length(), name.length() - ".jar".length());
  }

  private static String firstBlockAfter(String text, String heading, String fence) {
    int at = text.indexOf(heading);
    assertThat(at).as(heading).isNotNegative();
    int start = text.indexOf(fence + "\n", at) + fence.length() + 1;
    int end = text.indexOf("```", start);
    return text.substring(start, end);
  }
}

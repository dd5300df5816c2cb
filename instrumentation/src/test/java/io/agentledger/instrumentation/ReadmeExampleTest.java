package io.agentledger.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.agentledger.core.span.AgentSpan;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's complete example, copied out of README.md as a newcomer would: compiled, run in a
 * JVM of its own with the environment the README names (and no SLF4J binding, as in a fresh
 * project), against an OTLP receiver. What it prints must be what it says it prints, and what
 * AgentLedger computes from the spans it received.
 */
class ReadmeExampleTest {

  private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @BeforeEach
  void startReceiver() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/traces",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
              body = in.readAllBytes();
            }
          }
          bodies.add(body);
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopReceiver() {
    server.stop(0);
  }

  @Test
  void theExample_printsTheCostsAgentLedgerComputes(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    String source = firstBlockAfter(readme, "## A complete example", "```java");
    String expectedOutput = firstBlockAfter(readme, "It prints", "```");
    Files.writeString(dir.resolve("SupportCrew.java"), source);

    // The library and its dependencies, but no SLF4J binding: a newcomer's first classpath.
    String classpath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> !e.contains("slf4j-simple"))
            .filter(e -> !e.contains("test-classes"))
            .collect(Collectors.joining(File.pathSeparator));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int compiled =
        javac.run(
            null,
            null,
            null,
            "-cp",
            classpath,
            "-d",
            dir.toString(),
            dir.resolve("SupportCrew.java").toString());
    assertThat(compiled).as("the README example compiles").isZero();

    ProcessBuilder java =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                dir + File.pathSeparator + classpath,
                "SupportCrew")
            .redirectOutput(dir.resolve("out.txt").toFile())
            .redirectError(dir.resolve("err.txt").toFile());
    java.environment()
        .keySet()
        .removeIf(k -> k.startsWith("OTEL_") || k.startsWith("AGENTLEDGER_"));
    java.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + port());
    java.environment().put("AGENTLEDGER_API_KEY", "al_readme_example_key");
    java.environment().put("OTEL_SERVICE_NAME", "support-crew");
    java.environment().put("AGENTLEDGER_BUDGET_USD", "0.50");
    Process process = java.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the example ends").isTrue();
    String out = Files.readString(dir.resolve("out.txt"));
    String err = Files.readString(dir.resolve("err.txt"));
    assertThat(process.exitValue()).as(err).isZero();

    // The README's output, but for the trace id.
    Matcher chain = Pattern.compile("chain ([0-9a-f]{32}): ").matcher(out);
    assertThat(chain.find()).as(out).isTrue();
    String traceId = chain.group(1);
    assertThat(out.strip())
        .isEqualTo(expectedOutput.strip().replaceAll("chain [0-9a-f]{32}", "chain " + traceId));
    // No logging binding: the library says so instead of losing its warnings silently.
    assertThat(err).contains("AgentLedger: no SLF4J logging binding is on the classpath");

    // What AgentLedger computes from what the example exported is what it printed.
    List<AgentSpan> spans = CrewAssertions.normalize(bodies, "default");
    assertThat(spans).allSatisfy(s -> assertThat(s.traceId()).isEqualTo(traceId));
    assertThat(spans).allSatisfy(s -> assertThat(s.serviceName()).isEqualTo("support-crew"));
    BigDecimal total = BigDecimal.ZERO;
    List<String> perCall = new ArrayList<>();
    for (AgentSpan s : spans) {
      if (s.cost().amountUsd() != null && s.cost().amountUsd().signum() > 0) {
        total = total.add(s.cost().amountUsd());
        perCall.add(s.semantics().agentName() + " call: $" + plain(s.cost().amountUsd()));
      }
    }
    assertThat(out).contains(perCall);
    assertThat(out).contains("chain " + traceId + ": $" + plain(total));
    assertThat(plain(total)).isEqualTo("0.009795");
  }

  private static String plain(BigDecimal usd) {
    return usd.stripTrailingZeros().toPlainString();
  }

  private int port() {
    return server.getAddress().getPort();
  }

  private static String firstBlockAfter(String text, String heading, String fence)
      throws IOException {
    int at = text.indexOf(heading);
    assertThat(at).as(heading).isNotNegative();
    int start = text.indexOf(fence + "\n", at) + fence.length() + 1;
    int end = text.indexOf("```", start);
    return new String(
        text.substring(start, end).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }
}

package io.agentledger.standalone;

import io.agentledger.collector.otlp.OtlpReceiver;
import io.agentledger.core.auth.ApiKeys;
import io.agentledger.core.config.ConfigException;
import io.agentledger.core.config.Settings;
import io.agentledger.standalone.demo.DemoWorkload;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./agentledger up}: starts the standalone stack in the foreground and shuts it down cleanly
 * on Ctrl-C or SIGTERM. {@code ./agentledger collector|analyzer|api} runs one role, against an
 * external Kafka and ClickHouse shared with the other roles' processes (README, "Scale out").
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    String command = args.length == 0 ? "up" : args[0];
    if (command.equals("help") || command.equals("--help") || command.equals("-h")) {
      System.out.println(
          "usage: agentledger up|demo|collector|analyzer|api|key|help\n\n"
              + "  up         every role in one process (embedded Kafka unless configured)\n"
              + "  demo       up, plus a built-in multi-agent workload\n"
              + "  collector  OTLP receiver + Kafka consumers writing to ClickHouse\n"
              + "  analyzer   settlement, alerts, anomaly and regression detection\n"
              + "  api        the query API and the chain explorer page\n"
              + "  (the three roles alone need AGENTLEDGER_STORE=clickhouse, AGENTLEDGER_API_KEYS,"
              + " and for a collector AGENTLEDGER_KAFKA_BOOTSTRAP)\n\nConfiguration (environment variables, or the"
              + " same keys in the properties file named by "
              + Settings.CONFIG_FILE_VARIABLE
              + "):");
      System.out.print(StandaloneConfig.describe());
      return;
    }
    Optional<Standalone.Role> role = role(command);
    if (!command.equals("up")
        && !command.equals("demo")
        && !command.equals("key")
        && role.isEmpty()) {
      System.err.println("unknown command '" + command + "'; try: agentledger help");
      System.exit(2);
    }
    StandaloneConfig config;
    try {
      config = StandaloneConfig.from(System.getenv());
    } catch (ConfigException e) {
      System.err.println("agentledger: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (command.equals("key")) {
      System.exit(printKey(config, System.out, System.err));
    }
    long started = System.nanoTime();
    Standalone app;
    try {
      app =
          role.isPresent()
              ? Standalone.start(config, Set.of(role.get()))
              : Standalone.start(config);
    } catch (RuntimeException e) {
      System.err.println("agentledger: cannot start: " + e.getMessage());
      org.slf4j.LoggerFactory.getLogger(Main.class).debug("start-up failure", e);
      System.exit(1);
      return;
    }
    DemoWorkload demo = command.equals("demo") ? startDemo(app) : null;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("AgentLedger: shutting down (flushing spans)...");
                  if (demo != null) {
                    demo.close();
                  }
                  app.close();
                  System.out.println("AgentLedger: stopped cleanly.");
                  stopped.countDown();
                },
                "agentledger-shutdown"));
    System.out.println(banner(app, (System.nanoTime() - started) / 1_000_000));
    if (demo != null) {
      System.out.println(
          "\ndemo: "
              + demo.description()
              + "\n  try: curl -H 'Authorization: Bearer <key>' "
              + app.apiBase()
              + "/api/v1/chains");
    }
    stopped.await();
  }

  /** The role a command names: {@code collector}, {@code analyzer} or {@code api}. */
  static Optional<Standalone.Role> role(String command) {
    return Arrays.stream(Standalone.Role.values())
        .filter(r -> r.name().toLowerCase(Locale.ROOT).equals(command))
        .findFirst();
  }

  /**
   * {@code ./agentledger key}: prints the generated key of the data directory — the only way to see
   * it again after the first start, which printed it once.
   */
  static int printKey(StandaloneConfig config, PrintStream out, PrintStream err) {
    if (config.apiKeys().isPresent()) {
      err.println("agentledger: keys come from AGENTLEDGER_API_KEYS; none was generated");
      return 1;
    }
    Optional<String> key = ApiKeys.generatedKey(config.dataDir());
    if (key.isEmpty()) {
      err.println(
          "agentledger: no key generated yet in " + config.dataDir() + "; run ./agentledger up");
      return 1;
    }
    out.println(key.get());
    return 0;
  }

  /** The demo sends with the generated key, or the first configured one. */
  private static DemoWorkload startDemo(Standalone app) {
    String key =
        app.generatedKey()
            .orElseGet(
                () -> {
                  String first = app.config().apiKeys().orElseThrow().split(",")[0];
                  return first.substring(first.indexOf(':') + 1).trim();
                });
    DemoWorkload demo = new DemoWorkload(app.tracesEndpoint(), key);
    demo.start();
    return demo;
  }

  /** One role's banner: what it serves and where its data goes (keys are never printed). */
  private static String roleBanner(Standalone app, StringBuilder sb) {
    StandaloneConfig c = app.config();
    sb.append("  Role              ")
        .append(app.roles().stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted().toList())
        .append('\n');
    if (app.roles().contains(Standalone.Role.COLLECTOR)) {
      sb.append("  OTLP/HTTP traces  ").append(app.tracesEndpoint()).append('\n');
      sb.append("  Kafka             ").append(app.kafkaBootstrap()).append('\n');
    }
    if (app.roles().contains(Standalone.Role.API)) {
      sb.append("  Query API         ").append(app.apiBase()).append("/api/v1\n");
    }
    sb.append("  Health, metrics   ")
        .append(app.apiBase())
        .append("/health  ")
        .append(app.apiBase())
        .append("/metrics\n");
    sb.append("  Store             clickhouse ")
        .append(c.clickHouseUrl().map(u -> u.replaceAll("\\?.*", "")).orElse(""))
        .append('\n');
    sb.append("\nSIGTERM stops it; nothing acknowledged is lost.");
    return sb.toString();
  }

  static String banner(Standalone app, long startMillis) {
    StandaloneConfig c = app.config();
    StringBuilder sb = new StringBuilder();
    sb.append("\nAgentLedger ")
        .append(Standalone.version())
        .append(" is up (")
        .append(startMillis)
        .append(" ms)\n");
    if (!app.roles().containsAll(EnumSet.allOf(Standalone.Role.class))) {
      return roleBanner(app, sb);
    }
    sb.append("  OTLP/HTTP traces  ").append(app.tracesEndpoint()).append('\n');
    sb.append("  OTLP/HTTP logs    ")
        .append(app.otlpBase())
        .append(OtlpReceiver.LOGS_PATH)
        .append("  (metrics: ")
        .append(OtlpReceiver.METRICS_PATH)
        .append(")\n");
    sb.append("  Query API         ").append(app.apiBase()).append("/api/v1\n");
    sb.append("  Chain explorer    ").append(app.apiBase()).append("/ui/\n");
    sb.append("  Health, metrics   ")
        .append(app.apiBase())
        .append("/health  ")
        .append(app.apiBase())
        .append("/metrics\n");
    sb.append("  OpenAPI           ").append(app.apiBase()).append("/openapi.json\n");
    sb.append("  Kafka             ")
        .append(app.kafkaBootstrap())
        .append(c.kafkaBootstrap().isPresent() ? "" : " (embedded)")
        .append('\n');
    sb.append("  Store             ")
        .append(c.store().name().toLowerCase(java.util.Locale.ROOT))
        .append(" (data in ")
        .append(c.dataDir())
        .append(")\n");
    Optional<String> key = app.generatedKey();
    if (key.isEmpty()) {
      sb.append("  API keys          from AGENTLEDGER_API_KEYS\n");
    } else if (!app.keyCreated()) {
      // Printed at its creation only: a service's output is kept in logs others may read.
      sb.append("  API key           project default; ./agentledger key prints it\n");
    } else {
      sb.append("  API key (project default)  ")
          .append(key.get())
          .append("\n  (printed this once; ./agentledger key prints it again)\n")
          .append("\nSend spans from any OTel SDK:\n")
          .append("  export OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=")
          .append(app.tracesEndpoint())
          .append('\n')
          .append("  export OTEL_EXPORTER_OTLP_TRACES_HEADERS=\"Authorization=Bearer ")
          .append(key.get())
          .append("\"\n")
          .append("  export OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf\n");
    }
    sb.append("\nCtrl-C stops it; nothing acknowledged is lost.");
    return sb.toString();
  }
}

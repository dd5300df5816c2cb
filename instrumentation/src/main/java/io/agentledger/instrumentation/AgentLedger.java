package io.agentledger.instrumentation;

import io.agentledger.core.config.ConfigException;
import io.agentledger.core.config.KafkaClientSettings;
import io.agentledger.core.config.KafkaSettings;
import io.agentledger.core.config.Settings;
import io.agentledger.core.span.Usage;
import io.agentledger.instrumentation.LedgerEnvironment.Exporter;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Tracing for agent code: the entry point of the library.
 *
 * <p>One line from the environment:
 *
 * <pre>{@code
 * AgentLedger ledger = AgentLedger.fromEnvironment();   // OTEL_* and AGENTLEDGER_* variables
 * try (AgentRun run = ledger.agent("support-bot").conversation(ticketId).start()) {
 *   try (ModelCall call = run.modelCall("openai", "gpt-4o-mini")) {
 *     ChatResponse r = client.chat(...);
 *     call.usage(r.promptTokens(), r.completionTokens()).finishReasons(r.finishReason());
 *   }
 * }
 * ledger.close();   // flushes what is buffered
 * }</pre>
 *
 * <p>Or over an OpenTelemetry you already have ({@link #builder()}). Spans follow the OpenTelemetry
 * GenAI semantic conventions, so any OTLP backend understands them; AgentLedger prices them.
 */
public final class AgentLedger implements AutoCloseable {

  static final String SCOPE = "io.agentledger.instrumentation";

  private final Tracer tracer;
  private final @Nullable BudgetGuard budget;
  private final boolean captureContent;
  private final @Nullable SdkTracerProvider ownedProvider;
  private final Clock clock;

  private AgentLedger(Builder b) {
    this.tracer = b.openTelemetry.getTracer(SCOPE, version());
    this.budget = b.budget;
    this.captureContent = b.captureContent;
    this.ownedProvider = b.ownedProvider;
    this.clock = b.clock;
  }

  /**
   * A builder for a ledger over an OpenTelemetry you configure.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Set up from the environment and the system properties. The OpenTelemetry part is
   * OpenTelemetry's own <a
   * href="https://opentelemetry.io/docs/languages/java/configuration/">autoconfiguration</a>:
   * {@code OTEL_SERVICE_NAME}, {@code OTEL_RESOURCE_ATTRIBUTES}, {@code OTEL_EXPORTER_OTLP_*}
   * (endpoint, headers, protocol, compression, timeout), {@code OTEL_TRACES_SAMPLER}, and the rest,
   * with these defaults: protocol {@code http/protobuf}, compression {@code gzip}, no metrics or
   * logs exporter. Then:
   *
   * <ul>
   *   <li>{@code AGENTLEDGER_EXPORTER}: {@code otlp} (default) or {@code kafka};
   *   <li>{@code AGENTLEDGER_API_KEY}: sent as {@code Authorization: Bearer} over OTLP;
   *   <li>{@code AGENTLEDGER_KAFKA_BOOTSTRAP}, {@code AGENTLEDGER_PROJECT}, {@code
   *       AGENTLEDGER_SPANS_TOPIC}: for the Kafka exporter, and the cluster's credentials ({@code
   *       AGENTLEDGER_KAFKA_SASL_*}, {@code AGENTLEDGER_KAFKA_SECURITY_PROTOCOL}, {@code
   *       AGENTLEDGER_KAFKA_CLIENT_PROPERTIES});
   *   <li>{@code AGENTLEDGER_BUDGET_USD}: a budget per chain;
   *   <li>{@code AGENTLEDGER_CAPTURE_CONTENT}: {@code true} records prompts and completions.
   * </ul>
   *
   * @return a ledger configured from the process environment
   * @throws ConfigException listing every invalid variable, OpenTelemetry's and ours, at once
   */
  public static AgentLedger fromEnvironment() {
    return configure(System.getenv(), false);
  }

  /**
   * {@link #fromEnvironment()} over the given variables: for tests and for embedding. Ours ({@code
   * AGENTLEDGER_*}) come from the map only; an {@code OTEL_*} variable in the map, and each of our
   * OpenTelemetry defaults, wins over the process's environment and system properties, which
   * OpenTelemetry's autoconfiguration still reads for the variables the map leaves out.
   *
   * @param env the variables to read instead of the process environment
   * @return a ledger configured from {@code env}
   * @throws ConfigException listing every invalid variable at once
   */
  public static AgentLedger fromEnvironment(Map<String, String> env) {
    return configure(Map.copyOf(env), true);
  }

  private static AgentLedger configure(Map<String, String> env, boolean only) {
    List<String> problems = new ArrayList<>();
    Settings.Values ledger = null;
    try {
      ledger = LedgerEnvironment.SETTINGS.load(env);
    } catch (ConfigException e) {
      problems.addAll(e.problems()); // OpenTelemetry's variables are still checked below
    }
    boolean kafka = ledger != null && ledger.get(LedgerEnvironment.EXPORTER) == Exporter.KAFKA;
    Map<String, String> defaults = otelDefaults(kafka);
    AutoConfiguredOpenTelemetrySdkBuilder otel =
        AutoConfiguredOpenTelemetrySdk.builder()
            .disableShutdownHook() // close() flushes; a hook per ledger would keep it alive
            .addPropertiesSupplier(() -> defaults);
    if (ledger != null) {
      addExporters(otel, ledger, problems);
    }
    if (only) {
      Map<String, String> properties = new HashMap<>(defaults);
      properties.putAll(otelProperties(env));
      // The builder always reads the process's environment and system properties as well;
      // overrides put the given variables (and our defaults) above anything set there.
      Map<String, String> overrides = Map.copyOf(properties);
      otel.addPropertiesCustomizer(ignored -> overrides);
    }
    OpenTelemetrySdk sdk = null;
    try {
      sdk = otel.build().getOpenTelemetrySdk();
    } catch (RuntimeException e) { // ConfigurationException, or a sender the protocol lacks
      problems.add("OpenTelemetry: " + e.getMessage());
    }
    if (!problems.isEmpty() || sdk == null || ledger == null) {
      if (sdk != null) {
        sdk.shutdown().join(5, TimeUnit.SECONDS);
      }
      throw new ConfigException(problems);
    }
    Builder b = builder();
    b.openTelemetry = sdk;
    b.ownedProvider = sdk.getSdkTracerProvider();
    ledger.get(LedgerEnvironment.BUDGET_USD).ifPresent(usd -> b.budget(BudgetGuard.perChain(usd)));
    return b.captureContent(ledger.get(LedgerEnvironment.CAPTURE_CONTENT)).build();
  }

  /** The API key on the OTLP exporter; the Kafka exporter when asked for. */
  private static void addExporters(
      AutoConfiguredOpenTelemetrySdkBuilder otel, Settings.Values ledger, List<String> problems) {
    String key = ledger.get(LedgerEnvironment.API_KEY).trim();
    if (!key.isEmpty()) {
      otel.addSpanExporterCustomizer((exporter, config) -> withBearer(exporter, key));
    }
    if (ledger.get(LedgerEnvironment.EXPORTER) != Exporter.KAFKA) {
      return;
    }
    otel.addTracerProviderCustomizer(
        (provider, config) -> {
          try {
            return provider.addSpanProcessor(
                BatchSpanProcessor.builder(kafkaExporter(ledger)).build());
          } catch (org.apache.kafka.common.KafkaException e) {
            Throwable cause = e; // "Failed to construct kafka producer" wraps the reason
            while (cause.getCause() != null) {
              cause = cause.getCause();
            }
            problems.add(
                LedgerEnvironment.KAFKA_BOOTSTRAP.name()
                    + "='"
                    + ledger.get(LedgerEnvironment.KAFKA_BOOTSTRAP)
                    + "': "
                    + cause.getMessage());
            return provider;
          }
        });
  }

  /** Defaults under the user's {@code OTEL_*}: what AgentLedger's receiver speaks, traces only. */
  private static Map<String, String> otelDefaults(boolean kafka) {
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    defaults.put("otel.exporter.otlp.compression", "gzip");
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    if (kafka) {
      defaults.put("otel.traces.exporter", "none"); // the Kafka exporter is added on its own
    }
    return defaults;
  }

  /** {@code OTEL_EXPORTER_OTLP_ENDPOINT} is the property {@code otel.exporter.otlp.endpoint}. */
  private static Map<String, String> otelProperties(Map<String, String> env) {
    Map<String, String> properties = new HashMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith("OTEL_")) {
            properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
          }
        });
    return properties;
  }

  private static SpanExporter withBearer(SpanExporter exporter, String key) {
    if (exporter instanceof OtlpHttpSpanExporter http) {
      SpanExporter keyed = http.toBuilder().addHeader("Authorization", "Bearer " + key).build();
      http.shutdown();
      return keyed;
    }
    if (exporter instanceof OtlpGrpcSpanExporter grpc) {
      SpanExporter keyed = grpc.toBuilder().addHeader("Authorization", "Bearer " + key).build();
      grpc.shutdown();
      return keyed;
    }
    return exporter;
  }

  private static KafkaSpanExporter kafkaExporter(Settings.Values ledger) {
    String bootstrap = ledger.get(LedgerEnvironment.KAFKA_BOOTSTRAP).trim();
    KafkaSpanExporter.Builder exporter =
        KafkaSpanExporter.builder(bootstrap)
            .project(ledger.get(LedgerEnvironment.PROJECT))
            .topic(ledger.get(KafkaSettings.SPANS_TOPIC));
    // SASL credentials and any client properties of the cluster (docs/security.md, "Kafka").
    KafkaClientSettings.clientProperties(bootstrap, ledger).forEach(exporter::producerConfig);
    return exporter.build();
  }

  private static String version() {
    String v = AgentLedger.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0" : v;
  }

  /**
   * Starts describing an agent invocation. Its parent is the run current in this thread's context
   * (a hand-off), else it is the root of a new chain.
   *
   * @param name the agent's name ({@code gen_ai.agent.name})
   * @return a builder; {@link AgentBuilder#start()} opens the run
   */
  public AgentBuilder agent(String name) {
    return new AgentBuilder(this, Objects.requireNonNull(name, "name"));
  }

  /**
   * The budget guard, when one is configured.
   *
   * @return the guard, or empty when no budget is set
   */
  public Optional<BudgetGuard> budget() {
    return Optional.ofNullable(budget);
  }

  /** Flushes buffered spans and, when the ledger built its own SDK, shuts it down. */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /**
   * Flushes buffered spans and, when the ledger built its own SDK, shuts it down.
   *
   * @param timeout how long to wait for the export
   */
  public void close(Duration timeout) {
    if (ownedProvider != null) {
      ownedProvider.shutdown().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Exports what is buffered now (for short-lived processes).
   *
   * @param timeout how long to wait for the export
   */
  public void flush(Duration timeout) {
    if (ownedProvider != null) {
      ownedProvider.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  Tracer tracer() {
    return tracer;
  }

  Clock clock() {
    return clock;
  }

  boolean capturesContent() {
    return captureContent;
  }

  void checkBudget(AgentRun run) {
    if (budget != null) {
      budget.checkBeforeCall(run.traceId(), run.conversationId());
    }
  }

  Optional<BigDecimal> recordCost(
      AgentRun run, String provider, String model, Usage usage, long startNanos) {
    if (budget == null) {
      return Optional.empty();
    }
    return budget.record(run.traceId(), run.conversationId(), provider, model, usage, startNanos);
  }

  void chainEnded(String traceId) {
    if (budget != null) {
      budget.forgetChain(traceId);
    }
  }

  /** How an {@link AgentLedger} is made. */
  public static final class Builder {
    private OpenTelemetry openTelemetry = OpenTelemetry.noop();
    private @Nullable SdkTracerProvider ownedProvider;
    private @Nullable BudgetGuard budget;
    private boolean captureContent;
    private Clock clock = Clock.getDefault();

    private Builder() {}

    /**
     * Records through an OpenTelemetry you configured (its exporters, its sampling).
     *
     * @param openTelemetry the OpenTelemetry to record through
     * @return this builder
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry);
      this.ownedProvider = null;
      return this;
    }

    /**
     * Records through this tracer provider, which {@link AgentLedger#close} shuts down.
     *
     * @param provider the provider to record through and to shut down on close
     * @return this builder
     */
    public Builder tracerProvider(SdkTracerProvider provider) {
      this.ownedProvider = Objects.requireNonNull(provider);
      this.openTelemetry = new TracerOnly(provider);
      return this;
    }

    /**
     * Refuses model and tool calls once the guard's budget is spent.
     *
     * @param budget the budget guard
     * @return this builder
     */
    public Builder budget(BudgetGuard budget) {
      this.budget = budget;
      return this;
    }

    /**
     * Records prompts, completions and tool arguments and results (off by default).
     *
     * @param capture true to record content
     * @return this builder
     */
    public Builder captureContent(boolean capture) {
      this.captureContent = capture;
      return this;
    }

    /**
     * The clock of the times the library measures itself (how long an approval waited, the day a
     * call is priced at). Give the clock your tracer provider was built with ({@code
     * SdkTracerProviderBuilder.setClock}) when it is not the system's: a simulation, a test.
     *
     * @param clock the clock, the system's by default
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the ledger.
     *
     * @return the ledger
     */
    public AgentLedger build() {
      return new AgentLedger(this);
    }
  }

  /** Describes an agent invocation before {@link #start()} opens it. */
  public static final class AgentBuilder {
    private final AgentLedger ledger;
    private final String name;
    private @Nullable AgentRun parent;
    private @Nullable String id;
    private @Nullable String version;
    private @Nullable String description;
    private @Nullable String conversationId;
    private @Nullable String userId;

    private AgentBuilder(AgentLedger ledger, String name) {
      this.ledger = ledger;
      this.name = name;
    }

    /**
     * The agent's id ({@code gen_ai.agent.id}).
     *
     * @param id the id
     * @return this builder
     */
    public AgentBuilder id(String id) {
      this.id = id;
      return this;
    }

    /**
     * The agent's version ({@code gen_ai.agent.version}).
     *
     * @param version the version
     * @return this builder
     */
    public AgentBuilder version(String version) {
      this.version = version;
      return this;
    }

    /**
     * What the agent does ({@code gen_ai.agent.description}).
     *
     * @param description the description
     * @return this builder
     */
    public AgentBuilder description(String description) {
      this.description = description;
      return this;
    }

    /**
     * The conversation (session, thread) this run belongs to: {@code gen_ai.conversation.id}.
     *
     * @param conversationId the conversation id
     * @return this builder
     */
    public AgentBuilder conversation(String conversationId) {
      this.conversationId = conversationId;
      return this;
    }

    /**
     * The user the agent acts for ({@code user.id}).
     *
     * @param userId the user id
     * @return this builder
     */
    public AgentBuilder user(String userId) {
      this.userId = userId;
      return this;
    }

    AgentBuilder parent(AgentRun parent) {
      this.parent = parent;
      return this;
    }

    /**
     * Opens the run: starts its span under the parent run or the current context.
     *
     * @return the run; close it when the agent is done
     */
    public AgentRun start() {
      Context parentContext = parent != null ? parent.context() : Context.current();
      AgentRun effectiveParent = parent != null ? parent : parentContext.get(AgentRun.KEY);
      String conversation = conversationId;
      String user = userId;
      if (effectiveParent != null) {
        conversation = conversation != null ? conversation : effectiveParent.conversationId();
        user = user != null ? user : effectiveParent.userId();
      }
      return new AgentRun(
          ledger,
          effectiveParent,
          parentContext,
          name,
          id,
          version,
          description,
          conversation,
          user);
    }
  }

  /** An OpenTelemetry of only a tracer provider (propagators stay the global defaults). */
  private record TracerOnly(SdkTracerProvider provider) implements OpenTelemetry {
    @Override
    public io.opentelemetry.api.trace.TracerProvider getTracerProvider() {
      return provider;
    }

    @Override
    public io.opentelemetry.context.propagation.ContextPropagators getPropagators() {
      return io.opentelemetry.context.propagation.ContextPropagators.noop();
    }
  }
}

package io.agentledger.instrumentation;

import io.agentledger.core.config.ConfigException;
import io.agentledger.core.config.KafkaClientSettings;
import io.agentledger.core.config.KafkaSettings;
import io.agentledger.core.config.Settings;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.span.Usage;
import io.agentledger.instrumentation.LedgerEnvironment.Exporter;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
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
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

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

  private static final Logger LOG = LoggerFactory.getLogger(AgentLedger.class);
  private static final AtomicBoolean NO_TRACING_WARNED = new AtomicBoolean();
  private static final AtomicBoolean NO_SLF4J_WARNED = new AtomicBoolean();

  private final Tracer tracer;
  private final @Nullable BudgetGuard budget;
  private final boolean captureContent;
  private final @Nullable SdkTracerProvider ownedProvider;
  private final Clock clock;
  private final Pricer pricer;
  private final List<LongSupplier> drops;
  private final AtomicBoolean closed = new AtomicBoolean();

  private AgentLedger(Builder b) {
    hintWhenLogsGoNowhere();
    this.tracer = b.openTelemetry.getTracer(SCOPE, version());
    this.budget = b.budget;
    this.captureContent = b.captureContent;
    this.ownedProvider = b.ownedProvider;
    this.clock = b.clock;
    this.drops = b.drops;
    PriceCatalog catalog = b.prices;
    if (catalog == null && budget != null) {
      catalog = budget.catalog();
    }
    this.pricer =
        b.pricer != null ? b.pricer : Pricer.of(catalog != null ? catalog : PriceCatalog.bundled());
    if (b.openTelemetry != OpenTelemetry.noop()
        && b.openTelemetry.getTracerProvider() == TracerProvider.noop()
        && NO_TRACING_WARNED.compareAndSet(false, true)) {
      LOG.warn(
          "AgentLedger: no OpenTelemetry tracer provider was given, so nothing is recorded. Use"
              + " AgentLedger.fromEnvironment(), or AgentLedger.builder().tracerProvider(...) or"
              + " .openTelemetry(...); .openTelemetry(OpenTelemetry.noop()) records nothing on"
              + " purpose and says nothing.");
    }
  }

  /**
   * SLF4J without a binding drops every log line, and this library reports through it (a dead
   * exporter, dropped spans, ignored misuse): say so once on stderr, the only place left.
   */
  private static void hintWhenLogsGoNowhere() {
    if (LoggerFactory.getILoggerFactory() instanceof NOPLoggerFactory
        && NO_SLF4J_WARNED.compareAndSet(false, true)) {
      System.err.println(
          "AgentLedger: no SLF4J logging binding is on the classpath, so its warnings (a dead"
              + " exporter, dropped spans, ignored misuse) are lost. Add one, e.g."
              + " org.slf4j:slf4j-simple or your logging framework's SLF4J binding.");
    }
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
    List<LongSupplier> drops = new CopyOnWriteArrayList<>();
    List<KafkaSpanExporter> kafkaExporters = new CopyOnWriteArrayList<>();
    if (ledger != null) {
      addExporters(otel, ledger, problems, drops, kafkaExporters);
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
    for (KafkaSpanExporter exporter : kafkaExporters) {
      exporter.observe(sdk.getMeterProvider()); // OTEL_METRICS_EXPORTER decides where they go
    }
    Builder b = builder();
    b.openTelemetry = sdk;
    b.ownedProvider = sdk.getSdkTracerProvider();
    b.drops = List.copyOf(drops);
    ledger.get(LedgerEnvironment.BUDGET_USD).ifPresent(usd -> b.budget(BudgetGuard.perChain(usd)));
    projectPrices(ledger).ifPresent(b::prices);
    return b.captureContent(ledger.get(LedgerEnvironment.CAPTURE_CONTENT)).build();
  }

  /**
   * The project's prices from the query API when {@code AGENTLEDGER_API_URL} is set; without them
   * (API down, wrong key) the bundled catalog prices the calls, and a warning says so.
   */
  private static Optional<PriceCatalog> projectPrices(Settings.Values ledger) {
    String url = ledger.get(LedgerEnvironment.API_URL).trim();
    if (url.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          ProjectPrices.fetch(URI.create(url), ledger.get(LedgerEnvironment.API_KEY).trim()));
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "AgentLedger: the project's prices could not be read from {} ({}); calls are priced with"
              + " the bundled catalog, without the project's overrides",
          url,
          e.toString());
      return Optional.empty();
    }
  }

  /** The API key on the OTLP exporter; the Kafka exporter when asked for. */
  private static void addExporters(
      AutoConfiguredOpenTelemetrySdkBuilder otel,
      Settings.Values ledger,
      List<String> problems,
      List<LongSupplier> drops,
      List<KafkaSpanExporter> kafkaExporters) {
    String key = ledger.get(LedgerEnvironment.API_KEY).trim();
    otel.addSpanExporterCustomizer(
        (exporter, config) -> {
          SpanExporter keyed = key.isEmpty() ? exporter : withBearer(exporter, key);
          String endpoint =
              config.getString(
                  "otel.exporter.otlp.traces.endpoint",
                  config.getString("otel.exporter.otlp.endpoint", "http://localhost:4318"));
          ReportingSpanExporter reporting =
              new ReportingSpanExporter(keyed, "the OTLP endpoint " + endpoint);
          drops.add(reporting::droppedSpans);
          return reporting;
        });
    if (ledger.get(LedgerEnvironment.EXPORTER) != Exporter.KAFKA) {
      return;
    }
    otel.addTracerProviderCustomizer(
        (provider, config) -> {
          try {
            KafkaSpanExporter exporter = kafkaExporter(ledger);
            drops.add(exporter::droppedSpans);
            kafkaExporters.add(exporter);
            return provider.addSpanProcessor(BatchSpanProcessor.builder(exporter).build());
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
    return new AgentBuilder(this, nonNull(name, "agent(name)", "unnamed"));
  }

  /**
   * The budget guard, when one is configured.
   *
   * @return the guard, or empty when no budget is set
   */
  public Optional<BudgetGuard> budget() {
    return Optional.ofNullable(budget);
  }

  /**
   * Spans the exporters {@link #fromEnvironment()} built could not deliver (the OTLP endpoint or
   * Kafka down, the queue full); each outage is also logged once when it starts and once when it
   * ends. Zero for a ledger over an OpenTelemetry you configured: ask your exporter.
   *
   * @return the count since the ledger was created
   */
  public long droppedSpans() {
    long sum = 0;
    for (LongSupplier d : drops) {
      sum += d.getAsLong();
    }
    return sum;
  }

  /**
   * How many wrong calls (a negative token count, an approval answered twice, a null name) and
   * internal failures (pricing, a callback that threw) the library has ignored in this process
   * instead of throwing into agent code. Each kind is logged once, with the caller's stack.
   *
   * @return the count since the process started
   */
  public static long problems() {
    return Misuse.count();
  }

  /**
   * Flushes buffered spans and, when the ledger built its own SDK, shuts it down. Only the first
   * call does anything.
   */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /**
   * Flushes buffered spans and, when the ledger built its own SDK, shuts it down. Only the first
   * call does anything.
   *
   * @param timeout how long to wait for the export
   */
  public void close(Duration timeout) {
    if (ownedProvider != null && closed.compareAndSet(false, true)) {
      ownedProvider.shutdown().join(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Exports what is buffered now and waits until it is sent or {@code timeout} has passed (for
   * short-lived processes).
   *
   * @param timeout how long to wait for the export
   * @return true when everything buffered was exported in time
   */
  public boolean flush(Duration timeout) {
    if (ownedProvider == null || closed.get()) {
      return ownedProvider == null;
    }
    return ownedProvider.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
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

  /**
   * Before a model or tool call: refuses it when its chain or conversation has spent its budget, or
   * would with {@code estimate × 10^-estimateScale} more; the refusal is marked on the run's span
   * and the chain's root.
   */
  void checkBudget(AgentRun run, long estimate, int estimateScale) {
    if (budget != null) {
      refuseOn(run, budget.overrun(run.traceId(), run.conversationId(), estimate, estimateScale));
    }
  }

  /**
   * {@link #checkBudget(AgentRun, long, int)} with the largest price a call of at most {@code
   * inputTokens} in and {@code maxOutputTokens} out can have (zero when the model is not priced),
   * at the prices of the day {@code startNanos} falls on.
   */
  void checkBudget(
      AgentRun run,
      String provider,
      String model,
      long inputTokens,
      long maxOutputTokens,
      long startNanos) {
    if (budget == null) {
      return; // the estimate serves the guard only
    }
    CatalogPricer.Compiled compiled = run.compiled(provider, model);
    if (compiled != null && compiled.unpriced()) {
      checkBudget(run, 0, 0);
      return;
    }
    CatalogPricer.LongRates rates =
        compiled == null ? null : compiled.rates(inputTokens, startNanos);
    if (rates != null) {
      long unscaled = rates.unscaled(inputTokens, 0, 0, 0, maxOutputTokens, 0);
      if (unscaled >= 0) {
        checkBudget(run, rates.isStorable(unscaled) ? unscaled : 0, rates.priceScale());
        return;
      }
    }
    BigDecimal price =
        price(
            provider, model, new Usage(true, inputTokens, maxOutputTokens, 0, 0, 0, 0), startNanos);
    refuseOn(
        run,
        budget.overrun(
            run.traceId(), run.conversationId(), price == null ? BigDecimal.ZERO : price));
  }

  private void refuseOn(AgentRun run, Optional<BudgetGuard.Overrun> overrun) {
    if (overrun.isEmpty() || budget == null) {
      return;
    }
    run.markBudgetExceeded(overrun.get());
    budget.notifyExceeded(overrun.get());
    if (budget.throwsWhenExceeded()) {
      throw new BudgetExceededException(overrun.get());
    }
  }

  /**
   * The model's compiled prices (see {@link Pricer#compiled}), or null: then {@link #price} prices
   * its calls. A pricer that fails is logged once, and the call is left to {@link #price}.
   */
  CatalogPricer.@Nullable Compiled compiled(String provider, String model) {
    try {
      return pricer.compiled(provider, model);
    } catch (RuntimeException e) {
      Misuse.failed("pricing a model call", e);
      return null;
    }
  }

  /** A call's price, or null when unpriced or when pricing failed (logged once). */
  @Nullable BigDecimal price(String provider, String model, Usage usage, long startNanos) {
    try {
      return pricer.price(provider, model, usage, startNanos);
    } catch (RuntimeException e) {
      Misuse.failed("pricing a model call", e);
      return null;
    }
  }

  /** After a priced model call: adds its price to the chain's and conversation's spend. */
  void spent(AgentRun run, BigDecimal amount) {
    if (budget != null) {
      budget.add(run.traceId(), run.conversationId(), amount);
    }
  }

  /** {@link #spent(AgentRun, BigDecimal)} of {@code amount × 10^-scale}. */
  void spent(AgentRun run, long amount, int scale) {
    if (budget != null) {
      budget.add(run.traceId(), run.conversationId(), amount, scale);
    }
  }

  void chainEnded(String traceId) {
    if (budget != null) {
      budget.forgetChain(traceId);
    }
  }

  /** A null where a value is needed at run time: reported once, replaced by {@code fallback}. */
  static String nonNull(@Nullable String value, String where, String fallback) {
    if (value == null) {
      Misuse.report(where + " was given null", "using '" + fallback + "'");
      return fallback;
    }
    return value;
  }

  /** How an {@link AgentLedger} is made. */
  public static final class Builder {
    // Not OpenTelemetry.noop() itself: that is what a caller passes to record nothing on purpose.
    private OpenTelemetry openTelemetry = NOTHING_GIVEN;
    private @Nullable SdkTracerProvider ownedProvider;
    private @Nullable PriceCatalog prices;
    private @Nullable Pricer pricer;
    private List<LongSupplier> drops = List.of();
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
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
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
      this.ownedProvider = Objects.requireNonNull(provider, "provider");
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
     * Prices model calls ({@link ModelCall#costUsd()}, the budget guard) with this catalog: the
     * project's overrides ({@link ProjectPrices#fetch}) or negotiated rates. The bundled catalog by
     * default.
     *
     * @param catalog the prices
     * @return this builder
     */
    public Builder prices(PriceCatalog catalog) {
      this.prices = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /** Replaces pricing (tests make it fail). */
    Builder pricer(Pricer pricer) {
      this.pricer = pricer;
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

  /** The builder's default: records nothing, and the ledger says so. */
  private static final OpenTelemetry NOTHING_GIVEN =
      new OpenTelemetry() {
        @Override
        public io.opentelemetry.api.trace.TracerProvider getTracerProvider() {
          return TracerProvider.noop();
        }

        @Override
        public io.opentelemetry.context.propagation.ContextPropagators getPropagators() {
          return io.opentelemetry.context.propagation.ContextPropagators.noop();
        }
      };

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

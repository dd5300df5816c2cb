package io.agentledger.instrumentation;

import io.agentledger.core.span.Usage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
  private final Clock clock = Clock.getDefault();

  private AgentLedger(Builder b) {
    this.tracer = b.openTelemetry.getTracer(SCOPE, version());
    this.budget = b.budget;
    this.captureContent = b.captureContent;
    this.ownedProvider = b.ownedProvider;
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
   * Set up from the environment. Respects the standard {@code OTEL_SERVICE_NAME}, {@code
   * OTEL_RESOURCE_ATTRIBUTES}, {@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code
   * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} and {@code OTEL_EXPORTER_OTLP_HEADERS}, and reads:
   *
   * <ul>
   *   <li>{@code AGENTLEDGER_EXPORTER}: {@code otlp} (default) or {@code kafka};
   *   <li>{@code AGENTLEDGER_API_KEY}: sent as {@code Authorization: Bearer} over OTLP;
   *   <li>{@code AGENTLEDGER_KAFKA_BOOTSTRAP}, {@code AGENTLEDGER_PROJECT}: for the Kafka exporter;
   *   <li>{@code AGENTLEDGER_BUDGET_USD}: a budget per chain;
   *   <li>{@code AGENTLEDGER_CAPTURE_CONTENT}: {@code true} records prompts and completions.
   * </ul>
   *
   * @return a ledger configured from the process environment
   */
  public static AgentLedger fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * {@link #fromEnvironment()} over the given variables (for tests and embedding).
   *
   * @param env the variables to read instead of the process environment
   * @return a ledger configured from {@code env}
   */
  public static AgentLedger fromEnvironment(Map<String, String> env) {
    String exporterKind =
        env.getOrDefault("AGENTLEDGER_EXPORTER", "otlp").trim().toLowerCase(Locale.ROOT);
    SpanExporter exporter =
        switch (exporterKind) {
          case "otlp" -> otlpExporter(env);
          case "kafka" ->
              KafkaSpanExporter.builder(
                      required(env, "AGENTLEDGER_KAFKA_BOOTSTRAP", "the kafka exporter"))
                  .project(env.getOrDefault("AGENTLEDGER_PROJECT", "default"))
                  .build();
          default ->
              throw new IllegalArgumentException(
                  "AGENTLEDGER_EXPORTER must be otlp or kafka, got '" + exporterKind + "'");
        };
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(resource(env))
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build();
    Builder b = builder().tracerProvider(provider);
    String budget = env.get("AGENTLEDGER_BUDGET_USD");
    if (budget != null && !budget.isBlank()) {
      b.budget(BudgetGuard.perChain(new BigDecimal(budget.trim())));
    }
    b.captureContent(
        Boolean.parseBoolean(env.getOrDefault("AGENTLEDGER_CAPTURE_CONTENT", "false")));
    return b.build();
  }

  private static SpanExporter otlpExporter(Map<String, String> env) {
    String endpoint = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    if (endpoint == null || endpoint.isBlank()) {
      String base = env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318");
      endpoint = base.replaceAll("/+$", "") + "/v1/traces";
    }
    OtlpHttpSpanExporterBuilder b =
        OtlpHttpSpanExporter.builder().setEndpoint(endpoint).setCompression("gzip");
    String headers = env.get("OTEL_EXPORTER_OTLP_TRACES_HEADERS");
    if (headers == null) {
      headers = env.get("OTEL_EXPORTER_OTLP_HEADERS");
    }
    keyValuePairs(headers).forEach(b::addHeader);
    String key = env.get("AGENTLEDGER_API_KEY");
    if (key != null && !key.isBlank()) {
      b.addHeader("Authorization", "Bearer " + key.trim());
    }
    return b.build();
  }

  private static Resource resource(Map<String, String> env) {
    AttributesBuilder attributes = Attributes.builder();
    keyValuePairs(env.get("OTEL_RESOURCE_ATTRIBUTES")).forEach(attributes::put);
    String service = env.get("OTEL_SERVICE_NAME");
    if (service != null && !service.isBlank()) {
      attributes.put("service.name", service.trim());
    }
    return Resource.getDefault().merge(Resource.create(attributes.build()));
  }

  /** The OTel environment's {@code k=v,k2=v2} lists; values are URL-encoded (W3C baggage style). */
  private static Map<String, String> keyValuePairs(@Nullable String list) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    if (list == null) {
      return out;
    }
    for (String pair : list.split(",", -1)) { // empty pairs are skipped below
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            pair.substring(0, eq).trim(),
            URLDecoder.decode(pair.substring(eq + 1).trim(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static String required(Map<String, String> env, String name, String forWhat) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " is required for " + forWhat);
    }
    return v.trim();
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

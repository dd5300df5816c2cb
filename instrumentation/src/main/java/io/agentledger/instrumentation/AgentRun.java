package io.agentledger.instrumentation;

import com.google.errorprone.annotations.MustBeClosed;
import io.agentledger.core.pricing.TokenEstimator;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One invocation of an agent: an {@code invoke_agent} span. Model calls, tool calls, retrievals,
 * decisions, approvals and hand-offs to other agents are recorded through it, as its children or
 * events, from any thread. Close it (try-with-resources) when the agent is done.
 *
 * <pre>{@code
 * try (AgentRun planner = ledger.agent("planner").conversation(sessionId).start()) {
 *   try (ModelCall call = planner.modelCall("openai", "gpt-4o-mini")) {
 *     ... call the model ...
 *     call.usage(1200, 150).finishReasons("stop");
 *   }
 *   try (AgentRun researcher = planner.handoff("researcher")) { ... }
 * }
 * }</pre>
 */
public final class AgentRun implements AutoCloseable {

  static final ContextKey<AgentRun> KEY = ContextKey.named("agentledger-agent-run");

  private final AgentLedger ledger;
  private final @Nullable AgentRun parent;
  private final String name;
  private final @Nullable String version;
  private final @Nullable String conversationId;
  private final @Nullable String userId;
  private final Span span;
  private final Context context;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final DecimalSum costUsd = new DecimalSum(false); // guarded by itself

  /** The last model span's name, built once for an agent that calls the same model again. */
  private record SpanName(String operation, String model, String name) {}

  private volatile @Nullable SpanName lastSpanName;

  /** The last model's compiled prices, looked up once for an agent that calls it again. */
  private record Prices(String provider, String model, CatalogPricer.Compiled compiled) {}

  private volatile @Nullable Prices lastPrices;

  AgentRun(
      AgentLedger ledger,
      @Nullable AgentRun parent,
      Context parentContext,
      String name,
      @Nullable String id,
      @Nullable String version,
      @Nullable String description,
      @Nullable String conversationId,
      @Nullable String userId) {
    this.ledger = ledger;
    this.parent = parent;
    this.name = name;
    this.version = version;
    this.conversationId = conversationId;
    this.userId = userId;
    var builder =
        ledger
            .tracer()
            .spanBuilder("invoke_agent " + name)
            .setParent(parentContext)
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(Keys.OPERATION, "invoke_agent")
            .setAttribute(Keys.AGENT_NAME, name);
    if (id != null) {
      builder.setAttribute(Keys.AGENT_ID, id);
    }
    if (version != null) {
      builder.setAttribute(Keys.AGENT_VERSION, version);
    }
    if (description != null) {
      builder.setAttribute(Keys.AGENT_DESCRIPTION, description);
    }
    if (conversationId != null) {
      builder.setAttribute(Keys.CONVERSATION_ID, conversationId);
    }
    if (userId != null) {
      builder.setAttribute(Keys.USER_ID, userId);
    }
    this.span = builder.startSpan();
    this.context = parentContext.with(span).with(KEY, this);
  }

  /**
   * Starts a model call ({@code chat}) by this agent.
   *
   * @param provider the provider, e.g. {@code openai}
   * @param model the requested model
   * @return the call; close it when the response has arrived
   */
  public ModelCall modelCall(String provider, String model) {
    return new ModelCall(this, "chat", provider, model, -1, -1);
  }

  /**
   * Starts a model call whose size is known before it is made, so a budget guard can refuse it
   * before it is made when its largest possible price (prompt tokens at the input price plus {@code
   * maxOutputTokens} at the output price, no cache discount) would cross the chain's or the
   * conversation's budget. Also records {@code gen_ai.request.max_tokens}.
   *
   * @param provider the provider, e.g. {@code openai}
   * @param model the requested model
   * @param inputTokens the prompt's token count (your tokenizer's, or the provider's count API)
   * @param maxOutputTokens the {@code max_tokens} the request sets
   * @return the call; close it when the response has arrived
   * @throws BudgetExceededException when a budget guard refuses the call (unless {@link
   *     BudgetGuard#callbackOnly()})
   */
  public ModelCall modelCall(
      String provider, String model, long inputTokens, long maxOutputTokens) {
    return new ModelCall(this, "chat", provider, model, inputTokens, maxOutputTokens);
  }

  /**
   * {@link #modelCall(String, String, long, long)} with the prompt's tokens counted from its text
   * (an OpenAI tokenizer; for other providers a close estimate).
   *
   * @param provider the provider, e.g. {@code openai}
   * @param model the requested model
   * @param promptText the whole prompt as text
   * @param maxOutputTokens the {@code max_tokens} the request sets
   * @return the call; close it when the response has arrived
   * @throws BudgetExceededException when a budget guard refuses the call (unless {@link
   *     BudgetGuard#callbackOnly()})
   */
  public ModelCall modelCall(
      String provider, String model, String promptText, long maxOutputTokens) {
    long tokens;
    try {
      tokens =
          TokenEstimator.estimate(model, promptText == null ? "" : promptText, "").inputTokens();
    } catch (RuntimeException e) {
      Misuse.failed("counting a prompt's tokens", e);
      tokens = 0;
    }
    return modelCall(provider, model, tokens, maxOutputTokens);
  }

  /**
   * Starts an embeddings call by this agent.
   *
   * @param provider the provider, e.g. {@code openai}
   * @param model the requested model
   * @return the call; close it when the response has arrived
   */
  public ModelCall embeddings(String provider, String model) {
    return new ModelCall(this, "embeddings", provider, model, -1, -1);
  }

  /**
   * Starts a tool call by this agent.
   *
   * @param toolName the tool's name ({@code gen_ai.tool.name})
   * @return the call; close it when the tool has returned
   */
  public ToolCall tool(String toolName) {
    return new ToolCall(this, toolName);
  }

  /**
   * Starts a retrieval from a data source (a vector store, a search index).
   *
   * @param dataSourceId the data source's id ({@code gen_ai.data_source.id})
   * @return the retrieval; close it when the results have arrived
   */
  public Retrieval retrieval(String dataSourceId) {
    return new Retrieval(this, dataSourceId);
  }

  /**
   * Asks a human to approve {@code action}; the agent waits until it is approved or denied.
   *
   * @param action what the human is asked to approve
   * @return the approval; answer or close it
   */
  public Approval requestApproval(String action) {
    return new Approval(this, action);
  }

  /**
   * Hands the work to another agent: starts its run as a child of this one, with the same
   * conversation and user, and records the hand-off on this agent.
   *
   * @param agentName the name of the agent taking over
   * @return the other agent's run; close it when that agent is done
   */
  public AgentRun handoff(String agentName) {
    return handoff(agentName, null);
  }

  /**
   * Hands the work to a given version of another agent: its run carries {@code
   * gen_ai.agent.version}, and the hand-off event {@code agentledger.handoff.to_version}, so costs
   * and paths split by the version that took over.
   *
   * @param agentName the name of the agent taking over
   * @param version that agent's version, or null when unknown
   * @return the other agent's run; close it when that agent is done
   */
  public AgentRun handoff(String agentName, @Nullable String version) {
    String to = AgentLedger.nonNull(agentName, "handoff(agentName)", "unnamed");
    var event = Attributes.builder().put(Keys.HANDOFF_TO, to);
    if (version != null) {
      event.put(Keys.HANDOFF_TO_VERSION, version);
    }
    span.addEvent(Keys.HANDOFF_EVENT, event.build());
    AgentLedger.AgentBuilder next = ledger.agent(to).parent(this);
    if (version != null) {
      next.version(version);
    }
    return next.start();
  }

  /**
   * Records a decision: the options the agent considered, the one it chose and why, so the chain's
   * decision tree can show why this path was taken. As event {@code agentledger.decision} with
   * {@code agentledger.decision.name}, {@code .options}, {@code .chosen}, {@code .reason} and
   * {@code .score}.
   *
   * @param decision what was decided, e.g. {@code route}
   * @param options the options considered
   * @param chosen the option taken
   * @param reason why it was taken, or null
   * @param score the chosen option's score, or null
   * @return this run
   */
  public AgentRun decision(
      String decision,
      List<String> options,
      String chosen,
      @Nullable String reason,
      @Nullable Double score) {
    List<String> considered = new ArrayList<>();
    if (options != null) {
      options.forEach(o -> considered.add(String.valueOf(o)));
    }
    var attributes =
        Attributes.builder()
            .put(
                Keys.DECISION_NAME, AgentLedger.nonNull(decision, "decision(decision)", "decision"))
            .put(Keys.DECISION_OPTIONS, considered)
            .put(Keys.DECISION_CHOSEN, AgentLedger.nonNull(chosen, "decision(chosen)", ""));
    if (reason != null) {
      attributes.put(Keys.DECISION_REASON, reason);
    }
    if (score != null) {
      attributes.put(Keys.DECISION_SCORE, score);
    }
    span.addEvent(Keys.DECISION_EVENT, attributes.build());
    return this;
  }

  /**
   * Marks the run failed (status error, {@code error.type}).
   *
   * @param error what went wrong
   * @return this run
   */
  public AgentRun fail(Throwable error) {
    Keys.fail(span, error);
    return this;
  }

  /**
   * Adds an attribute of your own to the run's span (a tenant, a feature flag, a ticket number).
   * Keys of the GenAI conventions set by the library can be overwritten: take care.
   *
   * @param key the attribute's key
   * @param value its value; null is ignored
   * @return this run
   */
  public AgentRun attribute(String key, @Nullable String value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * Adds a numeric attribute of your own to the run's span.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this run
   */
  public AgentRun attribute(String key, long value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * Adds a numeric attribute of your own to the run's span.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this run
   */
  public AgentRun attribute(String key, double value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * Adds a boolean attribute of your own to the run's span.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this run
   */
  public AgentRun attribute(String key, boolean value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * The run's OpenTelemetry span, for what this API does not cover (events, links, other attribute
   * types). End it only through {@link #close()}.
   *
   * @return the span
   */
  public Span span() {
    return span;
  }

  /**
   * What the priced model calls of this run and of the agents it handed off to have cost so far, at
   * the ledger's prices (the bundled catalog unless configured otherwise): the chain's cost on the
   * root run. Calls of models the catalog does not price add nothing.
   *
   * @return the amount in USD
   */
  public BigDecimal costUsd() {
    synchronized (costUsd) {
      return costUsd.stripped();
    }
  }

  /** Adds a call's price, {@code amount × 10^-scale}, to this run and every run above it. */
  void addCost(long amount, int scale) {
    for (AgentRun r = this; r != null; r = r.parent) {
      synchronized (r.costUsd) {
        r.costUsd.add(amount, scale);
      }
    }
  }

  /** Adds a price core's arithmetic computed to this run and every run above it. */
  void addCost(BigDecimal amount) {
    for (AgentRun r = this; r != null; r = r.parent) {
      synchronized (r.costUsd) {
        r.costUsd.add(amount);
      }
    }
  }

  /** A refused call: the run and the chain's root say why the chain stopped. */
  void markBudgetExceeded(BudgetGuard.Overrun overrun) {
    Attributes event =
        Attributes.builder()
            .put(Keys.BUDGET_SCOPE, overrun.scope())
            .put(Keys.BUDGET_ID, overrun.id())
            .put(Keys.BUDGET_USD, overrun.budgetUsd().doubleValue())
            .put(Keys.BUDGET_SPENT_USD, overrun.spentUsd().doubleValue())
            .put(Keys.BUDGET_CALL_ESTIMATE_USD, overrun.callEstimateUsd().doubleValue())
            .build();
    AgentRun root = this;
    while (root.parent != null) {
      root = root.parent;
    }
    for (AgentRun r : root == this ? List.of(this) : List.of(this, root)) {
      r.span.addEvent(Keys.BUDGET_EXCEEDED_EVENT, event);
      r.span.setStatus(StatusCode.ERROR, "budget exceeded: " + overrun);
    }
  }

  /**
   * Makes this run current on the calling thread, so that agents started with {@link
   * AgentLedger#agent} and spans of other instrumentations nest under it. Close the scope on the
   * same thread.
   *
   * @return the scope to close
   */
  @MustBeClosed
  public Scope makeCurrent() {
    return context.makeCurrent();
  }

  /**
   * The OpenTelemetry context holding this run, to carry it to other threads: {@code
   * run.context().wrap(task)}, or {@code Context.taskWrapping(executor)} after {@link
   * #makeCurrent}.
   *
   * @return the context
   */
  public Context context() {
    return context;
  }

  /**
   * The agent's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The chain's trace id, as lower-case hex.
   *
   * @return the trace id
   */
  public String traceId() {
    return span.getSpanContext().getTraceId();
  }

  /**
   * This run's span id, as lower-case hex.
   *
   * @return the span id
   */
  public String spanId() {
    return span.getSpanContext().getSpanId();
  }

  /** {@code "{operation} {model}"}, the name of a model call's span. */
  String spanName(String operation, String model) {
    SpanName last = lastSpanName;
    if (last != null && last.model().equals(model) && last.operation().equals(operation)) {
      return last.name();
    }
    last = new SpanName(operation, model, operation + " " + model);
    lastSpanName = last;
    return last.name();
  }

  /** The ledger's compiled prices of the model, or null when its pricer has none. */
  CatalogPricer.@Nullable Compiled compiled(String provider, String model) {
    Prices last = lastPrices;
    if (last != null && last.model().equals(model) && last.provider().equals(provider)) {
      return last.compiled();
    }
    CatalogPricer.Compiled compiled = ledger.compiled(provider, model);
    if (compiled != null) {
      lastPrices = new Prices(provider, model, compiled);
    }
    return compiled;
  }

  @Nullable String version() {
    return version;
  }

  @Nullable String conversationId() {
    return conversationId;
  }

  @Nullable String userId() {
    return userId;
  }

  AgentLedger ledger() {
    return ledger;
  }

  /** Ends the run; only the first call does anything. */
  @Override
  public void close() {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    span.end();
    if (parent == null) {
      ledger.chainEnded(traceId());
    }
  }
}

package io.agentledger.instrumentation;

import com.google.errorprone.annotations.MustBeClosed;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Objects;
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
    return new ModelCall(this, "chat", provider, model);
  }

  /**
   * Starts an embeddings call by this agent.
   *
   * @param provider the provider, e.g. {@code openai}
   * @param model the requested model
   * @return the call; close it when the response has arrived
   */
  public ModelCall embeddings(String provider, String model) {
    return new ModelCall(this, "embeddings", provider, model);
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
    span.addEvent(Keys.HANDOFF_EVENT, Attributes.of(Keys.HANDOFF_TO, agentName));
    return ledger.agent(agentName).parent(this).start();
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
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(chosen, "chosen");
    var attributes =
        Attributes.builder()
            .put(Keys.DECISION_NAME, decision)
            .put(Keys.DECISION_OPTIONS, List.copyOf(options))
            .put(Keys.DECISION_CHOSEN, chosen);
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

  /** Ends the run. */
  @Override
  public void close() {
    span.end();
    if (parent == null) {
      ledger.chainEnded(traceId());
    }
  }
}

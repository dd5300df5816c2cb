package io.agentledger.instrumentation;

import io.agentledger.core.span.Usage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One call to a model ({@code chat} or {@code embeddings}), as a CLIENT span named {@code
 * "{operation} {model}"} with the GenAI attributes. Report the usage the provider returned before
 * closing it. Prompts and completions are recorded only when content capture is on.
 *
 * <p>Token counts follow the OpenTelemetry GenAI conventions: {@code input} includes cached tokens
 * (read or written), {@code output} includes reasoning tokens. For Anthropic, whose API reports
 * input without the cache, pass {@code input_tokens + cache_read_input_tokens +
 * cache_creation_input_tokens}.
 */
public final class ModelCall implements AutoCloseable {

  private final AgentRun run;
  private final String provider;
  private final String model;

  /** Start of the call, to pick the price period; {@link #UNREAD} when no period depends on it. */
  private long startNanos;

  private static final long UNREAD = Long.MIN_VALUE;
  private final Span span;
  private @Nullable String responseModel;
  private long input = -1;
  private long output = -1;
  private long cacheRead;
  private long cacheWrite;
  private long reasoning;
  // The price of the usage so far, once priced: a long at the rates' scale (costRates set), or
  // core's BigDecimal (costBig set alone), or neither (unpriced). The BigDecimal of a long price is
  // made when it is read. Guarded by this call's lock, like the usage.
  private boolean priced;
  private CatalogPricer.@Nullable LongRates costRates;
  private long costUnscaled;
  private @Nullable BigDecimal costBig;
  private @Nullable List<ToolChoice> toolChoices; // guarded by this call's lock
  private boolean finishReasonsSet;
  private boolean outputMessagesSet;
  private boolean ended; // guarded by this call's lock

  /**
   * Starts the span once the budget allows the call.
   *
   * @param inputTokens the prompt's size for the budget's estimate, or -1 when unknown
   * @param maxOutputTokens the request's {@code max_tokens}, or -1 when unknown
   */
  ModelCall(
      AgentRun run,
      String operation,
      String provider,
      String model,
      long inputTokens,
      long maxOutputTokens) {
    AgentLedger ledger = run.ledger();
    provider = AgentLedger.nonNull(provider, "modelCall(provider)", "unknown");
    model = AgentLedger.nonNull(model, "modelCall(model)", "unknown");
    // Only for pricing and the estimate (the price in force that day: milliseconds are plenty),
    // so read only when the model has more than one price period: a clock read is a tenth of the
    // span's cost. Not set on the span: the SDK times a child span from its parent's clock anchor,
    // and mixing in a wall-clock start could end a short span before it started.
    CatalogPricer.Compiled requested = run.compiled(provider, model);
    this.startNanos =
        requested == null || requested.pricedByDay() ? ledger.clock().now(false) : UNREAD;
    if (inputTokens >= 0 && maxOutputTokens >= 0) {
      ledger.checkBudget(run, provider, model, inputTokens, maxOutputTokens, startNanos);
    } else {
      if (inputTokens != -1 || maxOutputTokens != -1) {
        Misuse.report(
            "modelCall(provider, model, inputTokens, maxOutputTokens) was given a negative count",
            inputTokens + ", " + maxOutputTokens + "; no estimate");
      }
      ledger.checkBudget(run, 0, 0);
    }
    this.run = run;
    this.provider = provider;
    this.model = model;
    var b =
        ledger
            .tracer()
            .spanBuilder(run.spanName(operation, model))
            .setParent(run.context())
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(Keys.OPERATION, operation)
            .setAttribute(Keys.PROVIDER, provider)
            .setAttribute(Keys.REQUEST_MODEL, model)
            .setAttribute(Keys.AGENT_NAME, run.name());
    if (run.version() != null) {
      b.setAttribute(Keys.AGENT_VERSION, run.version());
    }
    if (run.conversationId() != null) {
      b.setAttribute(Keys.CONVERSATION_ID, run.conversationId());
    }
    if (run.userId() != null) {
      b.setAttribute(Keys.USER_ID, run.userId());
    }
    if (maxOutputTokens >= 0) {
      b.setAttribute(Keys.MAX_TOKENS, maxOutputTokens);
    }
    this.span = b.startSpan();
  }

  /**
   * Input and output tokens as the provider reported them.
   *
   * @param inputTokens input tokens, including cached ones
   * @param outputTokens output tokens, including reasoning ones
   * @return this call
   */
  public ModelCall usage(long inputTokens, long outputTokens) {
    if (isCount(inputTokens, "usage(inputTokens, outputTokens)")
        && isCount(outputTokens, "usage(inputTokens, outputTokens)")) {
      synchronized (this) {
        this.input = inputTokens;
        this.output = outputTokens;
        priced = false;
      }
    }
    return this;
  }

  /**
   * Input tokens read from the provider's prompt cache (a subset of the input).
   *
   * @param tokens the cached input tokens
   * @return this call
   */
  public ModelCall cacheRead(long tokens) {
    if (isCount(tokens, "cacheRead(tokens)")) {
      synchronized (this) {
        this.cacheRead = tokens;
        priced = false;
      }
    }
    return this;
  }

  /**
   * Input tokens written to the provider's prompt cache (a subset of the input).
   *
   * @param tokens the input tokens written to the cache
   * @return this call
   */
  public ModelCall cacheWrite(long tokens) {
    if (isCount(tokens, "cacheWrite(tokens)")) {
      synchronized (this) {
        this.cacheWrite = tokens;
        priced = false;
      }
    }
    return this;
  }

  /**
   * Output tokens spent on reasoning (a subset of the output).
   *
   * @param tokens the reasoning tokens
   * @return this call
   */
  public ModelCall reasoning(long tokens) {
    if (isCount(tokens, "reasoning(tokens)")) {
      synchronized (this) {
        this.reasoning = tokens;
        priced = false;
      }
    }
    return this;
  }

  /**
   * The model that answered, when it differs from the one requested; it is priced.
   *
   * @param model the response model
   * @return this call
   */
  public ModelCall responseModel(String model) {
    if (model == null) {
      Misuse.report("responseModel(model) was given null", "ignored");
      return this;
    }
    synchronized (this) {
      this.responseModel = model;
      priced = false;
      if (startNanos == UNREAD) {
        // The requested model's price did not depend on the day; the answering model's may: its
        // day is taken now (the same day as the call's start unless the call spans midnight UTC).
        startNanos = run.ledger().clock().now(false);
      }
    }
    span.setAttribute(Keys.RESPONSE_MODEL, model);
    return this;
  }

  /**
   * The provider's id for the response ({@code gen_ai.response.id}).
   *
   * @param id the response id
   * @return this call
   */
  public ModelCall responseId(String id) {
    span.setAttribute(Keys.RESPONSE_ID, id);
    return this;
  }

  /**
   * Why the model stopped ({@code gen_ai.response.finish_reasons}).
   *
   * @param reasons the finish reasons
   * @return this call
   */
  public ModelCall finishReasons(String... reasons) {
    List<String> list;
    if (reasons != null && reasons.length == 1) {
      list = List.of(String.valueOf(reasons[0])); // the usual case, without a copy to grow
    } else {
      list = new ArrayList<>();
      if (reasons != null) {
        for (String r : reasons) {
          list.add(String.valueOf(r));
        }
      }
    }
    span.setAttribute(Keys.FINISH_REASONS, list);
    finishReasonsSet = true;
    return this;
  }

  /**
   * A tool the model chose to call: a {@code tool_call} part of its answer. The call's tool calls
   * are written, when it ends, as one assistant message in {@code gen_ai.output.messages} (finish
   * reason {@code tool_call}), and {@code gen_ai.response.finish_reasons} is {@code ["tool_calls"]}
   * unless {@link #finishReasons} said otherwise. The id and the name are the agent's control flow,
   * not user data, so they are recorded always; the arguments only with content capture on ({@code
   * null} otherwise). Give the same id to the {@link ToolCall} that runs it ({@link
   * ToolCall#callId}) so the two can be matched.
   *
   * @param id the id the model gave the call ({@code call_…}, {@code toolu_…})
   * @param name the tool's name
   * @param argumentsJson the arguments as JSON (kept as a string when not valid JSON)
   * @return this call
   */
  public ModelCall toolCall(String id, String name, String argumentsJson) {
    if (id == null || name == null) {
      Misuse.report("toolCall(id, name, arguments) was given a null id or name", id + ", " + name);
      return this;
    }
    ToolChoice choice =
        new ToolChoice(id, name, run.ledger().capturesContent() ? argumentsJson : null);
    synchronized (this) {
      if (toolChoices == null) {
        toolChoices = new ArrayList<>();
      }
      toolChoices.add(choice);
    }
    return this;
  }

  /**
   * The requested temperature ({@code gen_ai.request.temperature}).
   *
   * @param temperature the temperature
   * @return this call
   */
  public ModelCall temperature(double temperature) {
    span.setAttribute(Keys.TEMPERATURE, temperature);
    return this;
  }

  /**
   * The requested output limit ({@code gen_ai.request.max_tokens}).
   *
   * @param maxTokens the limit
   * @return this call
   */
  public ModelCall maxTokens(long maxTokens) {
    span.setAttribute(Keys.MAX_TOKENS, maxTokens);
    return this;
  }

  /**
   * The messages sent ({@code gen_ai.input.messages}, JSON); recorded only with content capture on.
   *
   * @param json the messages as JSON
   * @return this call
   */
  public ModelCall inputMessages(String json) {
    if (run.ledger().capturesContent()) {
      span.setAttribute(Keys.INPUT_MESSAGES, json);
    }
    return this;
  }

  /**
   * The messages received ({@code gen_ai.output.messages}, JSON); only with content capture on.
   *
   * @param json the messages as JSON
   * @return this call
   */
  public ModelCall outputMessages(String json) {
    if (run.ledger().capturesContent()) {
      span.setAttribute(Keys.OUTPUT_MESSAGES, json);
      outputMessagesSet = true; // the whole answer: more than the tool calls alone
    }
    return this;
  }

  /**
   * Marks the call failed (the provider answered an error, or it timed out).
   *
   * @param error what went wrong
   * @return this call
   */
  public ModelCall fail(Throwable error) {
    Keys.fail(span, error);
    return this;
  }

  /**
   * Adds an attribute of your own to the call's span.
   *
   * @param key the attribute's key
   * @param value its value; null is ignored
   * @return this call
   */
  public ModelCall attribute(String key, @Nullable String value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * Adds a numeric attribute of your own to the call's span.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this call
   */
  public ModelCall attribute(String key, long value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * Adds a numeric attribute of your own to the call's span.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this call
   */
  public ModelCall attribute(String key, double value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * Adds a boolean attribute of your own to the call's span.
   *
   * @param key the attribute's key
   * @param value its value
   * @return this call
   */
  public ModelCall attribute(String key, boolean value) {
    Keys.attribute(span, key, value);
    return this;
  }

  /**
   * The call's OpenTelemetry span, for what this API does not cover. End it only through {@link
   * #close()}.
   *
   * @return the span
   */
  public Span span() {
    return span;
  }

  /**
   * The call's price at the ledger's prices (the bundled catalog unless {@link
   * AgentLedger.Builder#prices} says otherwise), from the usage reported so far: available as soon
   * as {@link #usage} is set, with or without a budget guard. Empty before the usage is known and
   * for a model the catalog does not price.
   *
   * @return the price in USD
   */
  public synchronized Optional<BigDecimal> costUsd() {
    if (!priced && input >= 0) {
      price();
    }
    if (costBig == null && costRates != null) {
      costBig = costRates.toBigDecimal(costUnscaled);
    }
    return Optional.ofNullable(costBig);
  }

  /**
   * Prices the usage reported so far; the caller holds this call's lock and has seen input set.
   * With the model's integer rates the price stays a long until read; linear in the token counts,
   * so the run and the budget sum it exactly without a BigDecimal per call.
   */
  private void price() {
    String pricedModel = responseModel != null ? responseModel : model;
    long cacheReadTokens = Math.min(cacheRead, input);
    long cacheWriteTokens = Math.min(cacheWrite, Math.max(0, input - cacheRead));
    long reasoningTokens = Math.min(reasoning, output);
    AgentLedger ledger = run.ledger();
    CatalogPricer.Compiled compiled = run.compiled(provider, pricedModel);
    costRates = null;
    costBig = null;
    if (compiled != null && compiled.unpriced()) {
      this.priced = true;
      return;
    }
    CatalogPricer.LongRates rates = compiled == null ? null : compiled.rates(input, startNanos);
    long unscaled = -1;
    if (rates != null) {
      unscaled =
          rates.unscaled(
              input - cacheReadTokens - cacheWriteTokens,
              cacheReadTokens,
              cacheWriteTokens,
              0,
              output - reasoningTokens,
              reasoningTokens);
    }
    if (rates != null && unscaled >= 0) {
      if (rates.isStorable(unscaled)) {
        costRates = rates;
        costUnscaled = unscaled;
      }
    } else { // no integer rates, or a product beyond a long: core's arithmetic
      costBig =
          ledger.price(
              provider,
              pricedModel,
              new Usage(true, input, output, cacheReadTokens, cacheWriteTokens, 0, reasoningTokens),
              startNanos);
    }
    this.priced = true;
  }

  /**
   * Ends the call: writes the usage and adds its price to the run's cost and the budget. Only the
   * first call does anything; the span ends whatever fails.
   */
  @Override
  public void close() {
    long in;
    long out;
    long read;
    long write;
    long reasoned;
    @Nullable List<ToolChoice> tools;
    CatalogPricer.@Nullable LongRates rates;
    long unscaled;
    @Nullable BigDecimal big;
    synchronized (this) { // one lock for the end, the usage and its price
      if (ended) {
        return;
      }
      ended = true;
      if (!priced && input >= 0) {
        try {
          price();
        } catch (RuntimeException e) { // the span still ends, with its usage
          Misuse.failed("pricing a model call", e);
        }
      }
      in = input;
      out = output;
      read = cacheRead;
      write = cacheWrite;
      reasoned = reasoning;
      tools = toolChoices == null ? null : List.copyOf(toolChoices);
      rates = costRates;
      unscaled = costUnscaled;
      big = costBig;
    }
    try {
      if (tools != null) {
        writeToolChoices(tools);
      }
      if (in >= 0) {
        writeUsage(in, out, read, write, reasoned);
        if (rates != null) {
          run.addCost(unscaled, rates.priceScale());
          run.ledger().spent(run, unscaled, rates.priceScale());
        } else if (big != null) {
          run.addCost(big);
          run.ledger().spent(run, big);
        }
      }
    } catch (RuntimeException e) {
      Misuse.failed("recording a model call's usage and cost", e);
    } finally {
      span.end();
    }
  }

  private void writeToolChoices(List<ToolChoice> tools) {
    if (tools.isEmpty()) {
      return;
    }
    if (!outputMessagesSet) {
      span.setAttribute(Keys.OUTPUT_MESSAGES, ToolChoice.outputMessages(tools));
    }
    if (!finishReasonsSet) {
      span.setAttribute(Keys.FINISH_REASONS, List.of("tool_calls"));
    }
  }

  private void writeUsage(long in, long out, long read, long write, long reasoned) {
    span.setAttribute(Keys.INPUT_TOKENS, in);
    span.setAttribute(Keys.OUTPUT_TOKENS, out);
    if (read > 0) {
      span.setAttribute(Keys.CACHE_READ_TOKENS, read);
    }
    if (write > 0) {
      span.setAttribute(Keys.CACHE_WRITE_TOKENS, write);
    }
    if (reasoned > 0) {
      span.setAttribute(Keys.REASONING_TOKENS, reasoned);
    }
  }

  private static boolean isCount(long tokens, String where) {
    if (tokens < 0) {
      Misuse.report(where + " was given a negative token count", String.valueOf(tokens));
      return false;
    }
    return true;
  }
}

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
  private final long startNanos;
  private final Span span;
  private @Nullable String responseModel;
  private long input = -1;
  private long output = -1;
  private long cacheRead;
  private long cacheWrite;
  private long reasoning;
  private @Nullable BigDecimal costUsd;
  private final List<ToolChoice> toolChoices = new ArrayList<>();
  private boolean finishReasonsSet;
  private boolean outputMessagesSet;
  private boolean ended;

  ModelCall(AgentRun run, String operation, String provider, String model) {
    AgentLedger ledger = run.ledger();
    ledger.checkBudget(run);
    this.run = run;
    this.provider = provider;
    this.model = model;
    // Only for pricing (the price in force that day). Not set on the span: the SDK times a child
    // span from its parent's clock anchor, and mixing in a wall-clock start could end a short span
    // before it started.
    this.startNanos = ledger.clock().now();
    var b =
        ledger
            .tracer()
            .spanBuilder(operation + " " + model)
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
    this.input = requireCount(inputTokens);
    this.output = requireCount(outputTokens);
    return this;
  }

  /**
   * Input tokens read from the provider's prompt cache (a subset of the input).
   *
   * @param tokens the cached input tokens
   * @return this call
   */
  public ModelCall cacheRead(long tokens) {
    this.cacheRead = requireCount(tokens);
    return this;
  }

  /**
   * Input tokens written to the provider's prompt cache (a subset of the input).
   *
   * @param tokens the input tokens written to the cache
   * @return this call
   */
  public ModelCall cacheWrite(long tokens) {
    this.cacheWrite = requireCount(tokens);
    return this;
  }

  /**
   * Output tokens spent on reasoning (a subset of the output).
   *
   * @param tokens the reasoning tokens
   * @return this call
   */
  public ModelCall reasoning(long tokens) {
    this.reasoning = requireCount(tokens);
    return this;
  }

  /**
   * The model that answered, when it differs from the one requested; it is priced.
   *
   * @param model the response model
   * @return this call
   */
  public ModelCall responseModel(String model) {
    this.responseModel = model;
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
    span.setAttribute(Keys.FINISH_REASONS, List.of(reasons));
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
    toolChoices.add(
        new ToolChoice(id, name, run.ledger().capturesContent() ? argumentsJson : null));
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
   * The call's price at the bundled catalog's rates, once ended; empty when unpriced.
   *
   * @return the price in USD
   */
  public Optional<BigDecimal> costUsd() {
    return Optional.ofNullable(costUsd);
  }

  /** Ends the call: writes the usage and adds its price to the chain's running cost. */
  @Override
  public void close() {
    if (ended) {
      return;
    }
    ended = true;
    if (!toolChoices.isEmpty()) {
      if (!outputMessagesSet) {
        span.setAttribute(Keys.OUTPUT_MESSAGES, ToolChoice.outputMessages(toolChoices));
      }
      if (!finishReasonsSet) {
        span.setAttribute(Keys.FINISH_REASONS, List.of("tool_calls"));
      }
    }
    if (input >= 0) {
      span.setAttribute(Keys.INPUT_TOKENS, input);
      span.setAttribute(Keys.OUTPUT_TOKENS, output);
      if (cacheRead > 0) {
        span.setAttribute(Keys.CACHE_READ_TOKENS, cacheRead);
      }
      if (cacheWrite > 0) {
        span.setAttribute(Keys.CACHE_WRITE_TOKENS, cacheWrite);
      }
      if (reasoning > 0) {
        span.setAttribute(Keys.REASONING_TOKENS, reasoning);
      }
      Usage usage =
          new Usage(
              true,
              input,
              output,
              Math.min(cacheRead, input),
              Math.min(cacheWrite, Math.max(0, input - cacheRead)),
              0,
              Math.min(reasoning, output));
      costUsd =
          run.ledger()
              .recordCost(
                  run, provider, responseModel != null ? responseModel : model, usage, startNanos)
              .orElse(null);
    }
    span.end();
  }

  private static long requireCount(long tokens) {
    if (tokens < 0) {
      throw new IllegalArgumentException("token counts must not be negative: " + tokens);
    }
    return tokens;
  }
}

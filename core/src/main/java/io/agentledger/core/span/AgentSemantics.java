package io.agentledger.core.span;

import java.util.List;
import java.util.Objects;

/**
 * What a span means for an agent system, normalized from whichever convention the emitter used.
 * Absent strings are empty, never null.
 *
 * @param type the span's classification
 * @param operationName the GenAI operation ({@code chat}, {@code invoke_agent}, ...) when known
 * @param provider the normalized provider name ({@code openai}, {@code aws.bedrock}, ...)
 * @param requestModel the model asked for
 * @param responseModel the model that answered (used for pricing when present)
 */
public record AgentSemantics(
    SpanType type,
    String operationName,
    String agentName,
    String agentId,
    String agentVersion,
    String sessionId,
    String userId,
    String provider,
    String requestModel,
    String responseModel,
    String toolName,
    String toolCallId,
    List<String> finishReasons) {

  /** A plain span with no agent meaning. */
  public static final AgentSemantics NONE =
      new AgentSemantics(SpanType.OTHER, "", "", "", "", "", "", "", "", "", "", "", List.of());

  public AgentSemantics {
    Objects.requireNonNull(type, "type");
    operationName = orEmpty(operationName);
    agentName = orEmpty(agentName);
    agentId = orEmpty(agentId);
    agentVersion = orEmpty(agentVersion);
    sessionId = orEmpty(sessionId);
    userId = orEmpty(userId);
    provider = orEmpty(provider);
    requestModel = orEmpty(requestModel);
    responseModel = orEmpty(responseModel);
    toolName = orEmpty(toolName);
    toolCallId = orEmpty(toolCallId);
    finishReasons = finishReasons == null ? List.of() : List.copyOf(finishReasons);
  }

  /** The model to price and report: the response model when known, else the request model. */
  public String model() {
    return responseModel.isEmpty() ? requestModel : responseModel;
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}

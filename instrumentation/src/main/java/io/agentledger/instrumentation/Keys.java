package io.agentledger.instrumentation;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The attribute keys the library writes: the OpenTelemetry GenAI semantic conventions (current
 * keys, semantic-conventions main of 2026), plus AgentLedger's own for what the conventions do not
 * cover yet (decisions, approvals, hand-offs). Created once: building keys per call would cost the
 * agent time on every span.
 */
final class Keys {

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
  static final AttributeKey<List<String>> FINISH_REASONS =
      AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<Double> TEMPERATURE =
      AttributeKey.doubleKey("gen_ai.request.temperature");
  static final AttributeKey<Long> MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Long> CACHE_READ_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  static final AttributeKey<Long> CACHE_WRITE_TOKENS =
      AttributeKey.longKey("gen_ai.usage.cache_write.input_tokens");
  static final AttributeKey<Long> REASONING_TOKENS =
      AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens");
  static final AttributeKey<String> INPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.input.messages");
  static final AttributeKey<String> OUTPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.output.messages");

  static final AttributeKey<String> AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");
  static final AttributeKey<String> AGENT_ID = AttributeKey.stringKey("gen_ai.agent.id");
  static final AttributeKey<String> AGENT_VERSION = AttributeKey.stringKey("gen_ai.agent.version");
  static final AttributeKey<String> AGENT_DESCRIPTION =
      AttributeKey.stringKey("gen_ai.agent.description");
  static final AttributeKey<String> CONVERSATION_ID =
      AttributeKey.stringKey("gen_ai.conversation.id");
  static final AttributeKey<String> USER_ID = AttributeKey.stringKey("user.id");

  static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
  static final AttributeKey<String> TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
  static final AttributeKey<String> TOOL_TYPE = AttributeKey.stringKey("gen_ai.tool.type");
  static final AttributeKey<String> TOOL_ARGUMENTS =
      AttributeKey.stringKey("gen_ai.tool.call.arguments");
  static final AttributeKey<String> TOOL_RESULT = AttributeKey.stringKey("gen_ai.tool.call.result");

  static final AttributeKey<String> DATA_SOURCE = AttributeKey.stringKey("gen_ai.data_source.id");
  static final AttributeKey<Long> RETRIEVAL_TOP_K = AttributeKey.longKey("gen_ai.retrieval.top_k");
  static final AttributeKey<String> RETRIEVAL_QUERY =
      AttributeKey.stringKey("gen_ai.retrieval.query.text");
  static final AttributeKey<Long> RETRIEVAL_DOCUMENTS =
      AttributeKey.longKey("agentledger.retrieval.documents");

  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  static final String DECISION_EVENT = "agentledger.decision";
  static final AttributeKey<String> DECISION_NAME =
      AttributeKey.stringKey("agentledger.decision.name");
  static final AttributeKey<List<String>> DECISION_OPTIONS =
      AttributeKey.stringArrayKey("agentledger.decision.options");
  static final AttributeKey<String> DECISION_CHOSEN =
      AttributeKey.stringKey("agentledger.decision.chosen");
  static final AttributeKey<String> DECISION_REASON =
      AttributeKey.stringKey("agentledger.decision.reason");
  static final AttributeKey<Double> DECISION_SCORE =
      AttributeKey.doubleKey("agentledger.decision.score");

  static final String HANDOFF_EVENT = "agentledger.handoff";
  static final AttributeKey<String> HANDOFF_TO = AttributeKey.stringKey("agentledger.handoff.to");
  static final AttributeKey<String> HANDOFF_TO_VERSION =
      AttributeKey.stringKey("agentledger.handoff.to_version");

  static final String BUDGET_EXCEEDED_EVENT = "agentledger.budget.exceeded";
  static final AttributeKey<String> BUDGET_SCOPE =
      AttributeKey.stringKey("agentledger.budget.scope");
  static final AttributeKey<String> BUDGET_ID = AttributeKey.stringKey("agentledger.budget.id");
  static final AttributeKey<Double> BUDGET_USD = AttributeKey.doubleKey("agentledger.budget.usd");
  static final AttributeKey<Double> BUDGET_SPENT_USD =
      AttributeKey.doubleKey("agentledger.budget.spent_usd");
  static final AttributeKey<Double> BUDGET_CALL_ESTIMATE_USD =
      AttributeKey.doubleKey("agentledger.budget.call_estimate_usd");

  static final AttributeKey<String> APPROVAL_ACTION =
      AttributeKey.stringKey("agentledger.approval.action");
  static final AttributeKey<String> APPROVAL_STATUS =
      AttributeKey.stringKey("agentledger.approval.status");
  static final AttributeKey<String> APPROVAL_BY = AttributeKey.stringKey("agentledger.approval.by");
  static final AttributeKey<String> APPROVAL_REASON =
      AttributeKey.stringKey("agentledger.approval.reason");
  static final AttributeKey<Long> APPROVAL_WAIT_MS =
      AttributeKey.longKey("agentledger.approval.wait_ms");

  private Keys() {}

  /** A caller's own attribute; a null or empty key is reported once and ignored. */
  static void attribute(Span span, String key, @Nullable Object value) {
    if (key == null || key.isEmpty()) {
      Misuse.report("attribute(key, value) was given no key", "value " + value);
      return;
    }
    if (value instanceof String s) {
      span.setAttribute(key, s);
    } else if (value instanceof Long l) {
      span.setAttribute(key, l);
    } else if (value instanceof Double d) {
      span.setAttribute(key, d);
    } else if (value instanceof Boolean b) {
      span.setAttribute(key, b);
    }
  }

  /** Marks a span failed the conventional way: the exception event, status error, error.type. */
  static void fail(Span span, @Nullable Throwable error) {
    if (error == null) {
      Misuse.report("fail(error) was given null", "status set to error without an exception");
      span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR);
      return;
    }
    span.recordException(error);
    span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, String.valueOf(error.getMessage()));
    span.setAttribute(ERROR_TYPE, error.getClass().getName());
  }
}

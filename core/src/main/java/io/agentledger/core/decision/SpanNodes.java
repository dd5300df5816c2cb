package io.agentledger.core.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.SpanKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What a span node says: its kind, label, status and the detail of its kind. */
final class SpanNodes {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SpanNodes() {}

  static NodeKind kind(AgentSpan span) {
    Map<String, String> a = span.attributes();
    switch (span.type()) {
      case AGENT:
        return NodeKind.AGENT;
      case LLM:
      case EMBEDDING:
        return NodeKind.LLM;
      case TOOL:
        return NodeKind.TOOL;
      case RETRIEVAL:
        return NodeKind.RETRIEVAL;
      default:
        break;
    }
    if (a.containsKey(DecisionKeys.APPROVAL_ACTION.name())
        || a.containsKey(DecisionKeys.APPROVAL_STATUS.name())) {
      return NodeKind.APPROVAL;
    }
    if (!handoffTo(a).isEmpty()) {
      return NodeKind.HANDOFF;
    }
    if (a.containsKey(DecisionKeys.GUARDRAIL_TRIGGERED.name())) {
      return NodeKind.DECISION;
    }
    return NodeKind.STEP;
  }

  /** The agent a hand-off span names as the one taking over, or empty. */
  static String handoffTo(Map<String, String> a) {
    String to = first(a, DecisionKeys.HANDOFF_TO);
    for (int i = 0; to.isEmpty() && i < DecisionKeys.HANDOFF_TO_JSON.size(); i++) {
      DecisionKeys.JsonField f = DecisionKeys.HANDOFF_TO_JSON.get(i);
      String json = a.get(f.key());
      if (json != null && json.contains(f.field())) { // parse only what can hold it
        try {
          to = MAPPER.readTree(json).path(f.field()).asText("");
        } catch (IOException e) {
          to = "";
        }
      }
    }
    return to;
  }

  /** The MCP server a tool span says served it, or empty. */
  static String mcpServer(AgentSpan span) {
    Map<String, String> a = span.attributes();
    if (!a.containsKey(DecisionKeys.MCP_METHOD.name())) {
      return "";
    }
    return span.kind() == SpanKind.SERVER
        ? span.serviceName()
        : a.getOrDefault(DecisionKeys.MCP_SERVER_ADDRESS.name(), "");
  }

  /** True for an MCP server's span of a tool call. */
  static boolean isMcpServerToolCall(AgentSpan span) {
    return span.kind() == SpanKind.SERVER
        && "tools/call".equals(span.attributes().get(DecisionKeys.MCP_METHOD.name()));
  }

  static String label(NodeKind kind, AgentSpan span, String agent) {
    String label =
        switch (kind) {
          case AGENT ->
              span.semantics().agentName().isEmpty() ? agent : span.semantics().agentName();
          case LLM -> span.semantics().model();
          case TOOL -> span.semantics().toolName();
          case APPROVAL -> span.attributes().getOrDefault(DecisionKeys.APPROVAL_ACTION.name(), "");
          case HANDOFF -> agent + " → " + handoffTo(span.attributes());
          default -> "";
        };
    return label.isEmpty() ? span.name() : label;
  }

  static String status(AgentSpan span) {
    return span.status().isError() ? "error" : span.status().code().wireName();
  }

  static NodeDetail detail(NodeKind kind, AgentSpan span, String agent) {
    Map<String, String> a = span.attributes();
    return switch (kind) {
      case LLM ->
          NodeDetail.llm(
              span.semantics().model(),
              String.join(",", span.semantics().finishReasons()),
              ChosenTools.of(span));
      case TOOL ->
          NodeDetail.tool(
              span.semantics().toolName(),
              span.semantics().toolCallId(),
              ChosenTools.truncate(first(a, DecisionKeys.TOOL_ARGUMENTS)),
              mcpServer(span));
      case APPROVAL -> {
        Double wait = number(a.get(DecisionKeys.APPROVAL_WAIT_MS.name()));
        yield NodeDetail.approval(
            a.getOrDefault(DecisionKeys.APPROVAL_STATUS.name(), ""),
            a.getOrDefault(DecisionKeys.APPROVAL_BY.name(), ""),
            a.getOrDefault(DecisionKeys.APPROVAL_REASON.name(), ""),
            wait != null ? Long.valueOf(wait.longValue()) : span.durationNanos() / 1_000_000);
      }
      case HANDOFF -> NodeDetail.handoff(agent, handoffTo(a));
      case DECISION -> {
        boolean tripped = Boolean.parseBoolean(a.get(DecisionKeys.GUARDRAIL_TRIGGERED.name()));
        yield NodeDetail.decision(
            DecisionKeys.GUARDRAIL_OPTIONS,
            DecisionKeys.GUARDRAIL_OPTIONS.get(tripped ? 1 : 0),
            "",
            null);
      }
      default -> NodeDetail.NONE;
    };
  }

  /** The value of the first key present, or empty. */
  static String first(Map<String, String> attributes, List<DecisionKeys.Key> keys) {
    for (DecisionKeys.Key key : keys) {
      String value = attributes.get(key.name());
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return "";
  }

  /** A list attribute: a JSON array (as the normalizer renders arrays), else comma-separated. */
  static List<String> list(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    String trimmed = text.trim();
    if (trimmed.startsWith("[")) {
      try {
        JsonNode array = MAPPER.readTree(trimmed);
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.toString()));
        return out;
      } catch (IOException e) {
        // not JSON after all: split it below
      }
    }
    List<String> out = new ArrayList<>();
    for (String part : trimmed.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }

  static @Nullable Double number(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      double value = Double.parseDouble(text.trim());
      return Double.isFinite(value) ? value : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}

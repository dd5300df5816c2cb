package io.agentledger.core.normalize;

import io.agentledger.core.otlp.HexIds;
import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.pricing.CostRequest;
import io.agentledger.core.pricing.ServiceTier;
import io.agentledger.core.pricing.TokenEstimator;
import io.agentledger.core.span.AgentSemantics;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import io.agentledger.core.span.Cost;
import io.agentledger.core.span.SpanEvent;
import io.agentledger.core.span.SpanKind;
import io.agentledger.core.span.SpanLink;
import io.agentledger.core.span.SpanStatus;
import io.agentledger.core.span.SpanType;
import io.agentledger.core.span.StatusCode;
import io.agentledger.core.span.Usage;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Turns OTLP spans of any GenAI convention into priced {@link AgentSpan}s. Thread-safe.
 *
 * <p>Every field is read from the first convention that sets it; the key lists are in the order
 * given here and documented in {@code docs/normalization.md}:
 *
 * <ul>
 *   <li>type: see {@link SpanClassifier}; usage: see {@link UsageExtractor}; reported cost: see
 *       {@link ReportedCost}
 *   <li>provider: {@code gen_ai.provider.name}, {@code gen_ai.system}, {@code llm.provider}, {@code
 *       llm.system}, {@code ai.model.provider}, normalized by {@link ProviderNames}
 *   <li>response model: {@code gen_ai.response.model}, {@code llm.response.model_name}, {@code
 *       ai.response.model}, {@code llm.model_name}; request model: {@code gen_ai.request.model},
 *       {@code llm.request.model_name}, {@code ai.model.id}, {@code
 *       langfuse.observation.model.name}, {@code embedding.model_name}, {@code llm.model_name}
 *   <li>session: {@code gen_ai.conversation.id}, {@code session.id}, {@code langfuse.session.id},
 *       {@code ai.telemetry.metadata.sessionId}, {@code
 *       traceloop.association.properties.session_id}, {@code gen_ai.session.id}
 *   <li>user: {@code user.id}, {@code langfuse.user.id}, {@code ai.telemetry.metadata.userId},
 *       {@code traceloop.association.properties.user_id}, {@code gen_ai.user.id}, {@code
 *       enduser.id}
 *   <li>agent: {@code gen_ai.agent.name}, {@code agent.name}, {@code agent_name}, {@code
 *       traceloop.entity.name} on OpenLLMetry agent spans, the span name of an agent span, Vercel's
 *       {@code ai.telemetry.functionId}
 *   <li>tool: {@code gen_ai.tool.name}, {@code tool.name}, {@code ai.toolCall.name}, {@code
 *       traceloop.entity.name} on OpenLLMetry tool spans, the span name of a tool span; call id:
 *       {@code gen_ai.tool.call.id}, {@code tool_call.id}, {@code ai.toolCall.id}
 * </ul>
 *
 * <p>Invalid spans (bad ids or timestamps) are rejected and counted; invalid values inside a valid
 * span (a negative token count) are ignored with a warning, and the span's cost becomes unknown
 * rather than wrong.
 */
public final class SpanNormalizer {

  /** Default cap on one attribute value, in characters; longer values are truncated. */
  public static final int DEFAULT_MAX_ATTRIBUTE_CHARS = 64 * 1024;

  private static final int MAX_MESSAGES = 10;
  static final String PROJECT_ATTRIBUTE = "agentledger.project";
  static final String DEFAULT_PROJECT = "default";

  private final CostCalculator costs;
  private final int maxAttributeChars;

  public SpanNormalizer(CostCalculator costs) {
    this(costs, DEFAULT_MAX_ATTRIBUTE_CHARS);
  }

  public SpanNormalizer(CostCalculator costs, int maxAttributeChars) {
    this.costs = Objects.requireNonNull(costs, "costs");
    if (maxAttributeChars < 256) {
      throw new IllegalArgumentException("maxAttributeChars must be at least 256");
    }
    this.maxAttributeChars = maxAttributeChars;
  }

  /**
   * Normalizes and prices every span of the request.
   *
   * @param project the project the spans belong to, or null to take it from the resource attribute
   *     {@code agentledger.project} (else {@code default})
   */
  public NormalizedBatch normalize(ExportTraceServiceRequest request, @Nullable String project) {
    List<AgentSpan> spans = new ArrayList<>();
    Messages errors = new Messages();
    Messages warnings = new Messages();
    long rejected = 0;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Map<String, String> resource =
          AnyValues.toMap(
              rs.getResource().getAttributesList(),
              maxAttributeChars,
              key -> warnings.add("resource attribute '" + key + "' truncated"));
      String spanProject = project != null ? project : resource.getOrDefault(PROJECT_ATTRIBUTE, "");
      if (spanProject.isBlank()) {
        spanProject = DEFAULT_PROJECT;
      }
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          String invalid = validate(span);
          if (invalid != null) {
            rejected++;
            errors.add(invalid);
            continue;
          }
          spans.add(normalizeSpan(span, resource, ss.getScope().getName(), spanProject, warnings));
        }
      }
    }
    return new NormalizedBatch(spans, rejected, errors.list(), warnings.list());
  }

  /**
   * Why the span cannot be stored — a trace or span id of the wrong length or all zero, a parent id
   * of the wrong length, a span that is its own parent, a missing or backwards timestamp — or null
   * when it can. Receivers use this to reject individual spans with an OTLP partial success.
   */
  public static @Nullable String validate(Span span) {
    String label = "span '" + abbreviate(span.getName()) + "'";
    if (!HexIds.isValid(span.getTraceId(), HexIds.TRACE_ID_BYTES)) {
      return label + ": invalid traceId (" + idProblem(span.getTraceId().size(), 16) + ")";
    }
    if (!HexIds.isValid(span.getSpanId(), HexIds.SPAN_ID_BYTES)) {
      return label + ": invalid spanId (" + idProblem(span.getSpanId().size(), 8) + ")";
    }
    label = "span " + HexIds.toHex(span.getSpanId()) + " '" + abbreviate(span.getName()) + "'";
    int parentBytes = span.getParentSpanId().size();
    if (parentBytes != 0 && parentBytes != HexIds.SPAN_ID_BYTES) {
      return label + ": invalid parentSpanId (" + parentBytes + " bytes, want 8)";
    }
    if (span.getParentSpanId().equals(span.getSpanId())) {
      return label + ": span is its own parent";
    }
    if (span.getStartTimeUnixNano() <= 0) {
      return label + ": startTimeUnixNano missing or out of range";
    }
    if (span.getEndTimeUnixNano() <= 0) {
      return label + ": endTimeUnixNano missing or out of range";
    }
    if (span.getEndTimeUnixNano() < span.getStartTimeUnixNano()) {
      return label + ": endTimeUnixNano is before startTimeUnixNano";
    }
    return null;
  }

  private static String idProblem(int size, int want) {
    return size == want ? "all zero" : size + " bytes, want " + want;
  }

  private AgentSpan normalizeSpan(
      Span span,
      Map<String, String> resource,
      String scopeName,
      String project,
      Messages warnings) {
    String spanHex = HexIds.toHex(span.getSpanId());
    Map<String, String> attributes =
        AnyValues.toMap(
            span.getAttributesList(),
            maxAttributeChars,
            key -> warnings.add("span " + spanHex + ": attribute '" + key + "' truncated"));
    Attrs a = new Attrs(attributes);
    SpanClassifier.Classification classification = SpanClassifier.classify(a, span.getName());
    SpanType type = classification.type();
    String provider =
        ProviderNames.normalize(
            a.first(
                "gen_ai.provider.name",
                "gen_ai.system",
                "llm.provider",
                "llm.system",
                "ai.model.provider"));
    String responseModel =
        a.first(
            "gen_ai.response.model",
            "llm.response.model_name",
            "ai.response.model",
            "llm.model_name");
    String requestModel =
        a.first(
            "gen_ai.request.model",
            "llm.request.model_name",
            "ai.model.id",
            "langfuse.observation.model.name",
            "embedding.model_name",
            "llm.model_name");
    String model = responseModel.isEmpty() ? requestModel : responseModel;
    long start = span.getStartTimeUnixNano();

    boolean openLit =
        scopeName.startsWith("openlit")
            || "openlit".equalsIgnoreCase(resource.get("telemetry.sdk.name"))
            || "openlit".equalsIgnoreCase(a.get("telemetry.sdk.name"));
    UsageExtractor.Result extracted = UsageExtractor.extract(a, type, provider, openLit);
    ReportedCost.Result reported = ReportedCost.extract(a);
    if (!extracted.problem().isEmpty()) {
      warnings.add("span " + spanHex + ": " + extracted.problem());
    }
    if (!reported.problem().isEmpty()) {
      warnings.add("span " + spanHex + ": " + reported.problem());
    }
    Usage usage = extracted.usage();
    boolean modelCall = type.isModelCall() && !classification.wrapper();
    boolean estimated = false;
    if (!usage.reported()
        && extracted.problem().isEmpty()
        && modelCall
        && reported.amountUsd() == null) {
      usage = TokenEstimator.estimate(model, ContentText.input(a), ContentText.output(a));
      estimated = usage.reported();
    }
    Cost cost =
        costs.cost(
            new CostRequest(
                project,
                modelCall,
                provider,
                model,
                usage,
                estimated,
                reported.amountUsd(),
                start,
                serviceTier(a)));
    if (!extracted.problem().isEmpty() && !cost.isKnown() && modelCall) {
      cost = Cost.unknown(extracted.problem());
    }
    if (provider.isEmpty() && !model.isEmpty()) {
      provider = inferProvider(project, model, cost); // say who served it when the span did not
    }

    AgentSemantics semantics =
        new AgentSemantics(
            type,
            classification.operationName(),
            agentName(a, type, span.getName()),
            a.first("gen_ai.agent.id", "agent.id"),
            a.first("gen_ai.agent.version", "agent.version"),
            a.first(
                "gen_ai.conversation.id",
                "session.id",
                "langfuse.session.id",
                "ai.telemetry.metadata.sessionId",
                "traceloop.association.properties.session_id",
                "ai.settings.context.sessionId",
                "ai.settings.runtimeContext.sessionId",
                "gen_ai.session.id"),
            a.first(
                "user.id",
                "langfuse.user.id",
                "ai.telemetry.metadata.userId",
                "traceloop.association.properties.user_id",
                "ai.settings.context.userId",
                "ai.settings.runtimeContext.userId",
                "gen_ai.user.id",
                "enduser.id"),
            provider,
            requestModel,
            responseModel,
            toolName(a, type, span.getName()),
            a.first(
                "gen_ai.tool.call.id",
                "tool_call.id",
                "tool.id",
                "ai.toolCall.id",
                "langfuse.observation.metadata.tool_call_id"),
            finishReasons(a));

    boolean carriesUsage = usage.reported() && !estimated || reported.amountUsd() != null;
    BillingRole role =
        modelCall ? BillingRole.BILLABLE : carriesUsage ? BillingRole.ROLLUP : BillingRole.NONE;

    List<SpanEvent> events = new ArrayList<>(span.getEventsCount());
    for (Span.Event e : span.getEventsList()) {
      events.add(
          new SpanEvent(
              e.getTimeUnixNano(),
              e.getName(),
              AnyValues.toMap(e.getAttributesList(), maxAttributeChars, key -> {})));
    }
    List<SpanLink> links = new ArrayList<>(span.getLinksCount());
    for (Span.Link l : span.getLinksList()) {
      links.add(
          new SpanLink(
              HexIds.toHex(l.getTraceId()),
              HexIds.toHex(l.getSpanId()),
              AnyValues.toMap(l.getAttributesList(), maxAttributeChars, key -> {})));
    }
    return new AgentSpan(
        project,
        HexIds.toHex(span.getTraceId()),
        spanHex,
        isAllZero(span.getParentSpanId()) ? "" : HexIds.toHex(span.getParentSpanId()),
        start,
        span.getEndTimeUnixNano(),
        span.getName(),
        SpanKind.fromNumber(span.getKindValue()),
        status(span, a, events),
        first(resource.get("service.name"), a.get("service.name")),
        first(resource.get("service.version"), a.get("service.version")),
        scopeName,
        semantics,
        usage,
        cost,
        role,
        attributes,
        resource,
        events,
        links);
  }

  private static boolean isAllZero(com.google.protobuf.ByteString id) {
    return !HexIds.isValid(id, id.size());
  }

  private static String agentName(Attrs a, SpanType type, String spanName) {
    String name =
        a.first("gen_ai.agent.name", "agent.name", "agent_name", "ai.telemetry.functionId");
    if (!name.isEmpty()) {
      return name;
    }
    if (a.get("traceloop.span.kind").equals("agent")) {
      name = a.get("traceloop.entity.name");
      if (!name.isEmpty()) {
        return name;
      }
    }
    if (type == SpanType.AGENT) {
      String stripped = stripPrefix(spanName, "invoke_agent");
      stripped = stripPrefix(stripped, "agent run");
      return stripped;
    }
    return "";
  }

  private static String toolName(Attrs a, SpanType type, String spanName) {
    String name = a.first("gen_ai.tool.name", "tool.name", "ai.toolCall.name");
    if (!name.isEmpty()) {
      return name;
    }
    if (a.get("traceloop.span.kind").equals("tool")) {
      name = a.get("traceloop.entity.name");
      if (!name.isEmpty()) {
        return name;
      }
    }
    return type == SpanType.TOOL ? stripPrefix(spanName, "execute_tool") : "";
  }

  /** "invoke_agent planner" → "planner"; "invoke_agent" → "". */
  private static String stripPrefix(String name, String prefix) {
    if (name.equals(prefix)) {
      return "";
    }
    if (name.startsWith(prefix + " ")) {
      return name.substring(prefix.length() + 1).trim();
    }
    return name;
  }

  private static List<String> finishReasons(Attrs a) {
    String raw =
        a.first(
            "gen_ai.response.finish_reasons",
            "ai.response.finishReason",
            "llm.finish_reason",
            "gen_ai.response.finish_reason");
    if (raw.isEmpty()) {
      return List.of();
    }
    var node = SmallJson.parse(raw);
    if (node != null && node.isArray()) {
      List<String> out = new ArrayList<>(node.size());
      node.forEach(n -> out.add(n.asText()));
      return out;
    }
    return List.of(raw);
  }

  private static ServiceTier serviceTier(Attrs a) {
    String tier =
        a.first(
            "openai.response.service_tier",
            "openai.request.service_tier",
            "gen_ai.openai.response.service_tier",
            "gen_ai.openai.request.service_tier",
            "gen_ai.request.service_tier");
    if (tier.isEmpty()) {
      for (String key :
          new String[] {"llm.invocation_parameters", "langfuse.observation.model.parameters"}) {
        var params = SmallJson.parse(a.get(key));
        if (params != null && params.hasNonNull("service_tier")) {
          tier = params.get("service_tier").asText();
          break;
        }
      }
    }
    return ServiceTier.parse(tier);
  }

  private static SpanStatus status(Span span, Attrs a, List<SpanEvent> events) {
    StatusCode code = StatusCode.fromNumber(span.getStatus().getCodeValue());
    String errorType = a.get("error.type");
    if (errorType.isEmpty() && code == StatusCode.ERROR) {
      for (SpanEvent e : events) {
        if (e.name().equals("exception")) {
          errorType = e.attributes().getOrDefault("exception.type", "");
          break;
        }
      }
    }
    return new SpanStatus(code, span.getStatus().getMessage(), errorType);
  }

  /** The provider of the catalog entry that prices this model, if any. */
  private String inferProvider(String project, String model, Cost cost) {
    if (cost.pricedAs() != null) {
      String id =
          cost.pricedAs().startsWith("override:") ? cost.pricedAs().substring(9) : cost.pricedAs();
      int slash = id.indexOf('/');
      return slash > 0 ? id.substring(0, slash) : "";
    }
    return costs.catalogFor(project).match("", model).map(m -> m.pricing().provider()).orElse("");
  }

  private static String first(@Nullable String a, @Nullable String b) {
    return a != null && !a.isEmpty() ? a : b == null ? "" : b;
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  /** At most {@link #MAX_MESSAGES} messages, then a count of the rest. */
  private static final class Messages {
    private final List<String> list = new ArrayList<>();
    private int dropped;

    void add(String message) {
      if (list.size() < MAX_MESSAGES) {
        list.add(message);
      } else {
        dropped++;
      }
    }

    List<String> list() {
      if (dropped == 0) {
        return list;
      }
      List<String> out = new ArrayList<>(list);
      out.add("and " + dropped + " more");
      return out;
    }
  }
}

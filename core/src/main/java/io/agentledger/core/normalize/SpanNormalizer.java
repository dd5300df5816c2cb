package io.agentledger.core.normalize;

import io.agentledger.core.logs.LogSpans;
import io.agentledger.core.otlp.HexIds;
import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.pricing.CostRequest;
import io.agentledger.core.pricing.ServiceTier;
import io.agentledger.core.pricing.TokenEstimator;
import io.agentledger.core.pricing.ToolPrices;
import io.agentledger.core.span.AgentSemantics;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import io.agentledger.core.span.Cost;
import io.agentledger.core.span.CostSource;
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
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Turns OTLP spans of any GenAI convention into priced {@link AgentSpan}s. Thread-safe.
 *
 * <p>Every field is read from the first key present among its convention keys; the keys and their
 * precedence are declared once, in {@link Conventions}, from which {@code docs/normalization.md} is
 * generated. The type is decided by {@link SpanClassifier}, usage by {@link UsageExtractor}, a
 * reported cost by {@link ReportedCost}, the price by the {@link CostCalculator}.
 *
 * <p>Invalid spans (bad ids or timestamps) are rejected and counted; invalid values inside a valid
 * span (a negative token count) are ignored with a warning, and the span's cost becomes unknown
 * rather than wrong.
 */
public final class SpanNormalizer {

  /** Default cap on one attribute value, in characters; longer values are truncated. */
  public static final int DEFAULT_MAX_ATTRIBUTE_CHARS = 64 * 1024;

  /** Longest span, scope, event name and status message kept; longer ones are truncated. */
  public static final int MAX_NAME_CHARS = 1024;

  /** Events and links kept per span; the rest are dropped with a warning. */
  public static final int MAX_EVENTS = 1024;

  /** 2200-01-01T00:00:00Z in nanoseconds: spans starting or ending later are rejected. */
  public static final long MAX_EPOCH_NANOS = 7_258_118_400L * 1_000_000_000L;

  private static final int MAX_MESSAGES = 10;
  static final String PROJECT_ATTRIBUTE = Conventions.PROJECT.key();
  private static final String SERVICE_NAME = Conventions.SERVICE_NAME.key();
  private static final String SERVICE_VERSION = Conventions.SERVICE_VERSION.key();
  private static final String TRACELOOP_KIND =
      Conventions.TYPE_TRACELOOP.require("traceloop.span.kind");
  private static final String TRACELOOP_ENTITY = Conventions.ENTITY_NAME.key();
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
    if (span.getStartTimeUnixNano() >= MAX_EPOCH_NANOS
        || span.getEndTimeUnixNano() >= MAX_EPOCH_NANOS) {
      return label + ": timestamp after the year 2200";
    }
    if (span.getEndTimeUnixNano() < span.getStartTimeUnixNano()) {
      return label + ": endTimeUnixNano is before startTimeUnixNano";
    }
    return null;
  }

  private static String idProblem(int size, int want) {
    return size == want ? "all zero" : size + " bytes, want " + want;
  }

  /**
   * One span, in named steps: its attributes, its type, the model it called, its usage and cost,
   * its agent semantics, then the canonical span.
   */
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
    boolean serverWithParent =
        span.getKind() == Span.SpanKind.SPAN_KIND_SERVER && !isAllZero(span.getParentSpanId());
    SpanClassifier.Classification classification =
        SpanClassifier.classify(a, span.getName(), scopeName, serverWithParent);
    ModelIds models = ModelIds.of(a);
    boolean modelCall = classification.type().isModelCall() && !classification.wrapper();
    Measured measured =
        measure(a, classification.type(), models, isOpenLit(a, resource, scopeName), modelCall);
    for (String problem : List.of(measured.usageProblem(), measured.costProblem())) {
      if (!problem.isEmpty()) {
        warnings.add("span " + spanHex + ": " + problem);
      }
    }
    Cost cost = cost(project, modelCall, models, measured, span.getStartTimeUnixNano(), a);
    String provider = models.provider();
    if (provider.isEmpty() && !models.model().isEmpty()) {
      provider = inferProvider(project, models.model(), cost); // who served it, when unsaid
    }
    AgentSemantics semantics = semantics(a, span.getName(), classification, provider, models);
    if (!modelCall
        && cost.source() == CostSource.NONE
        && !SpanClassifier.isMcpServerSide(a, serverWithParent)) {
      cost = // a tool or sandbox the project prices, when it bears no model cost
          costs.toolCost(
              project,
              semantics.toolName(),
              name(span.getName()),
              span.getStartTimeUnixNano(),
              span.getEndTimeUnixNano(),
              attributes);
    }
    List<SpanEvent> events = events(span);
    return new AgentSpan(
        project,
        HexIds.toHex(span.getTraceId()),
        spanHex,
        isAllZero(span.getParentSpanId()) ? "" : HexIds.toHex(span.getParentSpanId()),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        name(span.getName()),
        SpanKind.fromNumber(span.getKindValue()),
        status(span, a, events),
        first(resource.get(SERVICE_NAME), a.get(SERVICE_NAME)),
        first(resource.get(SERVICE_VERSION), a.get(SERVICE_VERSION)),
        name(scopeName),
        semantics,
        measured.usage(),
        cost,
        ToolPrices.isToolCost(cost) ? BillingRole.BILLABLE : role(modelCall, measured, a),
        attributes,
        resource,
        events,
        links(span));
  }

  /** The provider and models a span names, before any inference from the catalog. */
  private record ModelIds(String provider, String requestModel, String responseModel) {

    static ModelIds of(Attrs a) {
      return new ModelIds(
          ProviderNames.normalize(a.first(Conventions.PROVIDER)),
          a.first(Conventions.REQUEST_MODEL),
          a.first(Conventions.RESPONSE_MODEL));
    }

    /** The model that served the call: the response model, else the one requested. */
    String model() {
      return responseModel.isEmpty() ? requestModel : responseModel;
    }
  }

  /**
   * The span's usage (reported, else estimated from its text on a model call) and reported cost.
   *
   * @param usageProblem why the reported usage was unusable, or empty
   * @param costProblem why the reported cost was ignored, or empty
   */
  private record Measured(
      Usage usage,
      boolean estimated,
      @Nullable BigDecimal reportedUsd,
      String usageProblem,
      String costProblem) {}

  private static boolean isOpenLit(Attrs a, Map<String, String> resource, String scopeName) {
    String sdkName = Conventions.SDK_NAME.key();
    return scopeName.startsWith("openlit")
        || "openlit".equalsIgnoreCase(resource.get(sdkName))
        || "openlit".equalsIgnoreCase(a.get(sdkName));
  }

  private static Measured measure(
      Attrs a, SpanType type, ModelIds models, boolean openLit, boolean modelCall) {
    UsageExtractor.Result extracted =
        UsageExtractor.extract(a, type, models.provider(), models.model(), openLit);
    ReportedCost.Result reported = ReportedCost.extract(a);
    Usage usage = extracted.usage();
    boolean estimated = false;
    if (!usage.reported()
        && extracted.problem().isEmpty()
        && modelCall
        && reported.amountUsd() == null) {
      usage = TokenEstimator.estimate(models.model(), ContentText.input(a), ContentText.output(a));
      estimated = usage.reported();
    }
    return new Measured(
        usage, estimated, reported.amountUsd(), extracted.problem(), reported.problem());
  }

  /** Priced by the catalog; a model call whose usage was invalid costs unknown, never zero. */
  private Cost cost(
      String project, boolean modelCall, ModelIds models, Measured measured, long start, Attrs a) {
    Cost cost =
        costs.cost(
            new CostRequest(
                project,
                modelCall,
                models.provider(),
                models.model(),
                measured.usage(),
                measured.estimated(),
                measured.reportedUsd(),
                start,
                serviceTier(a)));
    if (!measured.usageProblem().isEmpty() && !cost.isKnown() && modelCall) {
      return Cost.unknown(measured.usageProblem());
    }
    return cost;
  }

  /**
   * Billable when it called a model; a roll-up when it repeats reported usage or cost, or when it
   * is a model call made from a log event whose trace normally has the same call as a span ({@link
   * LogSpans#TRACED}: the chain's roll-up bills it only when that span is missing).
   */
  private static BillingRole role(boolean modelCall, Measured measured, Attrs a) {
    boolean carriesUsage =
        measured.usage().reported() && !measured.estimated() || measured.reportedUsd() != null;
    if (modelCall && carriesUsage && a.get(LogSpans.TRACED).equals("true")) {
      return BillingRole.ROLLUP;
    }
    return modelCall ? BillingRole.BILLABLE : carriesUsage ? BillingRole.ROLLUP : BillingRole.NONE;
  }

  private static AgentSemantics semantics(
      Attrs a,
      String spanName,
      SpanClassifier.Classification classification,
      String provider,
      ModelIds models) {
    SpanType type = classification.type();
    return new AgentSemantics(
        type,
        classification.operationName(),
        agentName(a, type, spanName),
        a.first(Conventions.AGENT_ID),
        a.first(Conventions.AGENT_VERSION),
        a.first(Conventions.SESSION),
        a.first(Conventions.USER),
        provider,
        models.requestModel(),
        models.responseModel(),
        toolName(a, type, spanName),
        a.first(Conventions.TOOL_CALL_ID),
        finishReasons(a));
  }

  private List<SpanEvent> events(Span span) {
    List<SpanEvent> events = new ArrayList<>(Math.min(span.getEventsCount(), MAX_EVENTS));
    for (Span.Event e : span.getEventsList()) {
      if (events.size() == MAX_EVENTS) {
        break;
      }
      events.add(
          new SpanEvent(
              e.getTimeUnixNano(),
              name(e.getName()),
              AnyValues.toMap(e.getAttributesList(), maxAttributeChars, key -> {})));
    }
    return events;
  }

  private List<SpanLink> links(Span span) {
    List<SpanLink> links = new ArrayList<>(Math.min(span.getLinksCount(), MAX_EVENTS));
    for (Span.Link l : span.getLinksList()) {
      if (links.size() == MAX_EVENTS) {
        break;
      }
      links.add(
          new SpanLink(
              HexIds.toHex(l.getTraceId()),
              HexIds.toHex(l.getSpanId()),
              AnyValues.toMap(l.getAttributesList(), maxAttributeChars, key -> {})));
    }
    return links;
  }

  private static boolean isAllZero(com.google.protobuf.ByteString id) {
    return !HexIds.isValid(id, id.size());
  }

  private static String agentName(Attrs a, SpanType type, String spanName) {
    String name = a.first(Conventions.AGENT);
    if (!name.isEmpty()) {
      return name;
    }
    if (a.get(TRACELOOP_KIND).equals("agent")) {
      name = a.get(TRACELOOP_ENTITY);
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
    String name = a.first(Conventions.TOOL);
    if (!name.isEmpty()) {
      return name;
    }
    if (a.get(TRACELOOP_KIND).equals("tool")) {
      name = a.get(TRACELOOP_ENTITY);
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
    String raw = a.first(Conventions.FINISH_REASONS);
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
    String tier = a.first(Conventions.SERVICE_TIER);
    if (tier.isEmpty()) {
      for (String key : Conventions.SERVICE_TIER_PARAMETERS.names()) {
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
    String errorType = a.get(Conventions.ERROR_TYPE.key());
    if (errorType.isEmpty() && code == StatusCode.ERROR) {
      for (SpanEvent e : events) {
        if (e.name().equals("exception")) {
          errorType = e.attributes().getOrDefault("exception.type", "");
          break;
        }
      }
    }
    return new SpanStatus(code, name(span.getStatus().getMessage()), errorType);
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

  /** A name or message cut to {@link #MAX_NAME_CHARS}, marked as truncated. */
  private static String name(String value) {
    return value.length() <= MAX_NAME_CHARS ? value : AnyValues.truncate(value, MAX_NAME_CHARS);
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

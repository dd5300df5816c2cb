package io.agentledger.core.span;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The canonical span: one row per span, whatever convention it was emitted in.
 *
 * <p>Identity is {@code (project, traceId, spanId)}; ids are lower-case hex (32 and 16 characters).
 * A root span has an empty {@code parentSpanId}. Times are nanoseconds since the Unix epoch.
 * Attribute maps hold every attribute as a string (numbers in decimal, arrays and maps as JSON), so
 * nothing the emitter sent is lost even when no convention knows the key.
 */
public record AgentSpan(
    String project,
    String traceId,
    String spanId,
    String parentSpanId,
    long startEpochNanos,
    long endEpochNanos,
    String name,
    SpanKind kind,
    SpanStatus status,
    String serviceName,
    String serviceVersion,
    String scopeName,
    AgentSemantics semantics,
    Usage usage,
    Cost cost,
    BillingRole billingRole,
    Map<String, String> attributes,
    Map<String, String> resourceAttributes,
    List<SpanEvent> events,
    List<SpanLink> links) {

  public AgentSpan {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(spanId, "spanId");
    parentSpanId = parentSpanId == null ? "" : parentSpanId;
    name = name == null ? "" : name;
    kind = kind == null ? SpanKind.UNSPECIFIED : kind;
    status = status == null ? SpanStatus.UNSET : status;
    serviceName = serviceName == null ? "" : serviceName;
    serviceVersion = serviceVersion == null ? "" : serviceVersion;
    scopeName = scopeName == null ? "" : scopeName;
    semantics = semantics == null ? AgentSemantics.NONE : semantics;
    usage = usage == null ? Usage.NONE : usage;
    cost = cost == null ? Cost.NONE : cost;
    billingRole = billingRole == null ? BillingRole.NONE : billingRole;
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    resourceAttributes = resourceAttributes == null ? Map.of() : Map.copyOf(resourceAttributes);
    events = events == null ? List.of() : List.copyOf(events);
    links = links == null ? List.of() : List.copyOf(links);
  }

  public boolean isRoot() {
    return parentSpanId.isEmpty();
  }

  public SpanType type() {
    return semantics.type();
  }

  public long durationNanos() {
    return Math.max(0, endEpochNanos - startEpochNanos);
  }

  /** True when the span carries usage or a cost of its own (possibly a roll-up of its children). */
  public boolean carriesUsage() {
    return usage.reported() || cost.source() == CostSource.REPORTED;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .project(project)
        .traceId(traceId)
        .spanId(spanId)
        .parentSpanId(parentSpanId)
        .startEpochNanos(startEpochNanos)
        .endEpochNanos(endEpochNanos)
        .name(name)
        .kind(kind)
        .status(status)
        .serviceName(serviceName)
        .serviceVersion(serviceVersion)
        .scopeName(scopeName)
        .semantics(semantics)
        .usage(usage)
        .cost(cost)
        .billingRole(billingRole)
        .attributes(attributes)
        .resourceAttributes(resourceAttributes)
        .events(events)
        .links(links);
  }

  /** Builds an {@link AgentSpan}; unset fields take the record's defaults. */
  public static final class Builder {
    private String project = "default";
    private @Nullable String traceId;
    private @Nullable String spanId;
    private String parentSpanId = "";
    private long startEpochNanos;
    private long endEpochNanos;
    private String name = "";
    private SpanKind kind = SpanKind.INTERNAL;
    private SpanStatus status = SpanStatus.UNSET;
    private String serviceName = "";
    private String serviceVersion = "";
    private String scopeName = "";
    private AgentSemantics semantics = AgentSemantics.NONE;
    private Usage usage = Usage.NONE;
    private Cost cost = Cost.NONE;
    private BillingRole billingRole = BillingRole.NONE;
    private Map<String, String> attributes = Map.of();
    private Map<String, String> resourceAttributes = Map.of();
    private List<SpanEvent> events = List.of();
    private List<SpanLink> links = List.of();

    private Builder() {}

    public Builder project(String project) {
      this.project = project;
      return this;
    }

    public Builder traceId(String traceId) {
      this.traceId = traceId;
      return this;
    }

    public Builder spanId(String spanId) {
      this.spanId = spanId;
      return this;
    }

    public Builder parentSpanId(String parentSpanId) {
      this.parentSpanId = parentSpanId;
      return this;
    }

    public Builder startEpochNanos(long startEpochNanos) {
      this.startEpochNanos = startEpochNanos;
      return this;
    }

    public Builder endEpochNanos(long endEpochNanos) {
      this.endEpochNanos = endEpochNanos;
      return this;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder kind(SpanKind kind) {
      this.kind = kind;
      return this;
    }

    public Builder status(SpanStatus status) {
      this.status = status;
      return this;
    }

    public Builder serviceName(String serviceName) {
      this.serviceName = serviceName;
      return this;
    }

    public Builder serviceVersion(String serviceVersion) {
      this.serviceVersion = serviceVersion;
      return this;
    }

    public Builder scopeName(String scopeName) {
      this.scopeName = scopeName;
      return this;
    }

    public Builder semantics(AgentSemantics semantics) {
      this.semantics = semantics;
      return this;
    }

    public Builder usage(Usage usage) {
      this.usage = usage;
      return this;
    }

    public Builder cost(Cost cost) {
      this.cost = cost;
      return this;
    }

    public Builder billingRole(BillingRole billingRole) {
      this.billingRole = billingRole;
      return this;
    }

    public Builder attributes(Map<String, String> attributes) {
      this.attributes = attributes;
      return this;
    }

    public Builder resourceAttributes(Map<String, String> resourceAttributes) {
      this.resourceAttributes = resourceAttributes;
      return this;
    }

    public Builder events(List<SpanEvent> events) {
      this.events = events;
      return this;
    }

    public Builder links(List<SpanLink> links) {
      this.links = links;
      return this;
    }

    public AgentSpan build() {
      return new AgentSpan(
          project,
          Objects.requireNonNull(traceId, "traceId"),
          Objects.requireNonNull(spanId, "spanId"),
          parentSpanId,
          startEpochNanos,
          endEpochNanos,
          name,
          kind,
          status,
          serviceName,
          serviceVersion,
          scopeName,
          semantics,
          usage,
          cost,
          billingRole,
          attributes,
          resourceAttributes,
          events,
          links);
    }
  }
}

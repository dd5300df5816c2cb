package io.agentledger.core.testing;

import io.agentledger.core.span.AgentSemantics;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import io.agentledger.core.span.Cost;
import io.agentledger.core.span.CostSource;
import io.agentledger.core.span.SpanStatus;
import io.agentledger.core.span.SpanType;
import io.agentledger.core.span.StatusCode;
import io.agentledger.core.span.Usage;
import java.math.BigDecimal;
import java.util.List;

/** Canonical spans for roll-up, store and API tests, with costs given directly. */
public final class TestSpans {

  public static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final long T0 = 1_763_900_000_000_000_000L;

  private TestSpans() {}

  /** A span id from a short label: {@code id("a")} → {@code "000000000000000a"}-like hex. */
  public static String id(String label) {
    StringBuilder hex = new StringBuilder();
    for (char c : label.toCharArray()) {
      hex.append(String.format("%02x", (int) c));
    }
    String s = hex.toString();
    return s.length() >= 16 ? s.substring(0, 16) : "0".repeat(16 - s.length()) + s;
  }

  public static Builder span(String label, String parentLabel) {
    return new Builder(label, parentLabel);
  }

  /** Fluent builder over {@link AgentSpan.Builder} with test defaults. */
  public static final class Builder {
    private final AgentSpan.Builder b;
    private SpanType type = SpanType.OTHER;
    private String agent = "";
    private String provider = "";
    private String model = "";
    private String tool = "";
    private String session = "";
    private String user = "";
    private BillingRole role;

    private Builder(String label, String parentLabel) {
      b =
          AgentSpan.builder()
              .project("default")
              .traceId(TRACE)
              .spanId(id(label))
              .parentSpanId(parentLabel == null ? "" : id(parentLabel))
              .name(label)
              .startEpochNanos(T0)
              .endEpochNanos(T0 + 1_000_000);
    }

    public Builder trace(String traceId) {
      b.traceId(traceId);
      return this;
    }

    public Builder project(String project) {
      b.project(project);
      return this;
    }

    public Builder at(long offsetMillis, long durationMillis) {
      b.startEpochNanos(T0 + offsetMillis * 1_000_000);
      b.endEpochNanos(T0 + (offsetMillis + durationMillis) * 1_000_000);
      return this;
    }

    public Builder startEpochNanos(long start) {
      b.startEpochNanos(start).endEpochNanos(start + 1_000_000);
      return this;
    }

    public Builder agent(String name) {
      this.type = SpanType.AGENT;
      this.agent = name;
      b.name("invoke_agent " + name);
      return this;
    }

    public Builder agentAttribute(String name) {
      this.agent = name;
      return this;
    }

    public Builder llm(String provider, String model) {
      this.type = SpanType.LLM;
      this.provider = provider;
      this.model = model;
      return this;
    }

    public Builder tool(String name) {
      this.type = SpanType.TOOL;
      this.tool = name;
      return this;
    }

    public Builder type(SpanType type) {
      this.type = type;
      return this;
    }

    public Builder session(String sessionId) {
      this.session = sessionId;
      return this;
    }

    public Builder user(String userId) {
      this.user = userId;
      return this;
    }

    public Builder service(String name, String version) {
      b.serviceName(name).serviceVersion(version);
      return this;
    }

    public Builder error() {
      b.status(new SpanStatus(StatusCode.ERROR, "failed", "timeout"));
      return this;
    }

    /** Usage with a computed cost of the given dollars. */
    public Builder usage(long input, long output, String costUsd) {
      b.usage(Usage.of(input, output));
      b.cost(
          new Cost(
              new BigDecimal(costUsd), CostSource.COMPUTED, provider + "/" + model, "test-1", ""));
      return this;
    }

    public Builder usage(Usage usage, Cost cost) {
      b.usage(usage);
      b.cost(cost);
      return this;
    }

    /** Usage whose model is not priced: cost unknown. */
    public Builder unpricedUsage(long input, long output) {
      b.usage(Usage.of(input, output));
      b.cost(Cost.unknown("unknown model '" + model + "'"));
      return this;
    }

    /** A cost priced by the project's price for this span's tool ({@code tool:<name>}). */
    public Builder toolCost(String costUsd) {
      b.cost(
          new Cost(
              new BigDecimal(costUsd), CostSource.COMPUTED, "tool:" + tool, null, "tool price"));
      return this;
    }

    /** A tool price applied, but its units unreported: unknown. */
    public Builder unknownToolCost() {
      b.cost(new Cost(null, CostSource.UNKNOWN, "tool:" + tool, null, "no units"));
      return this;
    }

    public Builder attributes(java.util.Map<String, String> attributes) {
      b.attributes(attributes);
      return this;
    }

    public Builder role(BillingRole role) {
      this.role = role;
      return this;
    }

    public AgentSpan build() {
      AgentSpan probe = b.build();
      BillingRole r = role;
      if (r == null) {
        String pricedAs = probe.cost().pricedAs();
        r =
            type.isModelCall() || pricedAs != null && pricedAs.startsWith("tool:")
                ? BillingRole.BILLABLE
                : probe.carriesUsage() ? BillingRole.ROLLUP : BillingRole.NONE;
      }
      return b.semantics(
              new AgentSemantics(
                  type, "", agent, "", "", session, user, provider, model, model, tool, "",
                  List.of()))
          .billingRole(r)
          .build();
    }
  }
}

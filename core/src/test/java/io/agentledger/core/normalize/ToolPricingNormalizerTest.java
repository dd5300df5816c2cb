package io.agentledger.core.normalize;

import static io.agentledger.core.testing.OtlpSpans.request;
import static io.agentledger.core.testing.OtlpSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.pricing.ToolKind;
import io.agentledger.core.pricing.ToolPrice;
import io.agentledger.core.pricing.ToolPrices;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import io.agentledger.core.span.Cost;
import io.agentledger.core.span.CostSource;
import io.agentledger.core.testing.TestCatalog;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The normalizer prices tool and sandbox spans with the project's tool prices. */
class ToolPricingNormalizerTest {

  private static final ToolPrices PRICES =
      ToolPrices.of(
          List.of(
              new ToolPrice(
                  "web_search",
                  ToolKind.TOOL,
                  LocalDate.of(2020, 1, 1),
                  new BigDecimal("0.005"),
                  null,
                  null,
                  ""),
              new ToolPrice(
                  "chat gpt-4o",
                  ToolKind.TOOL,
                  LocalDate.of(2020, 1, 1),
                  new BigDecimal("9"),
                  null,
                  null,
                  "")));

  private final SpanNormalizer normalizer =
      new SpanNormalizer(
          new CostCalculator(
              p -> TestCatalog.catalog(), p -> p.equals("acme") ? PRICES : ToolPrices.NONE),
          1024);

  private AgentSpan one(String project, String name, Map<String, ?> attributes) {
    return normalizer
        .normalize(request(span("00000000000000a1", null, name, attributes)), project)
        .spans()
        .get(0);
  }

  @Test
  void pricedTool_isComputedFromTheProjectsPrice_andBillable() {
    AgentSpan s =
        one(
            "acme",
            "execute_tool web_search",
            Map.of("gen_ai.operation.name", "execute_tool", "gen_ai.tool.name", "web_search"));

    assertThat(s.cost().source()).isEqualTo(CostSource.COMPUTED);
    assertThat(s.cost().amountUsd()).isEqualTo(new BigDecimal("0.005").setScale(Cost.SCALE));
    assertThat(s.cost().pricedAs()).isEqualTo("tool:web_search");
    assertThat(s.billingRole()).isEqualTo(BillingRole.BILLABLE);
  }

  @Test
  void anotherProject_orAnUnpricedTool_bearsNoCost() {
    Map<String, String> tool =
        Map.of("gen_ai.operation.name", "execute_tool", "gen_ai.tool.name", "web_search");

    assertThat(one("other", "execute_tool web_search", tool).cost()).isEqualTo(Cost.NONE);
    assertThat(one("acme", "x", Map.of("gen_ai.tool.name", "calculator")).billingRole())
        .isEqualTo(BillingRole.NONE);
  }

  @Test
  void modelCall_isNeverPricedAsATool_evenWhenItsNameMatches() {
    AgentSpan s =
        one(
            "acme",
            "chat gpt-4o",
            Map.of(
                "gen_ai.operation.name",
                "chat",
                "gen_ai.request.model",
                "gpt-4o",
                "gen_ai.usage.input_tokens",
                1000L,
                "gen_ai.usage.output_tokens",
                100L));

    assertThat(s.cost().source()).isEqualTo(CostSource.COMPUTED);
    assertThat(ToolPrices.isToolCost(s.cost())).isFalse();
  }

  /**
   * The captured {@code @openai/agents} + MCP chain ({@code fixtures/otlp/mcp}): the client's
   * {@code get_forecast} tool span and the server's {@code tools/call get_forecast} span are one
   * call, priced once (on the client).
   */
  @Test
  void mcpToolCall_seenByClientAndServer_isPricedOnce() throws java.io.IOException {
    ToolPrices forecast =
        ToolPrices.of(
            List.of(
                new ToolPrice(
                    "get_forecast",
                    ToolKind.TOOL,
                    LocalDate.of(2020, 1, 1),
                    new BigDecimal("0.002"),
                    null,
                    null,
                    "")));
    SpanNormalizer mcp =
        new SpanNormalizer(new CostCalculator(p -> TestCatalog.catalog(), p -> forecast), 4096);
    List<AgentSpan> spans = new java.util.ArrayList<>();
    for (String f : List.of("01-agent-mcp-tool.binpb", "02-agent-mcp-tool.binpb")) {
      try (java.io.InputStream in = getClass().getResourceAsStream("/fixtures/otlp/mcp/" + f)) {
        assertThat(in).as(f).isNotNull();
        spans.addAll(
            mcp.normalize(
                    io.agentledger.core.otlp.OtlpTraceDecoder.decode(
                        in.readAllBytes(), io.agentledger.core.otlp.OtlpFormat.PROTOBUF),
                    "p")
                .spans());
      }
    }
    List<AgentSpan> priced = spans.stream().filter(s -> ToolPrices.isToolCost(s.cost())).toList();
    assertThat(priced).hasSize(1);
    assertThat(priced.get(0).kind()).isNotEqualTo(io.agentledger.core.span.SpanKind.SERVER);
    assertThat(io.agentledger.core.rollup.ChainRollup.compute(spans).summary().toolCostUsd())
        .isEqualByComparingTo("0.002");
  }
}

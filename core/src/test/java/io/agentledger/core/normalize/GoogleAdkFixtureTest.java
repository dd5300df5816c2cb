package io.agentledger.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.otlp.OtlpTraceDecoder;
import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import io.agentledger.core.span.CostSource;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Google ADK runs the tools a model chose, sub-agents included, inside the still-open {@code
 * call_llm} span (hand-built fixture: {@code fixtures/otlp/google-adk/README.md}). Every {@code
 * call_llm} is a provider request and is billed, the one with a sub-agent's call beneath it too.
 */
class GoogleAdkFixtureTest {

  private static final String FIXTURE = "/fixtures/otlp/google-adk/01-agent-tool-inside-call.json";

  private final SpanNormalizer normalizer =
      new SpanNormalizer(new CostCalculator(PriceCatalog.bundled()));

  @Test
  void modelCallWithASubAgentInsideIt_isBilled_andTheChainTotalIsEveryCall() throws IOException {
    List<AgentSpan> spans = normalize();

    List<AgentSpan> calls = spans.stream().filter(s -> s.name().equals("call_llm")).toList();
    assertThat(calls).hasSize(3);
    assertThat(calls)
        .allSatisfy(
            c -> {
              assertThat(c.billingRole()).isEqualTo(BillingRole.BILLABLE);
              assertThat(c.cost().source()).isEqualTo(CostSource.COMPUTED);
              // gcp.vertex.agent names the framework, not a host: the model id decides
              assertThat(c.semantics().provider()).isEqualTo("gcp.gemini");
            });

    ChainSummary chain = ChainRollup.compute(spans).summary();
    // 1000/200 + 400/100 + 1300/50 tokens at 0.30/2.50 USD per 1M (gemini-2.5-flash)
    assertThat(chain.costUsd()).isEqualByComparingTo(new BigDecimal("0.001685"));
    assertThat(chain.llmCalls()).isEqualTo(3);
    assertThat(chain.usage().inputTokens()).isEqualTo(2700);
    assertThat(chain.usage().outputTokens()).isEqualTo(350);
    assertThat(chain.costComplete()).isTrue();
    assertThat(ChainRollup.compute(spans).billingCorrections()).isEmpty();
  }

  private List<AgentSpan> normalize() throws IOException {
    try (InputStream in = getClass().getResourceAsStream(FIXTURE)) {
      assertThat(in).as(FIXTURE).isNotNull();
      return normalizer.normalize(OtlpTraceDecoder.decodeJson(in.readAllBytes()), null).spans();
    }
  }
}

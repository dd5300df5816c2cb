package io.agentledger.store;

import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.pricing.ToolKind;
import io.agentledger.core.pricing.ToolPrice;
import io.agentledger.core.rollup.AgentCost;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.span.AgentSpan;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every adapter must do with tool prices ({@link ToolPriceStore}), tool costs in chain,
 * session and agent totals, and workflow runs ({@link CostQueries#workflow}): mixed into {@link
 * SpanStoreContract}, so both adapters run it on a fresh store per test.
 */
public interface ToolCostWorkflowContract {

  /** The fresh store of the current test. */
  SpanStore store();

  /**
   * A chain of agent "coder": a model call ($0.10), web_search ($0.005 by a tool price), a sandbox
   * ($0.02 by a tool price) with a model call inside ($0.03). Total $0.155, of which tools $0.025.
   */
  private static List<AgentSpan> chain(String project, String traceId, long offset, String wf) {
    return chain(project, traceId, offset, wf, "");
  }

  private static List<AgentSpan> chain(
      String project, String traceId, long offset, String wf, String session) {
    Map<String, String> workflow = wf.isEmpty() ? Map.of() : Map.of("temporalWorkflowID", wf);
    return List.of(
        span("root", null)
            .trace(traceId)
            .project(project)
            .agent("coder")
            .session(session)
            .attributes(workflow)
            .at(offset, 1000)
            .build(),
        span("chat", "root")
            .trace(traceId)
            .project(project)
            .llm("openai", "gpt-4o")
            .usage(1000, 200, "0.10")
            .at(offset + 1, 10)
            .build(),
        span("search", "root")
            .trace(traceId)
            .project(project)
            .tool("web_search")
            .toolCost("0.005")
            .at(offset + 20, 5)
            .build(),
        span("sandbox", "root")
            .trace(traceId)
            .project(project)
            .tool("sandbox")
            .toolCost("0.02")
            .at(offset + 30, 500)
            .build(),
        span("inner", "sandbox")
            .trace(traceId)
            .project(project)
            .llm("openai", "gpt-4o-mini")
            .usage(500, 100, "0.03")
            .at(offset + 40, 10)
            .build());
  }

  private static String trace(int n) {
    return String.format("%032x", 0xdef000L + n);
  }

  private void settle(String project, String... traceIds) {
    List<ChainRollupResult> results = new ArrayList<>();
    store()
        .chainSpans(project, List.of(traceIds))
        .values()
        .forEach(spans -> results.add(ChainRollup.compute(spans)));
    store().saveRollups(results);
  }

  @Test
  default void toolPrices_roundTrip_replacedByTool_perProject() {
    ToolPrice first =
        new ToolPrice(
            "scrape",
            ToolKind.TOOL,
            LocalDate.of(2025, 1, 1),
            new BigDecimal("0.001"),
            null,
            new BigDecimal("0.0002"),
            "scrape.pages");
    ToolPrice replaced =
        new ToolPrice(
            "scrape",
            ToolKind.TOOL,
            LocalDate.of(2025, 6, 1),
            new BigDecimal("0.002"),
            null,
            null,
            "");
    ToolPrice sandbox =
        new ToolPrice(
            "e2b",
            ToolKind.SANDBOX,
            LocalDate.of(2025, 1, 1),
            null,
            new BigDecimal("0.5"),
            null,
            "");

    store().saveToolPrice("p", first);
    store().saveToolPrice("p", sandbox);
    store().saveToolPrice("p", replaced);

    assertThat(store().toolPrices("p")).containsExactly(sandbox, replaced);
    assertThat(store().toolPrices("other")).isEmpty();
  }

  @Test
  default void chainSessionAndAgentTotals_includeToolCosts_andShowThemApart() {
    store().append(chain("p", trace(1), 0, ""));
    store().append(chain("p", trace(2), 60_000, ""));
    settle("p", trace(1), trace(2));

    // Each chain: 0.10 + 0.03 (models) + 0.005 + 0.02 (tools) = 0.155, of which 0.025 tools.
    ChainSummary one = store().chainSummary("p", trace(1)).orElseThrow();
    assertThat(one.costUsd()).isEqualByComparingTo("0.155");
    assertThat(one.toolCostUsd()).isEqualByComparingTo("0.025");
    assertThat(store().chains("p", ChainQuery.all(RunStoreContract.DAY)).items())
        .extracting(c -> c.toolCostUsd().stripTrailingZeros().toPlainString())
        .containsExactly("0.025", "0.025");

    // A session of one such chain: 0.155, of which 0.025 tools.
    store().append(chain("p", trace(3), 120_000, "", "sess-t"));
    settle("p", trace(3));
    SessionReport session = store().session("p", "sess-t").orElseThrow();
    assertThat(session.costUsd()).isEqualByComparingTo("0.155");
    assertThat(session.toolCostUsd()).isEqualByComparingTo("0.025");
    AgentCost coder = session.byAgent().get(0);
    assertThat(coder.toolCostUsd()).isEqualByComparingTo("0.025");

    // GET /agents: the three chains, 0.465 in all, 0.075 of it tools.
    AgentStats agent = store().agents("p", RunStoreContract.DAY).get(0);
    assertThat(agent.agent()).isEqualTo("coder");
    assertThat(agent.costUsd()).isEqualByComparingTo("0.465");
    assertThat(agent.toolCostUsd()).isEqualByComparingTo("0.075");
    assertThat(agent.llmCalls()).isEqualTo(6);
  }

  @Test
  default void workflowRun_addsUpItsChains_onlyItsOwn_andOnlyInItsProject() {
    store().append(chain("p", trace(11), 0, "order-42"));
    store().append(chain("p", trace(12), 60_000, "order-42"));
    store().append(chain("p", trace(13), 120_000, "order-43"));
    store().append(chain("q", trace(14), 0, "order-42"));
    settle("p", trace(11), trace(12), trace(13));
    settle("q", trace(14));

    SessionReport wf = store().workflow("p", "order-42").orElseThrow();
    assertThat(wf.sessionId()).isEqualTo("order-42");
    assertThat(wf.chains()).isEqualTo(2);
    assertThat(wf.traceIds()).containsExactly(trace(11), trace(12));
    assertThat(wf.costUsd()).isEqualByComparingTo("0.31");
    assertThat(wf.toolCostUsd()).isEqualByComparingTo("0.05");
    assertThat(wf.costComplete()).isTrue();
    assertThat(wf.byModel())
        .extracting(m -> m.model(), m -> m.costUsd().stripTrailingZeros().toPlainString())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("gpt-4o", "0.2"),
            org.assertj.core.groups.Tuple.tuple("gpt-4o-mini", "0.06"));
    assertThat(store().chainSummary("p", trace(11)).orElseThrow().workflowId())
        .isEqualTo("order-42");

    assertThat(store().workflow("q", "order-42").orElseThrow().traceIds())
        .containsExactly(trace(14));
    assertThat(store().workflow("p", "nope")).isEmpty();
    assertThat(store().workflow("other", "order-42")).isEmpty();
  }

  @Test
  default void chainList_filteredByWorkflow_onlyItsChains_andPagesStayInIt() {
    store().append(chain("p", trace(21), 0, "order-42"));
    store().append(chain("p", trace(22), 60_000, "order-42"));
    store().append(chain("p", trace(23), 120_000, "order-43"));
    store().append(chain("p", trace(24), 180_000, ""));
    store().append(chain("q", trace(25), 0, "order-42"));
    settle("p", trace(21), trace(22), trace(23), trace(24));
    settle("q", trace(25));

    ChainQuery all = ChainQuery.all(RunStoreContract.DAY);
    assertThat(store().chains("p", all.withWorkflowId("order-42")).items())
        .extracting(ChainSummary::traceId)
        .containsExactly(trace(22), trace(21)); // newest first
    assertThat(store().chains("p", all.withWorkflowId("order-43")).items())
        .extracting(ChainSummary::traceId, ChainSummary::workflowId)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(trace(23), "order-43"));
    assertThat(store().chains("p", all.withWorkflowId("nope")).items()).isEmpty();
    assertThat(store().chains("p", all).items()).hasSize(4); // empty: no filter

    Page<ChainSummary> first = store().chains("p", all.withWorkflowId("order-42").withLimit(1));
    assertThat(first.items()).extracting(ChainSummary::traceId).containsExactly(trace(22));
    Page<ChainSummary> second =
        store()
            .chains(
                "p",
                all.withWorkflowId("order-42")
                    .withLimit(1)
                    .withCursor(first.nextCursor().orElseThrow()));
    assertThat(second.items()).extracting(ChainSummary::traceId).containsExactly(trace(21));
    assertThat(second.nextCursor()).isEmpty();
  }
}

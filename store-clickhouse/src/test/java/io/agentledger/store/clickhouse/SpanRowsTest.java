package io.agentledger.store.clickhouse;

import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import io.agentledger.core.span.SpanEvent;
import io.agentledger.core.span.SpanKind;
import io.agentledger.core.span.SpanLink;
import io.agentledger.core.span.SpanStatus;
import io.agentledger.core.span.StatusCode;
import io.agentledger.store.Settlement;
import io.agentledger.store.clickhouse.SpanRows.Row;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanRowsTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  private static AgentSpan rich() {
    AgentSpan base =
        span("llm", "root")
            .trace(TRACE)
            .project("p")
            .llm("openai", "gpt-4o")
            .session("s-1")
            .usage(10, 5, "0.000000123456")
            .at(0, 20)
            .build();
    return base.toBuilder()
        .kind(SpanKind.CLIENT)
        .status(new SpanStatus(StatusCode.ERROR, "boom", "timeout"))
        .scopeName("openai-instrumentation")
        .attributes(Map.of("gen_ai.request.model", "gpt-4o", "k", "v"))
        .resourceAttributes(Map.of("service.name", "svc"))
        .events(
            List.of(
                new SpanEvent(
                    base.startEpochNanos() + 5, "agentledger.decision", Map.of("choice", "x")),
                new SpanEvent(base.startEpochNanos() + 7, "exception", Map.of())))
        .links(
            List.of(new SpanLink("0000000000000000000000000000abcd", "00000000000000aa", Map.of())))
        .build();
  }

  @Test
  void insertValues_followTheColumnList_inOtelSpelling() {
    AgentSpan s = rich();
    Instant stored = Instant.parse("2025-11-23T12:20:00.123456Z");
    List<Object> values = SpanRows.values(new Row(s, Settlement.initial(s), stored, 42L));

    assertThat(values).hasSize(SpanRows.columnCount());
    Map<String, Object> byColumn = byColumn(values);
    assertThat(byColumn.get("Timestamp")).isEqualTo(Sql.instant(s.startEpochNanos()));
    assertThat(byColumn.get("Duration")).isEqualTo(20_000_000L);
    assertThat(byColumn.get("SpanKind")).isEqualTo("SPAN_KIND_CLIENT");
    assertThat(byColumn.get("StatusCode")).isEqualTo("STATUS_CODE_ERROR");
    assertThat(byColumn.get("`Events.Timestamp`"))
        .isEqualTo(
            List.of(Sql.instant(s.startEpochNanos() + 5), Sql.instant(s.startEpochNanos() + 7)));
    assertThat(byColumn.get("`Events.Name`"))
        .isEqualTo(List.of("agentledger.decision", "exception"));
    assertThat(byColumn.get("`Links.TraceState`")).isEqualTo(List.of(""));
    assertThat(byColumn.get("CostUsd")).isEqualTo(s.cost().amountUsd());
    assertThat(byColumn.get("BillingRole")).isEqualTo("billable");
    assertThat(byColumn.get("AttributedAgent")).isEqualTo("");
    assertThat(byColumn.get("ChainSessionId")).isEqualTo("s-1");
    assertThat(byColumn.get("IngestedAt")).isEqualTo(stored);
    assertThat(byColumn.get("Version")).isEqualTo(42L);
  }

  @Test
  void unknownCost_isNullNotZero() {
    AgentSpan s = span("m", null).trace(TRACE).llm("acme", "mystery").unpricedUsage(1, 1).build();
    Map<String, Object> byColumn =
        byColumn(SpanRows.values(new Row(s, Settlement.initial(s), Instant.EPOCH, 1)));

    assertThat(byColumn).containsEntry("CostUsd", null).containsEntry("CostSource", "unknown");
    assertThat(byColumn).containsEntry("PricedAs", null);
  }

  @Test
  void settledFields_replaceTheSpansOwn() {
    AgentSpan s = rich();
    Settlement settled = new Settlement(BillingRole.ROLLUP, "planner", "chain-s", "u-9");
    Map<String, Object> byColumn = byColumn(SpanRows.values(new Row(s, settled, Instant.EPOCH, 1)));

    assertThat(byColumn)
        .containsEntry("BillingRole", "rollup")
        .containsEntry("AttributedAgent", "planner")
        .containsEntry("ChainSessionId", "chain-s")
        .containsEntry("ChainUserId", "u-9")
        .containsEntry("SessionId", "s-1"); // the span's own value is kept
  }

  @Test
  void aRowAsTheServerReturnsIt_readsBackToTheSameSpan() throws Exception {
    AgentSpan s = rich();
    Map<String, Object> row = new HashMap<>();
    row.put("Project", "p");
    row.put("TraceId", TRACE);
    row.put("SpanId", s.spanId());
    row.put("ParentSpanId", s.parentSpanId());
    row.put("StartNs", s.startEpochNanos());
    row.put("Duration", 20_000_000L);
    row.put("SpanName", s.name());
    row.put("SpanKind", "SPAN_KIND_CLIENT");
    row.put("StatusCode", "STATUS_CODE_ERROR");
    row.put("StatusMessage", "boom");
    row.put("ErrorType", "timeout");
    row.put("ServiceName", "");
    row.put("ServiceVersion", "");
    row.put("ScopeName", "openai-instrumentation");
    row.put("SpanType", "llm");
    row.put("OperationName", "");
    row.put("Agent", "");
    row.put("AgentId", "");
    row.put("AgentVersion", "");
    row.put("SessionId", "s-1");
    row.put("UserId", "");
    row.put("Provider", "openai");
    row.put("RequestModel", "gpt-4o");
    row.put("ResponseModel", "gpt-4o");
    row.put("ToolName", "");
    row.put("ToolCallId", "");
    row.put("FinishReasonsJson", "[]");
    row.put("UsageReported", true);
    row.put("InputTokens", 10L);
    row.put("OutputTokens", 5L);
    row.put("CacheReadTokens", 0L);
    row.put("CacheWriteTokens", 0L);
    row.put("CacheWrite1hTokens", 0L);
    row.put("ReasoningTokens", 0L);
    row.put("CostUsd", "0.000000123456");
    row.put("CostSource", "computed");
    row.put("PricedAs", "openai/gpt-4o");
    row.put("CatalogVersion", "test-1");
    row.put("CostDetail", "");
    row.put("BillingRole", "billable");
    // toJSONString output: 64-bit integers quoted, slashes escaped.
    row.put("SpanAttributesJson", "{\"gen_ai.request.model\":\"gpt-4o\",\"k\":\"v\"}");
    row.put("ResourceAttributesJson", "{\"service.name\":\"svc\"}");
    row.put(
        "EventTimesJson",
        "[\"" + (s.startEpochNanos() + 5) + "\",\"" + (s.startEpochNanos() + 7) + "\"]");
    row.put("EventNamesJson", "[\"agentledger.decision\",\"exception\"]");
    row.put("EventAttributesJson", "[{\"choice\":\"x\"},{}]");
    row.put("LinkTraceIdsJson", "[\"0000000000000000000000000000abcd\"]");
    row.put("LinkSpanIdsJson", "[\"00000000000000aa\"]");
    row.put("LinkAttributesJson", "[{}]");

    assertThat(SpanRows.read(FakeResultSet.row(row))).isEqualTo(s);
  }

  @Test
  void kindAndStatus_readBothOtelAndOwnSpellings() {
    assertThat(SpanRows.spanKind("SPAN_KIND_PRODUCER")).isEqualTo(SpanKind.PRODUCER);
    assertThat(SpanRows.spanKind("server")).isEqualTo(SpanKind.SERVER);
    assertThat(SpanRows.spanKind("")).isEqualTo(SpanKind.UNSPECIFIED);
    assertThat(SpanRows.statusCode("STATUS_CODE_OK")).isEqualTo(StatusCode.OK);
    assertThat(SpanRows.statusCode("Error")).isEqualTo(StatusCode.ERROR);
    for (SpanKind k : SpanKind.values()) {
      assertThat(SpanRows.spanKind(SpanRows.spanKind(k))).isEqualTo(k);
    }
    for (StatusCode c : StatusCode.values()) {
      assertThat(SpanRows.statusCode(SpanRows.statusCode(c))).isEqualTo(c);
    }
  }

  /** Column name (as in the INSERT list) → value. */
  private static Map<String, Object> byColumn(List<Object> values) {
    String list =
        SpanRows.INSERT.substring(
            SpanRows.INSERT.indexOf('(') + 1, SpanRows.INSERT.indexOf(") VALUES"));
    String[] names = list.split(", ");
    assertThat(names).hasSize(values.size());
    Map<String, Object> out = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      out.put(names[i], values.get(i));
    }
    return out;
  }
}

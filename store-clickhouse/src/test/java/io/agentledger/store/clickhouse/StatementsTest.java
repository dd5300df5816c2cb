package io.agentledger.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.jdbc.internal.ParsedPreparedStatement;
import com.clickhouse.jdbc.internal.SqlParserFacade;
import io.agentledger.store.AnomalyQuery;
import io.agentledger.store.ChainCursor;
import io.agentledger.store.ChainQuery;
import io.agentledger.store.CostDimension;
import io.agentledger.store.CostQuery;
import io.agentledger.store.TimeRange;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The statements the store sends, checked without a server: the driver's parser (JavaCC, its
 * default) must find exactly one placeholder per argument, and inserts must be ones it can batch
 * into a single statement.
 */
class StatementsTest {

  private static final Instant T0 = Instant.parse("2025-11-23T12:13:20Z");
  private static final TimeRange DAY =
      new TimeRange(T0.minusSeconds(43_200), T0.plusSeconds(43_200));
  private static final List<String> IDS = List.of("a", "b", "c");

  private static ParsedPreparedStatement parse(String sql) throws SQLException {
    return SqlParserFacade.getParser("JAVACC").parsePreparedStatement(sql);
  }

  private static void assertBindsEveryArgument(Sql sql) throws SQLException {
    assertThat(sql.text()).as("a colon would hide a placeholder").doesNotContain(":");
    assertThat(parse(sql.text()).getArgCount()).as(sql.text()).isEqualTo(sql.args().size());
  }

  private static List<Sql> reads() {
    List<Sql> out = new ArrayList<>();
    out.add(Lookups.traceRanges("p", IDS));
    out.add(Lookups.storedSpanIds("p", IDS, 1, 2));
    out.add(Lookups.chainSpans("p", IDS, 1, 2));
    out.add(Lookups.settledFields("p", IDS, 1, 2));
    out.add(Lookups.chainsTouched(T0, T0.plusSeconds(1), 10));
    out.add(Listings.chainSummary("p", "t"));
    out.add(Listings.sessionChains("p", "s"));
    out.add(Listings.workflowChains("p", "w"));
    out.add(ResultRows.toolPrices("p"));
    out.add(Listings.agents("p", DAY));
    for (List<CostDimension> dims :
        List.of(
            List.<CostDimension>of(),
            List.of(CostDimension.MODEL),
            List.of(CostDimension.PROVIDER, CostDimension.TOOL, CostDimension.SESSION_ID))) {
      CostQuery q = new CostQuery(DAY, dims, Optional.of(Duration.ofHours(1)));
      out.add(Listings.costGroups("p", q));
      out.add(Listings.costSeries("p", q));
    }
    ChainQuery everyFilter =
        new ChainQuery(
            DAY,
            "svc",
            "writer",
            "s-1",
            "u-1",
            Optional.of(new BigDecimal("0.30")),
            ChainQuery.Order.START,
            10,
            Optional.empty());
    out.add(Listings.chains("p", everyFilter));
    out.add(
        Listings.chains(
            "p",
            everyFilter.withCursor(
                new ChainCursor(ChainQuery.Order.START, 5, BigDecimal.ZERO, "t").encode())));
    ChainQuery byCost =
        new ChainQuery(
            DAY, "", "", "", "", Optional.empty(), ChainQuery.Order.COST, 10, Optional.empty());
    out.add(
        Listings.chains(
            "p",
            byCost.withCursor(
                new ChainCursor(ChainQuery.Order.COST, 0, new BigDecimal("1E-9"), "t").encode())));
    out.add(AnomalyRows.select("p", AnomalyQuery.all(DAY, 10)));
    out.add(
        AnomalyRows.select(
            "p",
            new AnomalyQuery(DAY, "firing", "tool_loop", "writer", 10, Optional.empty())
                .after(new AnomalyQuery.Position(DAY.from(), "a1"))));
    out.add(RegressionRows.select("p", DAY, ""));
    out.add(RegressionRows.select("p", DAY, "writer"));
    out.add(ResultRows.priceOverrides("p"));
    out.add(ResultRows.state("k"));
    return out;
  }

  @Test
  void everyRead_bindsEachArgumentToOnePlaceholder() throws SQLException {
    for (Sql sql : reads()) {
      assertBindsEveryArgument(sql);
    }
  }

  @Test
  void everyRead_isScopedToOneProject() {
    for (Sql sql : reads()) {
      if (sql.text().contains("FROM chain_activity") || sql.text().contains("pipeline_state")) {
        continue; // the analyzer's cross-project feed, and pipeline state
      }
      assertThat(sql.text()).as(sql.text()).contains("WHERE Project = ?");
      assertThat(sql.args().get(0)).isEqualTo("p");
    }
  }

  @Test
  void everyReadOfAReplacingTable_readsFinal() {
    for (Sql sql : reads()) {
      String text = sql.text();
      for (String table :
          List.of(
              "spans",
              "chains",
              "anomalies",
              "agent_regressions",
              "price_overrides",
              "tool_prices",
              "pipeline_state")) {
        if (text.contains("FROM " + table + " ")
            && !text.contains("SELECT DISTINCT TraceId, SpanId FROM spans")) {
          assertThat(text).as(text).contains("FROM " + table + " FINAL");
        }
      }
    }
  }

  @Test
  void everyInsert_isOneValuesGroup_soTheDriverSendsABatchAsOneStatement() throws SQLException {
    Map<String, Integer> inserts =
        Map.of(
            SpanRows.INSERT, SpanRows.columnCount(),
            ChainRows.INSERT, 27,
            Lookups.INSERT_TRACE_INDEX, 4,
            Lookups.INSERT_ACTIVITY, 3,
            AnomalyRows.INSERT, 16,
            RegressionRows.INSERT, 25,
            ResultRows.INSERT_PRICE_OVERRIDE, 5,
            ResultRows.INSERT_TOOL_PRICE, 4,
            ResultRows.INSERT_STATE, 3);
    for (Map.Entry<String, Integer> e : inserts.entrySet()) {
      ParsedPreparedStatement parsed = parse(e.getKey());
      assertThat(e.getKey()).doesNotContain(":");
      assertThat(parsed.isInsert()).as(e.getKey()).isTrue();
      assertThat(parsed.getArgCount()).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(parsed.getAssignValuesGroups()).as(e.getKey()).isEqualTo(1);
      assertThat(parsed.getAssignValuesListStartPosition()).as(e.getKey()).isGreaterThan(-1);
      assertThat(parsed.getAssignValuesListStopPosition()).as(e.getKey()).isGreaterThan(-1);
    }
  }

  @Test
  void costs_groupBillableSpansOnly_byTheSettledColumns() {
    CostQuery q =
        new CostQuery(
            DAY, List.of(CostDimension.AGENT, CostDimension.SESSION_ID), Optional.empty());
    Sql sql = Listings.costGroups("p", q);

    assertThat(sql.text())
        .contains("toString(AttributedAgent) AS k0, toString(ChainSessionId) AS k1,")
        .contains("AND BillingRole = 'billable'")
        .contains("GROUP BY k0, k1 ORDER BY cost DESC, k0, k1");
    assertThat(sql.args()).containsExactly("p", DAY.from(), DAY.to());
  }

  @Test
  void everyDimension_mapsToASpansColumn() throws SQLException {
    String ddl = Migrations.read("V001__spans.sql");
    for (CostDimension d : CostDimension.values()) {
      String column = Listings.DIMENSION_COLUMNS.get(d);
      assertThat(column).as(d.apiName()).isNotNull();
      assertThat(ddl).as(d.apiName()).contains("    " + column + " ");
    }
    assertThat(Listings.DIMENSION_COLUMNS.get(CostDimension.AGENT)).isEqualTo("AttributedAgent");
    assertThat(Listings.DIMENSION_COLUMNS.get(CostDimension.USER_ID)).isEqualTo("ChainUserId");
  }

  @Test
  void costsWithoutDimensions_areOneRow_andBucketsAlignToTheEpoch() {
    CostQuery q = new CostQuery(DAY, List.of(), Optional.of(Duration.ofMinutes(15)));

    assertThat(Listings.costGroups("p", q).text())
        .doesNotContain("GROUP BY")
        .startsWith("SELECT ifNull(");
    assertThat(Listings.costSeries("p", q).text())
        .contains(
            "toUnixTimestamp64Nano(Timestamp) - positiveModulo(toUnixTimestamp64Nano(Timestamp),"
                + " 900000000000) AS bucket")
        .contains("GROUP BY bucket ORDER BY bucket");
  }

  @Test
  void chainCursors_continueAfterTheLastSortKey() {
    ChainQuery byStart = ChainQuery.all(DAY);
    String startCursor =
        new ChainCursor(ChainQuery.Order.START, 42, BigDecimal.ZERO, "t9").encode();
    Sql page2 = Listings.chains("p", byStart.withCursor(startCursor));

    assertThat(page2.text())
        .contains("AND (StartTime < ? OR (StartTime = ? AND TraceId < ?))")
        .endsWith("ORDER BY StartTime DESC, TraceId DESC LIMIT ?");
    assertThat(page2.args())
        .containsExactly("p", DAY.from(), DAY.to(), Sql.instant(42), Sql.instant(42), "t9", 51);

    ChainQuery byCost =
        new ChainQuery(
            DAY, "", "", "", "", Optional.empty(), ChainQuery.Order.COST, 2, Optional.empty());
    String costCursor =
        new ChainCursor(ChainQuery.Order.COST, 0, new BigDecimal("0.000000001"), "t3").encode();
    Sql costPage = Listings.chains("p", byCost.withCursor(costCursor));

    assertThat(costPage.text())
        .contains(
            "AND (CostUsd < toDecimal128(?, 12) OR (CostUsd = toDecimal128(?, 12)"
                + " AND TraceId < ?))")
        .endsWith("ORDER BY CostUsd DESC, TraceId DESC LIMIT ?");
    // Exact decimal text, never a float and never 1E-9.
    assertThat(costPage.args()).containsSubsequence("0.000000001000", "0.000000001000", "t3", 3);
  }

  @Test
  void foreignAndForgedCursors_areRejectedBeforeAnyQuery() {
    String startCursor = new ChainCursor(ChainQuery.Order.START, 1, BigDecimal.ZERO, "t").encode();
    ChainQuery byCost =
        new ChainQuery(
            DAY, "", "", "", "", Optional.empty(), ChainQuery.Order.COST, 2, Optional.empty());

    assertThatThrownBy(() -> Listings.chains("p", byCost.withCursor(startCursor)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Listings.chains("p", byCost.withCursor("garbage!")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void chainLookups_stayInsideTheChainsTimeRange() {
    Sql sql = Lookups.chainSpans("p", IDS, 100, 200);

    assertThat(sql.text())
        .contains("FROM spans FINAL WHERE Project = ? AND Timestamp >= ? AND Timestamp <= ?");
    assertThat(sql.args()).containsExactly("p", Sql.instant(100), Sql.instant(200), "a", "b", "c");
  }

  @Test
  void retention_changesOnlyWhenTheTtlDoes() {
    assertThat(Retention.changes("86400", "86400")).isEmpty();
    assertThat(Retention.changes("", "86400"))
        .containsExactly(
            "ALTER TABLE spans MODIFY TTL toDateTime(Timestamp) + toIntervalSecond(86400)",
            "ALTER TABLE trace_index MODIFY TTL toDateTime(`End`) + toIntervalSecond(86400)",
            "ALTER TABLE chain_activity MODIFY TTL toDateTime(IngestedAt) + toIntervalSecond(86400)",
            "ALTER TABLE chains MODIFY TTL toDateTime(EndTime) + toIntervalSecond(86400)");
    assertThat(Retention.changes("86400", "")).allMatch(s -> s.endsWith(" REMOVE TTL")).hasSize(4);
    assertThat(Retention.seconds(Duration.ZERO)).isEmpty();
    assertThat(Retention.seconds(null)).isEmpty();
    assertThat(Retention.seconds(Duration.ofDays(30))).isEqualTo("2592000");
    assertThatThrownBy(() -> Retention.seconds(Duration.ofDays(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void inLists_areChunked() {
    List<Integer> items = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      items.add(i);
    }
    assertThat(Jdbc.chunks(items, 1_000)).extracting(List::size).containsExactly(1_000, 1_000, 500);
    assertThat(Jdbc.chunks(List.of(), 1_000)).isEmpty();
  }
}

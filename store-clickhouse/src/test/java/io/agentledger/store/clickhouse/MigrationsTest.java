package io.agentledger.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.URISyntaxException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  void files_areNumberedFromOne_withoutGaps_inOrder() {
    for (int i = 0; i < Migrations.FILES.size(); i++) {
      assertThat(Migrations.version(Migrations.FILES.get(i))).isEqualTo(i + 1);
    }
  }

  @Test
  void everyFileInTheFolder_isListed_andEveryListedFileIsThere() throws URISyntaxException {
    File dir = new File(Objects.requireNonNull(Migrations.class.getResource("migrations")).toURI());
    List<String> onDisk = new ArrayList<>(Arrays.asList(Objects.requireNonNull(dir.list())));
    onDisk.sort(null);

    assertThat(onDisk).containsExactlyElementsOf(Migrations.FILES);
  }

  @Test
  void everyStatement_isIdempotent() throws SQLException {
    int creates = 0;
    int addedColumns = 0;
    for (String file : Migrations.FILES) {
      for (String st : Migrations.statements(Migrations.read(file))) {
        assertThat(st)
            .as(file)
            .matches(
                "(?s)(CREATE TABLE IF NOT EXISTS |ALTER TABLE \\w+ ADD COLUMN IF NOT EXISTS ).*")
            .doesNotEndWith(";");
        if (st.startsWith("CREATE")) {
          creates++;
        } else {
          addedColumns++;
        }
      }
    }
    // spans; trace_index, chain_activity; chains; anomalies, regressions; 3 state tables;
    // decision_nodes, decision_trees; runs; alert_rules, alert_states, notifications,
    // notification_deliveries; agent_regressions; tool_prices; lease_claims; cost tree heads and
    // nodes
    assertThat(creates).isEqualTo(21);
    // anomaly episodes: subject, band (2), severity, first/last seen, examples, detail;
    // chains' tool cost and workflow id; regression episodes: status, last seen
    assertThat(addedColumns).isEqualTo(12);
  }

  @Test
  void statements_dropCommentsAndSplitAtLineEndSemicolons() {
    String script =
        "-- a comment; with a semicolon\n"
            + "CREATE TABLE IF NOT EXISTS a\n(\n  x String DEFAULT 'a;b'\n)\nENGINE = Log;\n"
            + "\n"
            + "  -- another\n"
            + "CREATE TABLE IF NOT EXISTS b (y UInt8) ENGINE = Log;\n";

    assertThat(Migrations.statements(script))
        .containsExactly(
            "CREATE TABLE IF NOT EXISTS a\n(\n  x String DEFAULT 'a;b'\n)\nENGINE = Log",
            "CREATE TABLE IF NOT EXISTS b (y UInt8) ENGINE = Log");
  }

  @Test
  void badFileNames_areRejected() {
    assertThatThrownBy(() -> Migrations.version("V1__x.sql"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Migrations.version("V001-x.sql"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void spansTable_hasTheExporterColumnsWithTheirTypes() throws SQLException {
    String ddl = Migrations.read("V001__spans.sql");
    for (String column :
        List.of(
            "Timestamp DateTime64(9)",
            "TraceId String",
            "SpanId String",
            "ParentSpanId String",
            "TraceState String",
            "SpanName LowCardinality(String)",
            "SpanKind LowCardinality(String)",
            "ServiceName LowCardinality(String)",
            "ResourceAttributes Map(LowCardinality(String), String)",
            "ScopeName String",
            "ScopeVersion String",
            "SpanAttributes Map(LowCardinality(String), String)",
            "Duration UInt64",
            "StatusCode LowCardinality(String)",
            "StatusMessage String",
            "Events Nested (\n"
                + "        Timestamp DateTime64(9),\n"
                + "        Name LowCardinality(String),\n"
                + "        Attributes Map(LowCardinality(String), String)\n"
                + "    )",
            "Links Nested (\n"
                + "        TraceId String,\n"
                + "        SpanId String,\n"
                + "        TraceState String,\n"
                + "        Attributes Map(LowCardinality(String), String)\n"
                + "    )",
            "CostUsd Nullable(Decimal(38, 12))",
            "IngestedAt DateTime64(6)")) {
      assertThat(ddl).as(column).contains("    " + column + " ");
    }
    assertThat(ddl).contains("INDEX idx_trace_id TraceId TYPE bloom_filter(0.001)");
  }

  @Test
  void spansTable_collapsesReplays_andPrunesByDay() throws SQLException {
    String ddl = Migrations.read("V001__spans.sql");

    assertThat(ddl)
        .contains("ENGINE = ReplacingMergeTree(Version)")
        .contains("PARTITION BY toDate(Timestamp)")
        // The sorting key identifies the span: copies of it share every part of the key.
        .contains("ORDER BY (Project, toStartOfHour(Timestamp), TraceId, SpanId)");
  }

  @Test
  void everyColumnTheStoreWrites_existsInTheSchema() throws SQLException {
    String ddl = Migrations.read("V001__spans.sql");
    String list =
        SpanRows.INSERT.substring(
            SpanRows.INSERT.indexOf('(') + 1, SpanRows.INSERT.indexOf(") VALUES"));
    for (String column : list.split(", ")) {
      String name = column.replace("`", "");
      String declared =
          name.contains(".")
              ? "    " + name.substring(0, name.indexOf('.')) + " Nested ("
              : "    " + name + " ";
      assertThat(ddl).as(column).contains(declared);
    }
  }
}

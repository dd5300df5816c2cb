package io.agentledger.store.clickhouse;

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
import io.agentledger.store.Settlement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Maps a span to a row of the {@code spans} table and back. */
final class SpanRows {

  /** One row to insert. */
  record Row(AgentSpan span, Settlement settlement, Instant ingestedAt, long version) {}

  private record Column(String name, Function<Row, Object> value) {}

  private static final List<Column> COLUMNS =
      List.of(
          col("Timestamp", r -> Sql.instant(r.span().startEpochNanos())),
          col("TraceId", r -> r.span().traceId()),
          col("SpanId", r -> r.span().spanId()),
          col("ParentSpanId", r -> r.span().parentSpanId()),
          col("TraceState", r -> ""),
          col("SpanName", r -> r.span().name()),
          col("SpanKind", r -> spanKind(r.span().kind())),
          col("ServiceName", r -> r.span().serviceName()),
          col("ResourceAttributes", r -> r.span().resourceAttributes()),
          col("ScopeName", r -> r.span().scopeName()),
          col("ScopeVersion", r -> ""),
          col("SpanAttributes", r -> r.span().attributes()),
          col("Duration", r -> r.span().durationNanos()),
          col("StatusCode", r -> statusCode(r.span().status().code())),
          col("StatusMessage", r -> r.span().status().message()),
          col("`Events.Timestamp`", r -> map(r.span().events(), e -> Sql.instant(e.epochNanos()))),
          col("`Events.Name`", r -> map(r.span().events(), SpanEvent::name)),
          col("`Events.Attributes`", r -> map(r.span().events(), SpanEvent::attributes)),
          col("`Links.TraceId`", r -> map(r.span().links(), SpanLink::traceId)),
          col("`Links.SpanId`", r -> map(r.span().links(), SpanLink::spanId)),
          col("`Links.TraceState`", r -> map(r.span().links(), l -> "")),
          col("`Links.Attributes`", r -> map(r.span().links(), SpanLink::attributes)),
          col("Project", r -> r.span().project()),
          col("ServiceVersion", r -> r.span().serviceVersion()),
          col("ErrorType", r -> r.span().status().errorType()),
          col("SpanType", r -> r.span().type().wireName()),
          col("OperationName", r -> r.span().semantics().operationName()),
          col("Agent", r -> r.span().semantics().agentName()),
          col("AgentId", r -> r.span().semantics().agentId()),
          col("AgentVersion", r -> r.span().semantics().agentVersion()),
          col("SessionId", r -> r.span().semantics().sessionId()),
          col("UserId", r -> r.span().semantics().userId()),
          col("Provider", r -> r.span().semantics().provider()),
          col("RequestModel", r -> r.span().semantics().requestModel()),
          col("ResponseModel", r -> r.span().semantics().responseModel()),
          col("ToolName", r -> r.span().semantics().toolName()),
          col("ToolCallId", r -> r.span().semantics().toolCallId()),
          col("FinishReasons", r -> r.span().semantics().finishReasons()),
          col("UsageReported", r -> r.span().usage().reported()),
          col("InputTokens", r -> r.span().usage().inputTokens()),
          col("OutputTokens", r -> r.span().usage().outputTokens()),
          col("CacheReadTokens", r -> r.span().usage().cacheReadTokens()),
          col("CacheWriteTokens", r -> r.span().usage().cacheWriteTokens()),
          col("CacheWrite1hTokens", r -> r.span().usage().cacheWrite1hTokens()),
          col("ReasoningTokens", r -> r.span().usage().reasoningTokens()),
          col("CostUsd", r -> r.span().cost().amountUsd()),
          col("CostSource", r -> r.span().cost().source().wireName()),
          col("PricedAs", r -> r.span().cost().pricedAs()),
          col("CatalogVersion", r -> r.span().cost().catalogVersion()),
          col("CostDetail", r -> r.span().cost().detail()),
          col("BillingRole", r -> r.settlement().role().wireName()),
          col("AttributedAgent", r -> r.settlement().attributedAgent()),
          col("ChainSessionId", r -> r.settlement().sessionId()),
          col("ChainUserId", r -> r.settlement().userId()),
          col("IngestedAt", Row::ingestedAt),
          col("Version", Row::version));

  /** The batch insert: one VALUES group, so the driver sends a whole batch as one statement. */
  static final String INSERT =
      "INSERT INTO spans ("
          + String.join(", ", COLUMNS.stream().map(Column::name).toList())
          + ") VALUES ("
          + Sql.placeholders(COLUMNS.size())
          + ")";

  /**
   * What reads select, aliased apart from the column names. Times come back as epoch nanoseconds
   * and maps, arrays and nested columns as JSON.
   */
  static final String SELECT =
      "Project, TraceId, SpanId, ParentSpanId, toUnixTimestamp64Nano(Timestamp) AS StartNs,"
          + " Duration, SpanName, SpanKind, StatusCode, StatusMessage, ErrorType, ServiceName,"
          + " ServiceVersion, ScopeName, SpanType, OperationName, Agent, AgentId, AgentVersion,"
          + " SessionId, UserId, Provider, RequestModel, ResponseModel, ToolName, ToolCallId,"
          + " toJSONString(FinishReasons) AS FinishReasonsJson, UsageReported, InputTokens,"
          + " OutputTokens, CacheReadTokens, CacheWriteTokens, CacheWrite1hTokens,"
          + " ReasoningTokens, CostUsd, CostSource, PricedAs, CatalogVersion, CostDetail,"
          + " BillingRole, toJSONString(SpanAttributes) AS SpanAttributesJson,"
          + " toJSONString(ResourceAttributes) AS ResourceAttributesJson,"
          + " toJSONString(arrayMap(t -> toUnixTimestamp64Nano(t), `Events.Timestamp`))"
          + " AS EventTimesJson, toJSONString(`Events.Name`) AS EventNamesJson,"
          + " toJSONString(`Events.Attributes`) AS EventAttributesJson,"
          + " toJSONString(`Links.TraceId`) AS LinkTraceIdsJson,"
          + " toJSONString(`Links.SpanId`) AS LinkSpanIdsJson,"
          + " toJSONString(`Links.Attributes`) AS LinkAttributesJson";

  private SpanRows() {}

  static int columnCount() {
    return COLUMNS.size();
  }

  /** The values of one row, in {@link #INSERT}'s order. */
  static List<Object> values(Row row) {
    List<Object> out = new ArrayList<>(COLUMNS.size());
    for (Column c : COLUMNS) {
      out.add(c.value().apply(row));
    }
    return out;
  }

  static void bind(PreparedStatement ps, Row row) throws SQLException {
    Sql.bind(ps, values(row));
  }

  /** Reads the row at the cursor of a result selected with {@link #SELECT}. */
  static AgentSpan read(ResultSet rs) throws SQLException {
    long start = rs.getLong("StartNs");
    Cost cost =
        new Cost(
            rs.getBigDecimal("CostUsd"),
            CostSource.fromWireName(rs.getString("CostSource")),
            rs.getString("PricedAs"),
            rs.getString("CatalogVersion"),
            rs.getString("CostDetail"));
    Usage usage =
        new Usage(
            rs.getBoolean("UsageReported"),
            rs.getLong("InputTokens"),
            rs.getLong("OutputTokens"),
            rs.getLong("CacheReadTokens"),
            rs.getLong("CacheWriteTokens"),
            rs.getLong("CacheWrite1hTokens"),
            rs.getLong("ReasoningTokens"));
    AgentSemantics semantics =
        new AgentSemantics(
            SpanType.fromWireName(rs.getString("SpanType")),
            rs.getString("OperationName"),
            rs.getString("Agent"),
            rs.getString("AgentId"),
            rs.getString("AgentVersion"),
            rs.getString("SessionId"),
            rs.getString("UserId"),
            rs.getString("Provider"),
            rs.getString("RequestModel"),
            rs.getString("ResponseModel"),
            rs.getString("ToolName"),
            rs.getString("ToolCallId"),
            Json.strings(rs.getString("FinishReasonsJson")));
    return AgentSpan.builder()
        .project(rs.getString("Project"))
        .traceId(rs.getString("TraceId"))
        .spanId(rs.getString("SpanId"))
        .parentSpanId(rs.getString("ParentSpanId"))
        .startEpochNanos(start)
        .endEpochNanos(start + rs.getLong("Duration"))
        .name(rs.getString("SpanName"))
        .kind(spanKind(rs.getString("SpanKind")))
        .status(
            new SpanStatus(
                statusCode(rs.getString("StatusCode")),
                rs.getString("StatusMessage"),
                rs.getString("ErrorType")))
        .serviceName(rs.getString("ServiceName"))
        .serviceVersion(rs.getString("ServiceVersion"))
        .scopeName(rs.getString("ScopeName"))
        .semantics(semantics)
        .usage(usage)
        .cost(cost)
        .billingRole(BillingRole.fromWireName(rs.getString("BillingRole")))
        .attributes(Json.stringMap(rs.getString("SpanAttributesJson")))
        .resourceAttributes(Json.stringMap(rs.getString("ResourceAttributesJson")))
        .events(
            events(
                rs.getString("EventTimesJson"),
                rs.getString("EventNamesJson"),
                rs.getString("EventAttributesJson")))
        .links(
            links(
                rs.getString("LinkTraceIdsJson"),
                rs.getString("LinkSpanIdsJson"),
                rs.getString("LinkAttributesJson")))
        .build();
  }

  static List<SpanEvent> events(String timesJson, String namesJson, String attributesJson) {
    List<Long> times = Json.longs(timesJson);
    List<String> names = Json.strings(namesJson);
    List<Map<String, String>> attributes = Json.stringMaps(attributesJson);
    List<SpanEvent> out = new ArrayList<>(times.size());
    for (int i = 0; i < times.size(); i++) {
      out.add(new SpanEvent(times.get(i), names.get(i), attributes.get(i)));
    }
    return out;
  }

  static List<SpanLink> links(String traceIdsJson, String spanIdsJson, String attributesJson) {
    List<String> traceIds = Json.strings(traceIdsJson);
    List<String> spanIds = Json.strings(spanIdsJson);
    List<Map<String, String>> attributes = Json.stringMaps(attributesJson);
    List<SpanLink> out = new ArrayList<>(traceIds.size());
    for (int i = 0; i < traceIds.size(); i++) {
      out.add(new SpanLink(traceIds.get(i), spanIds.get(i), attributes.get(i)));
    }
    return out;
  }

  /** The exporter's spelling: {@code SPAN_KIND_INTERNAL}, as in {@code trace.proto}. */
  static String spanKind(SpanKind kind) {
    return "SPAN_KIND_" + kind.name();
  }

  static SpanKind spanKind(String stored) {
    return SpanKind.fromWireName(stored.startsWith("SPAN_KIND_") ? stored.substring(10) : stored);
  }

  /** The exporter's spelling: {@code STATUS_CODE_ERROR}. */
  static String statusCode(StatusCode code) {
    return "STATUS_CODE_" + code.name();
  }

  static StatusCode statusCode(String stored) {
    String name = stored.startsWith("STATUS_CODE_") ? stored.substring(12) : stored;
    return StatusCode.fromWireName(name.toLowerCase(Locale.ROOT));
  }

  private static Column col(String name, Function<Row, Object> value) {
    return new Column(name, value);
  }

  private static <T> List<Object> map(List<T> items, Function<T, Object> f) {
    List<Object> out = new ArrayList<>(items.size());
    for (T item : items) {
      out.add(f.apply(item));
    }
    return out;
  }
}

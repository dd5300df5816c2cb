package io.agentledger.store.clickhouse;

import io.agentledger.core.span.Cost;
import io.agentledger.core.span.SpanEvent;
import io.agentledger.core.span.SpanLink;
import java.io.IOException;
import java.util.List;

/**
 * A {@link SpanRows.Row} in ClickHouse's {@code RowBinary} format, column by column in {@link
 * SpanRows#INSERT}'s order (a test keeps the two lists equal). Types follow {@code
 * V001__spans.sql}: DateTime64(9) as epoch nanoseconds, DateTime64(6) as epoch microseconds, nested
 * columns as parallel arrays, the cost as a nullable Decimal(38, 12).
 */
final class SpanRowBinary {

  interface Writer {
    void write(RowBinaryOut out, SpanRows.Row row) throws IOException;
  }

  record Column(String name, Writer writer) {}

  static final List<Column> COLUMNS =
      List.of(
          col("Timestamp", (o, r) -> o.int64(r.span().startEpochNanos())),
          col("TraceId", (o, r) -> o.string(r.span().traceId())),
          col("SpanId", (o, r) -> o.string(r.span().spanId())),
          col("ParentSpanId", (o, r) -> o.string(r.span().parentSpanId())),
          col("TraceState", (o, r) -> o.string("")),
          col("SpanName", (o, r) -> o.string(r.span().name())),
          col("SpanKind", (o, r) -> o.string(SpanRows.spanKind(r.span().kind()))),
          col("ServiceName", (o, r) -> o.string(r.span().serviceName())),
          col("ResourceAttributes", (o, r) -> o.stringMap(r.span().resourceAttributes())),
          col("ScopeName", (o, r) -> o.string(r.span().scopeName())),
          col("ScopeVersion", (o, r) -> o.string("")),
          col("SpanAttributes", (o, r) -> o.stringMap(r.span().attributes())),
          col("Duration", (o, r) -> o.int64(r.span().durationNanos())),
          col("StatusCode", (o, r) -> o.string(SpanRows.statusCode(r.span().status().code()))),
          col("StatusMessage", (o, r) -> o.string(r.span().status().message())),
          col("`Events.Timestamp`", SpanRowBinary::eventTimes),
          col("`Events.Name`", SpanRowBinary::eventNames),
          col("`Events.Attributes`", SpanRowBinary::eventAttributes),
          col("`Links.TraceId`", SpanRowBinary::linkTraceIds),
          col("`Links.SpanId`", SpanRowBinary::linkSpanIds),
          col("`Links.TraceState`", SpanRowBinary::linkTraceStates),
          col("`Links.Attributes`", SpanRowBinary::linkAttributes),
          col("Project", (o, r) -> o.string(r.span().project())),
          col("ServiceVersion", (o, r) -> o.string(r.span().serviceVersion())),
          col("ErrorType", (o, r) -> o.string(r.span().status().errorType())),
          col("SpanType", (o, r) -> o.string(r.span().type().wireName())),
          col("OperationName", (o, r) -> o.string(r.span().semantics().operationName())),
          col("Agent", (o, r) -> o.string(r.span().semantics().agentName())),
          col("AgentId", (o, r) -> o.string(r.span().semantics().agentId())),
          col("AgentVersion", (o, r) -> o.string(r.span().semantics().agentVersion())),
          col("SessionId", (o, r) -> o.string(r.span().semantics().sessionId())),
          col("UserId", (o, r) -> o.string(r.span().semantics().userId())),
          col("Provider", (o, r) -> o.string(r.span().semantics().provider())),
          col("RequestModel", (o, r) -> o.string(r.span().semantics().requestModel())),
          col("ResponseModel", (o, r) -> o.string(r.span().semantics().responseModel())),
          col("ToolName", (o, r) -> o.string(r.span().semantics().toolName())),
          col("ToolCallId", (o, r) -> o.string(r.span().semantics().toolCallId())),
          col("FinishReasons", (o, r) -> o.stringArray(r.span().semantics().finishReasons())),
          col("UsageReported", (o, r) -> o.bool(r.span().usage().reported())),
          col("InputTokens", (o, r) -> o.int64(r.span().usage().inputTokens())),
          col("OutputTokens", (o, r) -> o.int64(r.span().usage().outputTokens())),
          col("CacheReadTokens", (o, r) -> o.int64(r.span().usage().cacheReadTokens())),
          col("CacheWriteTokens", (o, r) -> o.int64(r.span().usage().cacheWriteTokens())),
          col("CacheWrite1hTokens", (o, r) -> o.int64(r.span().usage().cacheWrite1hTokens())),
          col("ReasoningTokens", (o, r) -> o.int64(r.span().usage().reasoningTokens())),
          col("CostUsd", (o, r) -> o.nullableDecimal128(r.span().cost().amountUsd(), Cost.SCALE)),
          col("CostSource", (o, r) -> o.string(r.span().cost().source().wireName())),
          col("PricedAs", (o, r) -> o.nullableString(r.span().cost().pricedAs())),
          col("CatalogVersion", (o, r) -> o.nullableString(r.span().cost().catalogVersion())),
          col("CostDetail", (o, r) -> o.string(r.span().cost().detail())),
          col("BillingRole", (o, r) -> o.string(r.settlement().role().wireName())),
          col("AttributedAgent", (o, r) -> o.string(r.settlement().attributedAgent())),
          col("ChainSessionId", (o, r) -> o.string(r.settlement().sessionId())),
          col("ChainUserId", (o, r) -> o.string(r.settlement().userId())),
          col("IngestedAt", (o, r) -> o.int64(Sql.micros(r.ingestedAt()))),
          col("Version", (o, r) -> o.int64(r.version())));

  private static final Writer[] WRITERS =
      COLUMNS.stream().map(Column::writer).toArray(Writer[]::new);

  /** The column list of the insert, in the order the values are written. */
  static final List<String> NAMES = COLUMNS.stream().map(Column::name).toList();

  private SpanRowBinary() {}

  static void write(RowBinaryOut out, SpanRows.Row row) throws IOException {
    for (Writer w : WRITERS) {
      w.write(out, row);
    }
  }

  private static void eventTimes(RowBinaryOut o, SpanRows.Row r) throws IOException {
    List<SpanEvent> events = r.span().events();
    o.varint(events.size());
    for (SpanEvent e : events) {
      o.int64(e.epochNanos());
    }
  }

  private static void eventNames(RowBinaryOut o, SpanRows.Row r) throws IOException {
    List<SpanEvent> events = r.span().events();
    o.varint(events.size());
    for (SpanEvent e : events) {
      o.string(e.name());
    }
  }

  private static void eventAttributes(RowBinaryOut o, SpanRows.Row r) throws IOException {
    List<SpanEvent> events = r.span().events();
    o.varint(events.size());
    for (SpanEvent e : events) {
      o.stringMap(e.attributes());
    }
  }

  private static void linkTraceIds(RowBinaryOut o, SpanRows.Row r) throws IOException {
    List<SpanLink> links = r.span().links();
    o.varint(links.size());
    for (SpanLink l : links) {
      o.string(l.traceId());
    }
  }

  private static void linkSpanIds(RowBinaryOut o, SpanRows.Row r) throws IOException {
    List<SpanLink> links = r.span().links();
    o.varint(links.size());
    for (SpanLink l : links) {
      o.string(l.spanId());
    }
  }

  private static void linkTraceStates(RowBinaryOut o, SpanRows.Row r) throws IOException {
    List<SpanLink> links = r.span().links();
    o.varint(links.size());
    for (int i = 0; i < links.size(); i++) {
      o.string("");
    }
  }

  private static void linkAttributes(RowBinaryOut o, SpanRows.Row r) throws IOException {
    List<SpanLink> links = r.span().links();
    o.varint(links.size());
    for (SpanLink l : links) {
      o.stringMap(l.attributes());
    }
  }

  private static Column col(String name, Writer writer) {
    return new Column(name, writer);
  }
}

package io.agentledger.store.duckdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.agentledger.store.StoreFailures;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.jspecify.annotations.Nullable;

/** Maps a span to a row of the {@code spans} table and back; column order is the table's. */
final class SpanRows {

  /** The columns in table order, for {@code SELECT}s that read spans back. */
  static final String COLUMNS =
      "project, trace_id, span_id, parent_span_id, batch_seq, ingested_us, start_ns, end_ns, name,"
          + " kind, status_code, status_message, error_type, service_name, service_version,"
          + " scope_name, span_type, operation_name, agent_name, agent_id, agent_version,"
          + " session_id, user_id, provider, request_model, response_model, tool_name,"
          + " tool_call_id, finish_reasons, usage_reported, input_tokens, output_tokens,"
          + " cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, reasoning_tokens,"
          + " cost_usd, cost_source, priced_as, catalog_version, cost_detail, billing_role,"
          + " attributes, resource_attributes, events, links, attributed_agent,"
          + " chain_session_id, chain_user_id, detail, resource_id";

  /** The attributes of a stored resource by id ({@link SpanResources#attributes}). */
  interface Resources {
    Map<String, String> attributes(long id) throws SQLException;
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
  private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};
  private static final TypeReference<List<EventJson>> EVENTS = new TypeReference<>() {};
  private static final TypeReference<List<LinkJson>> LINKS = new TypeReference<>() {};

  private SpanRows() {}

  record EventJson(long t, String name, Map<String, String> attributes) {}

  record LinkJson(String traceId, String spanId, Map<String, String> attributes) {}

  /**
   * Appends one row. The JSON columns of older rows stay empty: attributes, finish reasons, events
   * and links go to {@code detail} ({@link SpanDetail}), the resource to {@code resource_id}.
   */
  static void append(
      DuckDBAppender row,
      AgentSpan s,
      long batchSeq,
      long ingestedMicros,
      SpanDetail detail,
      long resourceId)
      throws SQLException {
    AgentSemantics a = s.semantics();
    Usage u = s.usage();
    Cost c = s.cost();
    row.beginRow();
    row.append(s.project());
    row.append(s.traceId());
    row.append(s.spanId());
    row.append(s.parentSpanId());
    row.append(batchSeq);
    row.append(ingestedMicros);
    row.append(s.startEpochNanos());
    row.append(s.endEpochNanos());
    row.append(s.name());
    row.append(s.kind().wireName());
    row.append(s.status().code().wireName());
    row.append(s.status().message());
    row.append(s.status().errorType());
    row.append(s.serviceName());
    row.append(s.serviceVersion());
    row.append(s.scopeName());
    row.append(a.type().wireName());
    row.append(a.operationName());
    row.append(a.agentName());
    row.append(a.agentId());
    row.append(a.agentVersion());
    row.append(a.sessionId());
    row.append(a.userId());
    row.append(a.provider());
    row.append(a.requestModel());
    row.append(a.responseModel());
    row.append(a.toolName());
    row.append(a.toolCallId());
    row.append("");
    row.append(u.reported());
    row.append(u.inputTokens());
    row.append(u.outputTokens());
    row.append(u.cacheReadTokens());
    row.append(u.cacheWriteTokens());
    row.append(u.cacheWrite1hTokens());
    row.append(u.reasoningTokens());
    if (c.amountUsd() == null) {
      row.appendNull();
    } else {
      row.append(c.amountUsd());
    }
    row.append(c.source().wireName());
    appendNullable(row, c.pricedAs());
    appendNullable(row, c.catalogVersion());
    row.append(c.detail());
    Settlement settlement = Settlement.initial(s);
    row.append(settlement.role().wireName());
    row.append("");
    row.append("");
    row.append("");
    row.append("");
    row.append(settlement.attributedAgent());
    row.append(settlement.sessionId());
    row.append(settlement.userId());
    row.append(detail.encode(s.attributes(), a.finishReasons(), s.events(), s.links()));
    row.append(resourceId);
    row.endRow();
  }

  /**
   * Reads the row at the cursor of a result selected with {@link #COLUMNS}: the one place that
   * decodes a stored span, whichever way its attributes were written (JSON columns before migration
   * V012, {@link SpanDetail} since).
   */
  static AgentSpan read(ResultSet rs, Resources resources) throws SQLException {
    String detailText = rs.getString("detail");
    SpanDetail.Decoded detail =
        detailText == null
            ? new SpanDetail.Decoded(
                parse(rs.getString("attributes"), STRING_MAP),
                parse(rs.getString("finish_reasons"), STRING_LIST),
                parse(rs.getString("events"), EVENTS).stream()
                    .map(e -> new SpanEvent(e.t(), e.name(), e.attributes()))
                    .toList(),
                parse(rs.getString("links"), LINKS).stream()
                    .map(l -> new SpanLink(l.traceId(), l.spanId(), l.attributes()))
                    .toList())
            : SpanDetail.decode(detailText);
    // By id, not joined in the query: the join made a chain read 1.7× slower (bench/PROFILE.md).
    long resourceId = rs.getLong("resource_id");
    Map<String, String> resource =
        rs.wasNull()
            ? parse(rs.getString("resource_attributes"), STRING_MAP)
            : resources.attributes(resourceId);
    java.math.BigDecimal amount = rs.getBigDecimal("cost_usd");
    CostSource source = CostSource.fromWireName(rs.getString("cost_source"));
    Cost cost =
        new Cost(
            amount,
            source,
            rs.getString("priced_as"),
            rs.getString("catalog_version"),
            rs.getString("cost_detail"));
    Usage usage =
        new Usage(
            rs.getBoolean("usage_reported"),
            rs.getLong("input_tokens"),
            rs.getLong("output_tokens"),
            rs.getLong("cache_read_tokens"),
            rs.getLong("cache_write_tokens"),
            rs.getLong("cache_write_1h_tokens"),
            rs.getLong("reasoning_tokens"));
    AgentSemantics semantics =
        new AgentSemantics(
            SpanType.fromWireName(rs.getString("span_type")),
            rs.getString("operation_name"),
            rs.getString("agent_name"),
            rs.getString("agent_id"),
            rs.getString("agent_version"),
            rs.getString("session_id"),
            rs.getString("user_id"),
            rs.getString("provider"),
            rs.getString("request_model"),
            rs.getString("response_model"),
            rs.getString("tool_name"),
            rs.getString("tool_call_id"),
            detail.finishReasons());
    return AgentSpan.builder()
        .project(rs.getString("project"))
        .traceId(rs.getString("trace_id"))
        .spanId(rs.getString("span_id"))
        .parentSpanId(rs.getString("parent_span_id"))
        .startEpochNanos(rs.getLong("start_ns"))
        .endEpochNanos(rs.getLong("end_ns"))
        .name(rs.getString("name"))
        .kind(SpanKind.fromWireName(rs.getString("kind")))
        .status(
            new SpanStatus(
                StatusCode.fromWireName(rs.getString("status_code")),
                rs.getString("status_message"),
                rs.getString("error_type")))
        .serviceName(rs.getString("service_name"))
        .serviceVersion(rs.getString("service_version"))
        .scopeName(rs.getString("scope_name"))
        .semantics(semantics)
        .usage(usage)
        .cost(cost)
        .billingRole(BillingRole.fromWireName(rs.getString("billing_role")))
        .attributes(detail.attributes())
        .resourceAttributes(resource)
        .events(detail.events())
        .links(detail.links())
        .build();
  }

  static String json(Object value) {
    // Most spans have no events, links or finish reasons: skip the serializer for those.
    if (value instanceof java.util.Collection<?> c && c.isEmpty()) {
      return "[]";
    }
    if (value instanceof Map<?, ?> m && m.isEmpty()) {
      return "{}";
    }
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw StoreFailures.badJson(
          "cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  static <T> T parse(String json, TypeReference<T> type) {
    // The empty values json() writes without the serializer, read back the same way.
    if (json.equals("[]")) {
      @SuppressWarnings("unchecked")
      T empty = (T) List.of();
      return empty;
    }
    if (json.equals("{}")) {
      @SuppressWarnings("unchecked")
      T empty = (T) Map.of();
      return empty;
    }
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw StoreFailures.badJson("stored JSON is unreadable", e);
    }
  }

  static Map<String, String> parseMap(String json) {
    return parse(json, STRING_MAP);
  }

  private static void appendNullable(DuckDBAppender row, @Nullable String value)
      throws SQLException {
    if (value == null) {
      row.appendNull();
    } else {
      row.append(value);
    }
  }
}

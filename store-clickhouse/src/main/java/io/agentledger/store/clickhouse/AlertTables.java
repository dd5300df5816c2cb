package io.agentledger.store.clickhouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.store.AlertRule;
import io.agentledger.store.AlertState;
import io.agentledger.store.Delivery;
import io.agentledger.store.Notification;
import io.agentledger.store.PendingDelivery;
import io.agentledger.store.StoreException;
import io.agentledger.store.TimeRange;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Alert rules, alert states and the notification outbox: the {@code alert_rules}, {@code
 * alert_states}, {@code notifications} and {@code notification_deliveries} tables. Every row is
 * replaced by a newer version, read with {@code FINAL}; a deleted rule is a version marked {@code
 * Deleted}.
 */
final class AlertTables {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String RULE_COLUMNS =
      "Project, Id, Name, Kind, Scope, MatchValue, WindowMs, Threshold, MinCalls, Severity,"
          + " Enabled, CreatedNs, UpdatedNs, Deleted, Version";
  private static final String STATE_COLUMNS =
      "Project, Id, RuleId, Subject, Metric, Observed, Threshold, Severity, Status, FirstSeenNs,"
          + " LastSeenNs, Summary, Version";
  private static final String NOTIFICATION_COLUMNS =
      "Project, Id, FindingId, Source, Kind, Status, Severity, Summary, Labels, Vals, StartsNs,"
          + " AtNs, Version";
  private static final String DELIVERY_COLUMNS =
      "Sink, Project, NotificationId, AtNs, Attempts, NextAttemptNs, Outcome, LastError, Version";

  /** Runs work on a pooled connection, turning SQL failures into store exceptions. */
  interface Runner {
    <T> T read(String what, ConnectionPool.Work<T> work);

    <T> T write(String what, ConnectionPool.Work<T> work);
  }

  private final Runner db;
  private final Versions versions;

  AlertTables(Runner db, Versions versions) {
    this.db = db;
    this.versions = versions;
  }

  // --- rules ------------------------------------------------------------------------------------

  void saveRule(AlertRule r) {
    db.write("saving an alert rule", c -> insertRule(c, r, 0));
  }

  private Boolean insertRule(Connection c, AlertRule r, int deleted) throws SQLException {
    Jdbc.insertBatch(
        c,
        insert("alert_rules", RULE_COLUMNS, 15),
        List.of(
            List.of(
                r.project(),
                r.id(),
                r.name(),
                r.kind(),
                r.scope(),
                r.match(),
                r.window().toMillis(),
                r.threshold(),
                r.minCalls(),
                r.severity(),
                r.enabled() ? 1 : 0,
                Sql.nanos(r.createdAt()),
                Sql.nanos(r.updatedAt()),
                deleted,
                versions.next())));
    return Boolean.TRUE;
  }

  Optional<AlertRule> rule(String project, String id) {
    return rules(" AND Project = ? AND Id = ?", List.of(project, id)).stream().findFirst();
  }

  List<AlertRule> rules(String project) {
    return rules(" AND Project = ?", List.of(project));
  }

  List<AlertRule> allRules() {
    return rules("", List.of());
  }

  boolean deleteRule(String project, String id) {
    return db.write(
        "deleting an alert rule",
        c -> {
          List<AlertRule> found = new ArrayList<>();
          Jdbc.query(
              c,
              ruleQuery(" AND Project = ? AND Id = ?", List.of(project, id)),
              rs -> {
                found.add(rule(rs));
              });
          if (found.isEmpty()) {
            return false;
          }
          insertRule(c, found.get(0), 1);
          return true;
        });
  }

  private List<AlertRule> rules(String where, List<Object> args) {
    return db.read(
        "reading alert rules",
        c -> {
          List<AlertRule> out = new ArrayList<>();
          Jdbc.query(c, ruleQuery(where, args), rs -> out.add(rule(rs)));
          return out;
        });
  }

  private static Sql ruleQuery(String where, List<Object> args) {
    return new Sql(
        "SELECT * FROM alert_rules FINAL WHERE Deleted = 0"
            + where
            + " ORDER BY Project, CreatedNs, Id",
        args);
  }

  private static AlertRule rule(ResultSet rs) throws SQLException {
    return new AlertRule(
        rs.getString("Project"),
        rs.getString("Id"),
        rs.getString("Name"),
        rs.getString("Kind"),
        rs.getString("Scope"),
        rs.getString("MatchValue"),
        Duration.ofMillis(rs.getLong("WindowMs")),
        rs.getDouble("Threshold"),
        rs.getLong("MinCalls"),
        rs.getString("Severity"),
        rs.getInt("Enabled") != 0,
        Sql.instant(rs.getLong("CreatedNs")),
        Sql.instant(rs.getLong("UpdatedNs")));
  }

  // --- states -----------------------------------------------------------------------------------

  void saveStates(List<AlertState> states) {
    if (states.isEmpty()) {
      return;
    }
    db.write(
        "saving alert states",
        c -> {
          long version = versions.next();
          List<List<Object>> rows = new ArrayList<>();
          for (AlertState s : states) {
            rows.add(
                List.of(
                    s.project(),
                    s.id(),
                    s.ruleId(),
                    json(s.subject()),
                    s.metric(),
                    s.observed(),
                    s.threshold(),
                    s.severity(),
                    s.status(),
                    Sql.nanos(s.firstSeen()),
                    Sql.nanos(s.lastSeen()),
                    s.summary(),
                    version));
          }
          Jdbc.insertBatch(c, insert("alert_states", STATE_COLUMNS, 13), rows);
          return Boolean.TRUE;
        });
  }

  List<AlertState> states(String project) {
    return states(
        Sql.of(
            "SELECT * FROM alert_states FINAL WHERE Project = ? ORDER BY LastSeenNs DESC, Id",
            project));
  }

  List<AlertState> firingStates() {
    return states(
        Sql.of(
            "SELECT * FROM alert_states FINAL WHERE Status = ? ORDER BY Project, Id",
            AlertState.FIRING));
  }

  private List<AlertState> states(Sql sql) {
    return db.read(
        "reading alert states",
        c -> {
          List<AlertState> out = new ArrayList<>();
          Jdbc.query(
              c,
              sql,
              rs ->
                  out.add(
                      new AlertState(
                          rs.getString("Project"),
                          rs.getString("Id"),
                          rs.getString("RuleId"),
                          Json.stringMap(rs.getString("Subject")),
                          rs.getString("Metric"),
                          rs.getDouble("Observed"),
                          rs.getDouble("Threshold"),
                          rs.getString("Severity"),
                          rs.getString("Status"),
                          Sql.instant(rs.getLong("FirstSeenNs")),
                          Sql.instant(rs.getLong("LastSeenNs")),
                          rs.getString("Summary"))));
          return out;
        });
  }

  // --- outbox -----------------------------------------------------------------------------------

  int enqueue(List<Notification> notifications, List<String> sinks) {
    if (notifications.isEmpty()) {
      return 0;
    }
    return db.write(
        "enqueueing notifications",
        c -> {
          Map<String, Map<String, Notification>> byProject = new LinkedHashMap<>();
          for (Notification n : notifications) {
            byProject
                .computeIfAbsent(n.project(), p -> new LinkedHashMap<>())
                .putIfAbsent(n.id(), n);
          }
          long version = versions.next();
          List<List<Object>> notes = new ArrayList<>();
          List<List<Object>> deliveries = new ArrayList<>();
          for (Map.Entry<String, Map<String, Notification>> e : byProject.entrySet()) {
            Set<String> stored = storedIds(c, e.getKey(), e.getValue().keySet());
            for (Notification n : e.getValue().values()) {
              if (stored.contains(n.id())) {
                continue; // stored before: its deliveries stand as they are
              }
              notes.add(notificationRow(n, version));
              for (String sink : sinks) {
                deliveries.add(deliveryRow(Delivery.first(sink, n), n, version));
              }
            }
          }
          // Deliveries first: a crash between the two inserts leaves deliveries without their
          // notification (never read, since pending reads join them), and the retried enqueue
          // writes both again.
          Jdbc.insertBatch(c, insert("notification_deliveries", DELIVERY_COLUMNS, 9), deliveries);
          Jdbc.insertBatch(c, insert("notifications", NOTIFICATION_COLUMNS, 13), notes);
          return notes.size();
        });
  }

  private static Set<String> storedIds(Connection c, String project, Collection<String> ids)
      throws SQLException {
    Set<String> out = new HashSet<>();
    for (List<String> chunk : Jdbc.chunks(ids, ClickHouseSpanStore.IN_LIST_CHUNK)) {
      List<Object> args = new ArrayList<>();
      args.add(project);
      args.addAll(chunk);
      Jdbc.query(
          c,
          new Sql(
              "SELECT DISTINCT Id FROM notifications WHERE Project = ? AND Id IN ("
                  + Sql.placeholders(chunk.size())
                  + ")",
              args),
          rs -> out.add(rs.getString(1)));
    }
    return out;
  }

  List<PendingDelivery> pending(String sink, int limit) {
    return db.read(
        "reading pending deliveries",
        c -> {
          List<Delivery> deliveries = new ArrayList<>();
          Jdbc.query(
              c,
              Sql.of(
                  "SELECT * FROM notification_deliveries FINAL WHERE Sink = ? AND Outcome = ?"
                      + " ORDER BY AtNs, Project, NotificationId LIMIT ?",
                  sink,
                  Delivery.PENDING,
                  limit),
              rs ->
                  deliveries.add(
                      new Delivery(
                          rs.getString("Sink"),
                          rs.getString("Project"),
                          rs.getString("NotificationId"),
                          rs.getInt("Attempts"),
                          Sql.instant(rs.getLong("NextAttemptNs")),
                          rs.getString("Outcome"),
                          rs.getString("LastError"))));
          Map<String, List<String>> idsByProject = new TreeMap<>();
          deliveries.forEach(
              d ->
                  idsByProject
                      .computeIfAbsent(d.project(), p -> new ArrayList<>())
                      .add(d.notificationId()));
          Map<List<String>, Notification> notes = new HashMap<>();
          for (Map.Entry<String, List<String>> e : idsByProject.entrySet()) {
            for (Notification n : byIds(c, e.getKey(), e.getValue())) {
              notes.put(List.of(n.project(), n.id()), n);
            }
          }
          List<PendingDelivery> out = new ArrayList<>();
          for (Delivery d : deliveries) {
            Notification n = notes.get(List.of(d.project(), d.notificationId()));
            if (n != null) {
              out.add(new PendingDelivery(n, d));
            }
          }
          return out;
        });
  }

  private static List<Notification> byIds(Connection c, String project, List<String> ids)
      throws SQLException {
    List<Notification> out = new ArrayList<>();
    for (List<String> chunk : Jdbc.chunks(ids, ClickHouseSpanStore.IN_LIST_CHUNK)) {
      List<Object> args = new ArrayList<>();
      args.add(project);
      args.addAll(chunk);
      Jdbc.query(
          c,
          new Sql(
              "SELECT * FROM notifications FINAL WHERE Project = ? AND Id IN ("
                  + Sql.placeholders(chunk.size())
                  + ")",
              args),
          rs -> out.add(notification(rs)));
    }
    return out;
  }

  void saveDelivery(Delivery d) {
    db.write(
        "saving a delivery",
        c -> {
          List<Long> at = new ArrayList<>(1);
          Jdbc.query(
              c,
              Sql.of(
                  "SELECT AtNs FROM notification_deliveries FINAL"
                      + " WHERE Sink = ? AND Project = ? AND NotificationId = ?",
                  d.sink(),
                  d.project(),
                  d.notificationId()),
              rs -> at.add(rs.getLong(1)));
          if (at.isEmpty()) {
            return Boolean.FALSE; // only enqueued deliveries are updated
          }
          Jdbc.insertBatch(
              c,
              insert("notification_deliveries", DELIVERY_COLUMNS, 9),
              List.of(
                  List.of(
                      d.sink(),
                      d.project(),
                      d.notificationId(),
                      at.get(0),
                      d.attempts(),
                      Sql.nanos(d.nextAttemptAt()),
                      d.outcome(),
                      d.lastError(),
                      versions.next())));
          return Boolean.TRUE;
        });
  }

  int deleteDone(java.time.Instant before) {
    return db.write(
        "deleting delivered notifications",
        c -> {
          Map<String, List<String>> done = new TreeMap<>();
          Jdbc.query(
              c,
              Sql.of(
                  "SELECT Project, Id FROM notifications FINAL WHERE AtNs < ?"
                      + " AND (Project, Id) NOT IN (SELECT Project, NotificationId"
                      + " FROM notification_deliveries FINAL WHERE Outcome = ?)"
                      // a finding's latest notification stays: reminders of firing ones read it
                      + " AND (Project, Id) NOT IN (SELECT Project, argMax(Id, (AtNs, Id))"
                      + " FROM notifications FINAL GROUP BY Project, FindingId)",
                  Sql.nanos(before),
                  Delivery.PENDING),
              rs ->
                  done.computeIfAbsent(rs.getString(1), p -> new ArrayList<>())
                      .add(rs.getString(2)));
          int deleted = 0;
          for (Map.Entry<String, List<String>> e : done.entrySet()) {
            for (List<String> chunk :
                Jdbc.chunks(e.getValue(), ClickHouseSpanStore.IN_LIST_CHUNK)) {
              List<Object> args = new ArrayList<>();
              args.add(e.getKey());
              args.addAll(chunk);
              String in = " IN (" + Sql.placeholders(chunk.size()) + ")";
              // Deliveries first: a crash in between leaves a done notification to delete again.
              Jdbc.execute(
                  c,
                  new Sql(
                      "DELETE FROM notification_deliveries WHERE Project = ? AND NotificationId"
                          + in,
                      args));
              Jdbc.execute(
                  c, new Sql("DELETE FROM notifications WHERE Project = ? AND Id" + in, args));
              deleted += chunk.size();
            }
          }
          return deleted;
        });
  }

  List<Notification> firing() {
    return db.read(
        "reading firing notifications",
        c -> {
          Map<String, List<String>> idsByProject = new TreeMap<>();
          Jdbc.query(
              c,
              Sql.of(
                  "SELECT Project, argMax(Id, (AtNs, Id)) AS LastId,"
                      + " argMax(Status, (AtNs, Id)) AS LastStatus FROM notifications FINAL"
                      + " GROUP BY Project, FindingId HAVING LastStatus = ?",
                  AlertState.FIRING),
              rs ->
                  idsByProject
                      .computeIfAbsent(rs.getString("Project"), p -> new ArrayList<>())
                      .add(rs.getString("LastId")));
          List<Notification> out = new ArrayList<>();
          for (Map.Entry<String, List<String>> e : idsByProject.entrySet()) {
            out.addAll(byIds(c, e.getKey(), e.getValue()));
          }
          out.sort(
              java.util.Comparator.comparing(Notification::project)
                  .thenComparing(Notification::findingId));
          return out;
        });
  }

  List<Notification> notifications(String project, TimeRange range) {
    return db.read(
        "reading notifications",
        c -> {
          List<Notification> out = new ArrayList<>();
          Jdbc.query(
              c,
              Sql.of(
                  "SELECT * FROM notifications FINAL WHERE Project = ? AND AtNs >= ?"
                      + " AND AtNs < ? ORDER BY AtNs DESC, Id",
                  project,
                  range.fromEpochNanos(),
                  range.toEpochNanos()),
              rs -> out.add(notification(rs)));
          return out;
        });
  }

  private static List<Object> notificationRow(Notification n, long version) {
    return List.of(
        n.project(),
        n.id(),
        n.findingId(),
        n.source(),
        n.kind(),
        n.status(),
        n.severity(),
        n.summary(),
        json(n.labels()),
        json(n.values()),
        Sql.nanos(n.startsAt()),
        Sql.nanos(n.at()),
        version);
  }

  private static List<Object> deliveryRow(Delivery d, Notification n, long version) {
    return List.of(
        d.sink(),
        d.project(),
        d.notificationId(),
        Sql.nanos(n.at()),
        d.attempts(),
        Sql.nanos(d.nextAttemptAt()),
        d.outcome(),
        d.lastError(),
        version);
  }

  private static Notification notification(ResultSet rs) throws SQLException {
    return new Notification(
        rs.getString("Project"),
        rs.getString("Id"),
        rs.getString("FindingId"),
        rs.getString("Source"),
        rs.getString("Kind"),
        rs.getString("Status"),
        rs.getString("Severity"),
        rs.getString("Summary"),
        Json.stringMap(rs.getString("Labels")),
        Json.stringMap(rs.getString("Vals")),
        Sql.instant(rs.getLong("StartsNs")),
        Sql.instant(rs.getLong("AtNs")));
  }

  private static String insert(String table, String columns, int n) {
    return "INSERT INTO " + table + " (" + columns + ") VALUES (" + Sql.placeholders(n) + ")";
  }

  private static String json(Map<String, String> map) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(map));
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot write a map as JSON: " + e.getMessage(), false, e);
    }
  }
}

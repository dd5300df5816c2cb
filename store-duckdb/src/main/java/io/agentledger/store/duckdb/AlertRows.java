package io.agentledger.store.duckdb;

import static io.agentledger.store.duckdb.Database.instant;
import static io.agentledger.store.duckdb.Database.nanos;

import io.agentledger.store.AlertRule;
import io.agentledger.store.AlertState;
import io.agentledger.store.Delivery;
import io.agentledger.store.Notification;
import io.agentledger.store.PendingDelivery;
import io.agentledger.store.TimeRange;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Alert rules, alert states and the notification outbox: the {@code alert_rules}, {@code
 * alert_states}, {@code notifications} and {@code notification_deliveries} tables.
 */
final class AlertRows {

  private static final String NOTIFICATION_COLUMNS =
      "n.project, n.id, n.finding_id, n.source, n.kind, n.status, n.severity, n.summary,"
          + " n.labels, n.vals, n.starts_ns, n.at_ns";

  private final Database db;

  AlertRows(Database db) {
    this.db = db;
  }

  // --- rules ------------------------------------------------------------------------------------

  void saveRule(AlertRule r) {
    db.writeAll(
        "saving an alert rule",
        w -> {
          try (PreparedStatement ps =
              w.prepareStatement(
                  "INSERT OR REPLACE INTO alert_rules VALUES ("
                      + Database.placeholders(13)
                      + ")")) {
            Database.bind(
                ps,
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
                    r.enabled(),
                    nanos(r.createdAt()),
                    nanos(r.updatedAt())));
            ps.executeUpdate();
          }
        });
  }

  Optional<AlertRule> rule(String project, String id) {
    return rules("WHERE project = ? AND id = ?", List.of(project, id)).stream().findFirst();
  }

  List<AlertRule> rules(String project) {
    return rules("WHERE project = ?", List.of(project));
  }

  List<AlertRule> allRules() {
    return rules("", List.of());
  }

  boolean deleteRule(String project, String id) {
    return db.write(
        "deleting an alert rule",
        w -> {
          try (PreparedStatement ps =
              w.prepareStatement("DELETE FROM alert_rules WHERE project = ? AND id = ?")) {
            Database.bind(ps, List.of(project, id));
            return ps.executeUpdate() > 0;
          }
        });
  }

  private List<AlertRule> rules(String where, List<Object> args) {
    return db.read(
        "reading alert rules",
        c -> {
          List<AlertRule> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT * FROM alert_rules " + where + " ORDER BY project, created_ns, id")) {
            Database.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new AlertRule(
                        rs.getString("project"),
                        rs.getString("id"),
                        rs.getString("name"),
                        rs.getString("kind"),
                        rs.getString("scope"),
                        rs.getString("match_value"),
                        Duration.ofMillis(rs.getLong("window_ms")),
                        rs.getDouble("threshold"),
                        rs.getLong("min_calls"),
                        rs.getString("severity"),
                        rs.getBoolean("enabled"),
                        instant(rs.getLong("created_ns")),
                        instant(rs.getLong("updated_ns"))));
              }
            }
          }
          return out;
        });
  }

  // --- states -----------------------------------------------------------------------------------

  void saveStates(List<AlertState> states) {
    db.writeAll(
        "saving alert states",
        w -> {
          try (PreparedStatement ps =
              w.prepareStatement(
                  "INSERT OR REPLACE INTO alert_states VALUES ("
                      + Database.placeholders(12)
                      + ")")) {
            for (AlertState s : states) {
              Database.bind(
                  ps,
                  List.of(
                      s.project(),
                      s.id(),
                      s.ruleId(),
                      SpanRows.json(s.subject()),
                      s.metric(),
                      s.observed(),
                      s.threshold(),
                      s.severity(),
                      s.status(),
                      nanos(s.firstSeen()),
                      nanos(s.lastSeen()),
                      s.summary()));
              ps.executeUpdate();
            }
          }
        });
  }

  List<AlertState> states(String project) {
    return states(
        "WHERE project = ? ORDER BY last_seen_ns DESC, id", List.of(project), "alert states");
  }

  List<AlertState> firingStates() {
    return states(
        "WHERE status = ? ORDER BY project, id", List.of(AlertState.FIRING), "firing alerts");
  }

  private List<AlertState> states(String where, List<Object> args, String what) {
    return db.read(
        "reading " + what,
        c -> {
          List<AlertState> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement("SELECT * FROM alert_states " + where)) {
            Database.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new AlertState(
                        rs.getString("project"),
                        rs.getString("id"),
                        rs.getString("rule_id"),
                        SpanRows.parseMap(rs.getString("subject")),
                        rs.getString("metric"),
                        rs.getDouble("observed"),
                        rs.getDouble("threshold"),
                        rs.getString("severity"),
                        rs.getString("status"),
                        instant(rs.getLong("first_seen_ns")),
                        instant(rs.getLong("last_seen_ns")),
                        rs.getString("summary")));
              }
            }
          }
          return out;
        });
  }

  // --- outbox -----------------------------------------------------------------------------------

  int enqueue(List<Notification> notifications, List<String> sinks) {
    return db.transaction(
        "enqueueing notifications",
        w -> {
          int added = 0;
          try (PreparedStatement note =
                  w.prepareStatement(
                      "INSERT OR IGNORE INTO notifications VALUES ("
                          + Database.placeholders(12)
                          + ")");
              PreparedStatement delivery =
                  w.prepareStatement(
                      "INSERT OR IGNORE INTO notification_deliveries VALUES ("
                          + Database.placeholders(8)
                          + ")")) {
            for (Notification n : notifications) {
              Database.bind(note, notificationRow(n));
              if (note.executeUpdate() == 0) {
                continue; // stored before: its deliveries stand as they are
              }
              added++;
              for (String sink : sinks) {
                Delivery d = Delivery.first(sink, n);
                Database.bind(
                    delivery,
                    List.of(
                        sink,
                        n.project(),
                        n.id(),
                        nanos(n.at()),
                        d.attempts(),
                        nanos(d.nextAttemptAt()),
                        d.outcome(),
                        d.lastError()));
                delivery.executeUpdate();
              }
            }
          }
          return added;
        });
  }

  List<PendingDelivery> pending(String sink, int limit) {
    return db.read(
        "reading pending deliveries",
        c -> {
          List<PendingDelivery> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT "
                      + NOTIFICATION_COLUMNS
                      + ", d.attempts, d.next_attempt_ns, d.outcome, d.last_error"
                      + " FROM notification_deliveries d JOIN notifications n"
                      + " ON n.project = d.project AND n.id = d.notification_id"
                      + " WHERE d.sink = ? AND d.outcome = ?"
                      + " ORDER BY d.at_ns, d.project, d.notification_id LIMIT ?")) {
            Database.bind(ps, List.of(sink, Delivery.PENDING, limit));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                Notification n = notification(rs);
                out.add(
                    new PendingDelivery(
                        n,
                        new Delivery(
                            sink,
                            n.project(),
                            n.id(),
                            rs.getInt("attempts"),
                            instant(rs.getLong("next_attempt_ns")),
                            rs.getString("outcome"),
                            rs.getString("last_error"))));
              }
            }
          }
          return out;
        });
  }

  int deleteDone(Instant before) {
    return db.transaction(
        "deleting delivered notifications",
        w -> {
          List<List<Object>> done = new ArrayList<>();
          try (PreparedStatement ps =
              w.prepareStatement(
                  "SELECT n.project, n.id FROM notifications n WHERE n.at_ns < ?"
                      + " AND NOT EXISTS (SELECT 1 FROM notification_deliveries d"
                      + " WHERE d.project = n.project AND d.notification_id = n.id"
                      + " AND d.outcome = ?)"
                      // a finding's latest notification stays: reminders of firing ones read it
                      + " AND EXISTS (SELECT 1 FROM notifications m WHERE m.project = n.project"
                      + " AND m.finding_id = n.finding_id"
                      + " AND (m.at_ns > n.at_ns OR (m.at_ns = n.at_ns AND m.id > n.id)))")) {
            Database.bind(ps, List.of(nanos(before), Delivery.PENDING));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                done.add(List.of(rs.getString(1), rs.getString(2)));
              }
            }
          }
          try (PreparedStatement deliveries =
                  w.prepareStatement(
                      "DELETE FROM notification_deliveries WHERE project = ? AND notification_id = ?");
              PreparedStatement notes =
                  w.prepareStatement("DELETE FROM notifications WHERE project = ? AND id = ?")) {
            for (List<Object> key : done) {
              Database.bind(deliveries, key);
              deliveries.executeUpdate();
              Database.bind(notes, key);
              notes.executeUpdate();
            }
          }
          return done.size();
        });
  }

  void saveDelivery(Delivery d) {
    db.writeAll(
        "saving a delivery",
        w -> {
          try (PreparedStatement ps =
              w.prepareStatement(
                  "UPDATE notification_deliveries SET attempts = ?, next_attempt_ns = ?,"
                      + " outcome = ?, last_error = ?"
                      + " WHERE sink = ? AND project = ? AND notification_id = ?")) {
            Database.bind(
                ps,
                List.of(
                    d.attempts(),
                    nanos(d.nextAttemptAt()),
                    d.outcome(),
                    d.lastError(),
                    d.sink(),
                    d.project(),
                    d.notificationId()));
            ps.executeUpdate();
          }
        });
  }

  List<Notification> firing() {
    return notifications(
        "SELECT "
            + NOTIFICATION_COLUMNS
            + " FROM notifications n JOIN (SELECT project, finding_id, max(at_ns) AS last_ns"
            + " FROM notifications GROUP BY project, finding_id) l"
            + " ON n.project = l.project AND n.finding_id = l.finding_id AND n.at_ns = l.last_ns"
            + " WHERE n.status = ? ORDER BY n.project, n.finding_id",
        List.of(AlertState.FIRING));
  }

  List<Notification> notifications(String project, TimeRange range) {
    return notifications(
        "SELECT "
            + NOTIFICATION_COLUMNS
            + " FROM notifications n WHERE n.project = ? AND n.at_ns >= ? AND n.at_ns < ?"
            + " ORDER BY n.at_ns DESC, n.id",
        List.of(project, range.fromEpochNanos(), range.toEpochNanos()));
  }

  private List<Notification> notifications(String sql, List<Object> args) {
    return db.read(
        "reading notifications",
        c -> {
          List<Notification> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            Database.bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(notification(rs));
              }
            }
          }
          return out;
        });
  }

  private static List<Object> notificationRow(Notification n) {
    return List.of(
        n.project(),
        n.id(),
        n.findingId(),
        n.source(),
        n.kind(),
        n.status(),
        n.severity(),
        n.summary(),
        SpanRows.json(n.labels()),
        SpanRows.json(n.values()),
        nanos(n.startsAt()),
        nanos(n.at()));
  }

  private static Notification notification(ResultSet rs) throws SQLException {
    return new Notification(
        rs.getString("project"),
        rs.getString("id"),
        rs.getString("finding_id"),
        rs.getString("source"),
        rs.getString("kind"),
        rs.getString("status"),
        rs.getString("severity"),
        rs.getString("summary"),
        SpanRows.parseMap(rs.getString("labels")),
        SpanRows.parseMap(rs.getString("vals")),
        instant(rs.getLong("starts_ns")),
        instant(rs.getLong("at_ns")));
  }
}

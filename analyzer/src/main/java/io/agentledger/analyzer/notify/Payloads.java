package io.agentledger.analyzer.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentledger.store.Notification;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The JSON bodies the sinks send (documented in the README, "Alert sinks"). */
final class Payloads {

  static final ObjectMapper JSON = new ObjectMapper();

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private Payloads() {}

  /** The generic webhook's body: the notification as it is stored. */
  static byte[] webhook(Notification n) {
    ObjectNode o = JSON.createObjectNode();
    o.put("version", "1");
    o.put("id", n.id());
    o.put("project", n.project());
    o.put("findingId", n.findingId());
    o.put("source", n.source());
    o.put("kind", n.kind());
    o.put("status", n.status());
    o.put("severity", n.severity());
    o.put("summary", n.summary());
    o.set("labels", JSON.valueToTree(new TreeMap<>(n.labels())));
    o.set("values", JSON.valueToTree(new TreeMap<>(n.values())));
    o.put("startsAt", n.startsAt().toString());
    o.put("at", n.at().toString());
    if (!n.firing()) {
      o.put("endsAt", n.at().toString());
    }
    return bytes(o);
  }

  /** A Slack incoming-webhook message: {@code text} plus one attachment with the details. */
  static byte[] slack(Notification n) {
    ObjectNode o = JSON.createObjectNode();
    String state = n.firing() ? "FIRING" : "RESOLVED";
    o.put(
        "text",
        (n.firing() ? ":rotating_light: " : ":white_check_mark: ")
            + "["
            + state
            + "] "
            + n.severity()
            + " "
            + n.source()
            + " "
            + n.kind()
            + " in project "
            + n.project()
            + ": "
            + n.summary());
    ObjectNode attachment = JSON.createObjectNode();
    attachment.put("color", n.firing() ? "#d00000" : "#2eb886");
    ArrayNode fields = attachment.putArray("fields");
    new TreeMap<>(n.labels()).forEach((k, v) -> field(fields, k, v));
    new TreeMap<>(n.values()).forEach((k, v) -> field(fields, k, v));
    field(fields, "since", n.startsAt().toString());
    if (!n.firing()) {
      field(fields, "resolved", n.at().toString());
    }
    attachment.put("footer", "AgentLedger · " + n.findingId());
    o.putArray("attachments").add(attachment);
    return bytes(o);
  }

  private static void field(ArrayNode fields, String title, String value) {
    ObjectNode f = fields.addObject();
    f.put("title", title);
    f.put("value", value);
    f.put("short", true);
  }

  /**
   * One alert in Alertmanager's API v2 form: a firing one ends at {@code endsAt} unless repeated, a
   * resolved one ended when it resolved.
   */
  static ObjectNode alertmanager(Notification n, Instant endsAt) {
    ObjectNode a = JSON.createObjectNode();
    ObjectNode labels = a.putObject("labels");
    Map<String, String> all = new TreeMap<>();
    n.labels().forEach((k, v) -> all.put(labelName(k), v));
    all.put("alertname", "agentledger_" + labelName(n.source() + "_" + n.kind()));
    all.put("project", n.project());
    all.put("finding_id", n.findingId());
    all.put("severity", n.severity());
    all.put("source", n.source());
    all.put("kind", n.kind());
    all.forEach(labels::put);
    ObjectNode annotations = a.putObject("annotations");
    annotations.put("summary", n.summary());
    new TreeMap<>(n.values()).forEach((k, v) -> annotations.put(labelName(k), v));
    a.put("startsAt", n.startsAt().toString());
    a.put("endsAt", endsAt.toString());
    return a;
  }

  /** A Prometheus label name: {@code userId} stays, other characters become {@code _}. */
  static String labelName(String key) {
    if (LABEL_NAME.matcher(key).matches()) {
      return key;
    }
    String s = key.replaceAll("[^a-zA-Z0-9_]", "_");
    return Character.isDigit(s.isEmpty() ? '0' : s.charAt(0))
        ? "_" + s
        : s.toLowerCase(Locale.ROOT);
  }

  static byte[] bytes(Object tree) {
    try {
      return JSON.writeValueAsString(tree).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a payload", e);
    }
  }
}

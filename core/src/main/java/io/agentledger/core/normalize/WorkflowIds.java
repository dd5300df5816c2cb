package io.agentledger.core.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The workflow run a span belongs to (a Temporal workflow, an Inngest run, a LangGraph thread),
 * read from the keys of {@link Conventions#WORKFLOW}: chains with the same id are one workflow run,
 * grouped like a session.
 */
public final class WorkflowIds {

  /** Longest workflow id kept; a longer value is not an id. */
  static final int MAX_CHARS = 512;

  private WorkflowIds() {}

  /**
   * The span's workflow run id, or empty when it names none.
   *
   * @param attributes the span's attributes
   * @return the id, or empty
   */
  public static String of(Map<String, String> attributes) {
    Attrs a = new Attrs(attributes);
    String id = a.first(Conventions.WORKFLOW).trim();
    if (id.isEmpty()) {
      for (String key : Conventions.WORKFLOW_METADATA.names()) {
        JsonNode metadata = SmallJson.parse(a.get(key));
        if (metadata != null && metadata.path("thread_id").isValueNode()) {
          id = metadata.path("thread_id").asText("").trim();
          break;
        }
      }
    }
    return id.length() > MAX_CHARS ? "" : id;
  }
}

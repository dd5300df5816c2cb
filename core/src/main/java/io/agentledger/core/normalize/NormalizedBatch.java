package io.agentledger.core.normalize;

import io.agentledger.core.span.AgentSpan;
import java.util.List;

/**
 * The spans of one export request, normalized and priced, and what was wrong with the rest.
 *
 * @param spans the accepted spans
 * @param rejectedSpans how many spans were invalid (bad ids or timestamps) and dropped
 * @param errors why spans were rejected (at most a few messages, for the OTLP partial-success
 *     response)
 * @param warnings values that were ignored in accepted spans (invalid token counts, truncated
 *     attributes), at most a few
 */
public record NormalizedBatch(
    List<AgentSpan> spans, long rejectedSpans, List<String> errors, List<String> warnings) {

  public NormalizedBatch {
    spans = List.copyOf(spans);
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  /** The OTLP partial-success message: rejections first, then warnings; empty when all is well. */
  public String message() {
    StringBuilder sb = new StringBuilder();
    for (String e : errors) {
      sb.append(sb.length() == 0 ? "" : "; ").append(e);
    }
    for (String w : warnings) {
      sb.append(sb.length() == 0 ? "" : "; ").append("warning: ").append(w);
    }
    return sb.toString();
  }
}

package io.agentledger.core.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The decision-tree section of {@code docs/normalization.md} is rendered from {@link DecisionKeys}:
 * the keys the tree reads are declared once.
 */
class DecisionKeysDocTest {

  static final Path DOC = Path.of("..", "docs", "normalization.md");
  static final String BEGIN =
      "<!-- BEGIN GENERATED decision-tree: rendered from DecisionKeys.java by DecisionKeysDocTest,"
          + " do not edit -->";
  static final String END = "<!-- END GENERATED decision-tree -->";
  static final String REGENERATE =
      "mvn -B -ntp -o -pl core -am test -Dtest=DecisionKeysDocTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dagentledger.docs.write=true";

  @Test
  void docSectionIsRenderedFromTheKeyTable() throws IOException {
    String current = Files.readString(DOC, StandardCharsets.UTF_8);
    String rendered = renderInto(current);
    if (Boolean.getBoolean("agentledger.docs.write")) {
      Files.writeString(DOC, rendered, StandardCharsets.UTF_8);
      return;
    }
    assertThat(current)
        .as("docs/normalization.md is stale; regenerate with: " + REGENERATE)
        .isEqualTo(rendered);
  }

  static String renderInto(String doc) {
    String block = BEGIN + "\n" + render() + END;
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    if (begin < 0 || end < begin) {
      return doc.stripTrailing()
          + "\n\n## Decision trees\n\n"
          + "`GET /chains/{traceId}/decisions` is built from the canonical span (type, agent, tool"
          + " name and call id, finish reasons, model) plus the keys below, declared once in"
          + " `core/src/main/java/io/agentledger/core/decision/DecisionKeys.java`. For each row the"
          + " first key present wins. A model call's chosen tools are matched to tool executions by"
          + " call id anywhere in the chain, else by tool name: the first unclaimed execution of that"
          + " tool in the same agent run that started after the call.\n\n"
          + block
          + "\n";
    }
    return doc.substring(0, begin) + block + doc.substring(end + END.length());
  }

  static String render() {
    StringBuilder out = new StringBuilder("| node field | keys, in order (who sends them) |\n");
    out.append("|---|---|\n");
    row(
        out,
        "llm: chosen tools (JSON)",
        DecisionKeys.CHOSEN_JSON.stream()
            .map(k -> "`" + k.key() + "` (" + k.emitters() + "; " + shape(k.shape()) + ")")
            .toList());
    row(
        out,
        "llm: chosen tools (indexed)",
        DecisionKeys.CHOSEN_FLAT.stream()
            .map(f -> "`" + f.template() + "` (" + f.emitters() + ")")
            .toList());
    row(
        out,
        "llm: chosen tool (plain)",
        keys(
            List.of(
                DecisionKeys.CHOSEN_NAME, DecisionKeys.CHOSEN_ID, DecisionKeys.CHOSEN_ARGUMENTS)));
    row(out, "tool: arguments", keys(DecisionKeys.TOOL_ARGUMENTS));
    row(
        out,
        "decision (event " + events(DecisionKeys.DECISION_EVENTS) + ")",
        keys(
            List.of(
                DecisionKeys.DECISION_NAME,
                DecisionKeys.DECISION_OPTIONS,
                DecisionKeys.DECISION_CHOSEN,
                DecisionKeys.DECISION_REASON,
                DecisionKeys.DECISION_SCORE)));
    row(
        out,
        "handoff (event " + events(DecisionKeys.HANDOFF_EVENTS) + ", or a span) → to",
        java.util.stream.Stream.concat(
                keys(DecisionKeys.HANDOFF_TO).stream(),
                DecisionKeys.HANDOFF_TO_JSON.stream()
                    .map(f -> "`" + f.key() + "` → `" + f.field() + "` (" + f.emitters() + ")"))
            .toList());
    row(
        out,
        "decision (a guardrail span; options "
            + DecisionKeys.GUARDRAIL_OPTIONS.stream()
                .map(o -> "`" + o + "`")
                .collect(Collectors.joining(", "))
            + ", label: its name)",
        keys(List.of(DecisionKeys.GUARDRAIL_TRIGGERED)));
    row(
        out,
        "tool: server (MCP; the service of a SERVER span, else the address, else the service of"
            + " the server's `tools/call` span that started while the tool ran)",
        keys(
            List.of(
                DecisionKeys.MCP_METHOD, DecisionKeys.MCP_TOOL, DecisionKeys.MCP_SERVER_ADDRESS)));
    row(
        out,
        "approval (a span with the action or status)",
        keys(
            List.of(
                DecisionKeys.APPROVAL_ACTION,
                DecisionKeys.APPROVAL_STATUS,
                DecisionKeys.APPROVAL_BY,
                DecisionKeys.APPROVAL_REASON,
                DecisionKeys.APPROVAL_WAIT_MS)));
    row(
        out,
        "error (event `" + DecisionKeys.EXCEPTION_EVENT + "`)",
        keys(List.of(DecisionKeys.EXCEPTION_TYPE, DecisionKeys.EXCEPTION_MESSAGE)));
    return out.toString();
  }

  private static String shape(DecisionKeys.JsonShape shape) {
    return switch (shape) {
      case OTEL_PARTS -> "`parts[type=tool_call]{id,name,arguments}`";
      case VERCEL -> "`[{toolCallId,toolName,input}]`";
      case OPENAI -> "`tool_calls[{id,function{name,arguments}}]`";
    };
  }

  private static List<String> keys(List<DecisionKeys.Key> keys) {
    return keys.stream().map(k -> "`" + k.name() + "` (" + k.emitters() + ")").toList();
  }

  private static String events(List<String> names) {
    return names.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", "));
  }

  private static void row(StringBuilder out, String field, List<String> keys) {
    out.append("| ").append(field).append(" | ").append(String.join("<br>", keys)).append(" |\n");
  }
}

package io.agentledger.core.normalize;

import static io.agentledger.core.testing.OtlpSpans.request;
import static io.agentledger.core.testing.OtlpSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.span.AgentSemantics;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.testing.TestCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code docs/normalization.md} is rendered from {@link Conventions}: its generated blocks must be
 * what the table renders today, and the table must be what the normalizer reads.
 */
class NormalizationDocTest {

  static final Path DOC = Path.of("..", "docs", "normalization.md");
  static final String WRITE_PROPERTY = "agentledger.docs.write";
  static final String REGENERATE =
      "mvn -B -ntp -o -pl core -am test -Dtest=NormalizationDocTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -D"
          + WRITE_PROPERTY
          + "=true";

  @Test
  void docIsRenderedFromTheConventionTable() throws IOException {
    String current = Files.readString(DOC, StandardCharsets.UTF_8);
    String rendered = ConventionsDoc.renderInto(current);
    if (Boolean.getBoolean(WRITE_PROPERTY)) {
      Files.writeString(DOC, rendered, StandardCharsets.UTF_8);
      return;
    }
    assertThat(current)
        .as(
            "docs/normalization.md is stale: its generated blocks differ from"
                + " core/src/main/java/io/agentledger/core/normalize/Conventions.java."
                + " Regenerate it with: "
                + REGENERATE)
        .isEqualTo(rendered);
  }

  @Test
  void everySectionHasItsGeneratedBlock() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    for (Conventions.Section section : Conventions.Section.values()) {
      assertThat(doc).contains(ConventionsDoc.begin(section)).contains(ConventionsDoc.end(section));
    }
  }

  @Test
  void renderingReplacesOnlyTheGeneratedBlocks() {
    StringBuilder doc = new StringBuilder("# Title\n\nhand-written prose\n\n");
    for (Conventions.Section section : Conventions.Section.values()) {
      doc.append(ConventionsDoc.begin(section))
          .append("\nstale\n")
          .append(ConventionsDoc.end(section));
      doc.append("\n\nprose after ").append(section).append("\n\n");
    }
    String rendered = ConventionsDoc.renderInto(doc.toString());

    assertThat(rendered)
        .startsWith("# Title\n\nhand-written prose\n\n")
        .doesNotContain("stale")
        .contains("prose after FIELDS")
        .contains("| session | `gen_ai.conversation.id` (")
        .contains("`tool.id` (OpenInference)");
    assertThat(ConventionsDoc.renderInto(rendered)).isEqualTo(rendered);
  }

  @Test
  void aKeyAppearsOnceInAField() {
    for (Conventions.Field field : Conventions.ALL) {
      Set<String> seen = new HashSet<>();
      for (Conventions.Key key : field.keys) {
        assertThat(seen.add(key.name())).as("%s lists %s twice", field.name, key.name()).isTrue();
      }
      assertThat(field.keys.isEmpty() && field.note.isEmpty()).as(field.name).isFalse();
    }
  }

  /** A key written into a lookup instead of the table would be read but not documented. */
  @Test
  void theNormalizerLooksUpNoKeyOutsideTheTable() throws IOException {
    Pattern literalLookup =
        Pattern.compile(
            "\\b(?:a|attrs|resource)\\.(?:get|first|has|firstKey|tokens|firstTokens|getOrDefault)"
                + "\\(\\s*\"");
    assertThat(literalLookup.matcher("a.first(\"gen_ai.agent.name\")").find()).isTrue();
    Path sources = Path.of("src", "main", "java", "io", "agentledger", "core", "normalize");
    try (Stream<Path> files = Files.list(sources)) {
      for (Path file : files.toList()) {
        String code = Files.readString(file, StandardCharsets.UTF_8);
        Matcher m = literalLookup.matcher(code);
        boolean found = m.find();
        assertThat(found)
            .as(
                "%s looks up a literal key (%s…): declare it in Conventions",
                file, found ? m.group() : "")
            .isFalse();
      }
    }
  }

  /** Each agent field the table declares, and where the normalized span shows it. */
  static Stream<Map.Entry<Conventions.Field, Function<AgentSemantics, String>>> semanticFields() {
    Map<Conventions.Field, Function<AgentSemantics, String>> fields = new LinkedHashMap<>();
    fields.put(Conventions.SESSION, AgentSemantics::sessionId);
    fields.put(Conventions.USER, AgentSemantics::userId);
    fields.put(Conventions.AGENT, AgentSemantics::agentName);
    fields.put(Conventions.AGENT_ID, AgentSemantics::agentId);
    fields.put(Conventions.AGENT_VERSION, AgentSemantics::agentVersion);
    fields.put(Conventions.TOOL, AgentSemantics::toolName);
    fields.put(Conventions.TOOL_CALL_ID, AgentSemantics::toolCallId);
    fields.put(Conventions.REQUEST_MODEL, AgentSemantics::requestModel);
    fields.put(Conventions.RESPONSE_MODEL, AgentSemantics::responseModel);
    fields.put(Conventions.PROVIDER, AgentSemantics::provider);
    return fields.entrySet().stream();
  }

  private final SpanNormalizer normalizer =
      new SpanNormalizer(new CostCalculator(TestCatalog.catalog()));

  @ParameterizedTest(name = "{0}")
  @MethodSource("semanticFields")
  void everyKeyOfTheTableIsRead_inItsOrder(
      Map.Entry<Conventions.Field, Function<AgentSemantics, String>> entry) {
    Conventions.Field field = entry.getKey();
    List<String> keys = List.of(field.names());
    for (int i = 0; i < keys.size(); i++) {
      // this key and every later one are set: the value of this key must win
      Map<String, Object> attributes =
          keys.subList(i, keys.size()).stream()
              .collect(Collectors.toMap(k -> k, k -> "v-" + k.replace('.', '-')));
      AgentSpan s =
          normalizer
              .normalize(request(span("00000000000000a1", null, "span", attributes)), null)
              .spans()
              .get(0);
      assertThat(entry.getValue().apply(s.semantics()))
          .as("%s from %s", field.name, keys.get(i))
          .isEqualTo("v-" + keys.get(i).replace('.', '-'));
    }
  }
}

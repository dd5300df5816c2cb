package io.agentledger.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Compares the bundled catalog with LiteLLM's price file (a dated fixture) and writes the
 * differences to {@code docs/pricing-vs-litellm.md}, which a person reviews: the report explains
 * each kind of difference. Differences never fail the build; a report that is stale does, so the
 * committed one always matches the catalog (rewrite it with {@code -Dagentledger.docs.write=true}).
 */
class LiteLlmComparisonTest {

  static final String FIXTURE = "/fixtures/litellm/model_prices_and_context_window-2026-07-24.json";
  private static final LocalDate FIXTURE_DATE = LocalDate.parse("2026-07-24");
  private static final Path REPORT = Path.of("../docs/pricing-vs-litellm.md");
  private static final String BEGIN = "<!-- generated: differences -->";
  private static final String END = "<!-- end generated -->";

  @Test
  void differencesAreWrittenToTheReviewedReport() throws IOException {
    String table = render(compare());
    String doc = Files.readString(REPORT, StandardCharsets.UTF_8);
    int from = doc.indexOf(BEGIN);
    int to = doc.indexOf(END);
    assertThat(from).as("report markers").isNotNegative();
    String rendered = doc.substring(0, from + BEGIN.length()) + "\n" + table + doc.substring(to);
    if (Boolean.getBoolean("agentledger.docs.write")) {
      Files.writeString(REPORT, rendered, StandardCharsets.UTF_8);
      return;
    }
    assertThat(doc)
        .as("docs/pricing-vs-litellm.md is stale; rerun with -Dagentledger.docs.write=true")
        .isEqualTo(rendered);
  }

  /** One row per catalog entry (and per price field) that LiteLLM prices otherwise or lacks. */
  static List<String> compare() throws IOException {
    Map<String, ModelPricing> litellm = new HashMap<>();
    try (InputStream in = LiteLlmComparisonTest.class.getResourceAsStream(FIXTURE)) {
      for (ModelPricing m : LiteLlmPrices.read(in, FIXTURE_DATE)) {
        litellm.put(key(m.provider(), m.model()), m);
      }
    }
    List<String> rows = new ArrayList<>();
    for (ModelPricing ours : PriceCatalog.bundled().catalogModels()) {
      ModelPricing theirs = litellm.get(key(ours.provider(), ours.model()));
      String via = ours.model();
      for (int i = 0; theirs == null && i < ours.aliases().size(); i++) {
        via = ours.aliases().get(i);
        theirs = litellm.get(key(ours.provider(), via));
      }
      if (theirs == null) {
        rows.add(row(ours.id(), "—", "not in LiteLLM", "", ""));
        continue;
      }
      PriceRates a = ours.periodAt(FIXTURE_DATE).rates();
      PriceRates b = theirs.periodAt(FIXTURE_DATE).rates();
      diff(rows, ours.id(), via, "input", a.input(), b.input());
      diff(rows, ours.id(), via, "output", a.outputOrZero(), b.outputOrZero());
      diff(rows, ours.id(), via, "cacheRead", a.cacheReadOrInput(), b.cacheReadOrInput());
      diff(rows, ours.id(), via, "cacheWrite5m", a.cacheWrite5mOrInput(), b.cacheWrite5mOrInput());
    }
    return rows;
  }

  private static void diff(
      List<String> rows, String id, String via, String field, BigDecimal ours, BigDecimal theirs) {
    if (ours.compareTo(theirs) != 0) {
      rows.add(row(id, via, field, plain(ours), plain(theirs)));
    }
  }

  private static String render(List<String> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| catalog entry | LiteLLM key | field | ours (USD/1M) | LiteLLM (USD/1M) |\n");
    sb.append("|---|---|---|---|---|\n");
    rows.forEach(r -> sb.append(r).append('\n'));
    sb.append("\n").append(rows.size()).append(" differences.\n");
    return sb.toString();
  }

  private static String row(String id, String via, String field, String ours, String theirs) {
    return "| `" + id + "` | " + via + " | " + field + " | " + ours + " | " + theirs + " |";
  }

  private static String plain(BigDecimal d) {
    return d.stripTrailingZeros().toPlainString();
  }

  private static String key(String provider, String model) {
    return provider + "/" + model.toLowerCase(Locale.ROOT);
  }
}

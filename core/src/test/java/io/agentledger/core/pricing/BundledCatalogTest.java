package io.agentledger.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bundled catalog's prices for the ids that must resolve, each checked against its published
 * price (USD per 1M tokens; sources in {@code SOURCES.md} and on each entry).
 */
class BundledCatalogTest {

  private final PriceCatalog catalog = PriceCatalog.bundled();

  @ParameterizedTest(name = "{0} {1} on {2}: {3}/{4} as {5}")
  @CsvSource({
    // dated snapshots keep their own price history
    "openai, gpt-4o-2024-08-06, 2024-08-10, 2.5, 10, openai/gpt-4o-2024-08-06",
    "openai, gpt-4o-2024-11-20, 2024-11-25, 2.5, 10, openai/gpt-4o-2024-11-20",
    "openai, gpt-4o-2024-05-13, 2024-08-10, 5, 15, openai/gpt-4o-2024-05-13",
    "openai, gpt-4o, 2024-08-10, 5, 15, openai/gpt-4o",
    "openai, gpt-4o, 2024-10-10, 2.5, 10, openai/gpt-4o",
    "openai, gpt-3.5-turbo-1106, 2024-01-10, 1, 2, openai/gpt-3.5-turbo-1106",
    "openai, gpt-3.5-turbo-0613, 2023-09-01, 1.5, 2, openai/gpt-3.5-turbo-0613",
    "openai, gpt-3.5-turbo-16k-0613, 2023-09-01, 3, 4, openai/gpt-3.5-turbo-16k-0613",
    "openai, gpt-3.5-turbo-0125, 2024-06-01, 0.5, 1.5, openai/gpt-3.5-turbo",
    // ids that must resolve
    "openai, o1-preview, 2024-10-01, 15, 60, openai/o1-preview",
    "openai, o1-preview-2024-09-12, 2024-10-01, 15, 60, openai/o1-preview",
    "gcp.vertex_ai, claude-3-5-sonnet-v2@20241022, 2025-01-10, 3, 15, gcp.vertex_ai/claude-3-5-sonnet",
    "gcp.gemini, gemini-2.5-flash-preview-05-20, 2025-05-25, 0.15, 3.5,"
        + " gcp.gemini/gemini-2.5-flash-preview-05-20",
    "gcp.gemini, gemini-2.5-pro-preview-03-25, 2025-04-01, 1.25, 10, gcp.gemini/gemini-2.5-pro",
    "gcp.vertex_ai, gemini-2.5-pro-preview-03-25, 2025-04-01, 1.25, 10,"
        + " gcp.vertex_ai/gemini-2.5-pro",
    "gcp.gemini, gemini-1.5-pro-001, 2024-11-01, 1.25, 5, gcp.gemini/gemini-1.5-pro",
    "gcp.gemini, gemini-1.5-flash-001, 2024-11-01, 0.075, 0.3, gcp.gemini/gemini-1.5-flash",
    "gcp.vertex_ai, gemini-1.5-pro-001, 2024-11-01, 1.25, 5, gcp.vertex_ai/gemini-1.5-pro",
    // Bedrock inference profiles are entries of their own: global rate, regional +10 % for the
    // Claude 4.5 family, GovCloud +20 %
    "aws.bedrock, global.anthropic.claude-sonnet-4-5-20250929-v1:0, 2025-10-10, 3, 15,"
        + " aws.bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0",
    "aws.bedrock, us.anthropic.claude-sonnet-4-5-20250929-v1:0, 2025-10-10, 3.3, 16.5,"
        + " aws.bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "aws.bedrock, eu.anthropic.claude-sonnet-4-5-20250929-v1:0, 2025-10-10, 3.3, 16.5,"
        + " aws.bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "aws.bedrock, jp.anthropic.claude-sonnet-4-5-20250929-v1:0, 2025-10-10, 3.3, 16.5,"
        + " aws.bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "aws.bedrock, au.anthropic.claude-sonnet-4-5-20250929-v1:0, 2025-10-10, 3.3, 16.5,"
        + " aws.bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "aws.bedrock, us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0, 2025-10-10, 3.6, 18,"
        + " aws.bedrock/us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "aws.bedrock, us.anthropic.claude-haiku-4-5-20251001-v1:0, 2025-10-20, 1.1, 5.5,"
        + " aws.bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0",
    "aws.bedrock, us.anthropic.claude-opus-4-5-20251101-v1:0, 2025-11-25, 5.5, 27.5,"
        + " aws.bedrock/us.anthropic.claude-opus-4-5-20251101-v1:0",
    "aws.bedrock, us-gov.anthropic.claude-3-7-sonnet-20250219-v1:0, 2025-03-10, 3.6, 18,"
        + " aws.bedrock/us-gov.anthropic.claude-3-7-sonnet-20250219-v1:0",
    "aws.bedrock, apac.anthropic.claude-sonnet-4-20250514-v1:0, 2025-06-10, 3, 15,"
        + " aws.bedrock/anthropic.claude-sonnet-4-20250514-v1:0",
    "aws.bedrock, us.anthropic.claude-3-7-sonnet-20250219-v1:0, 2025-03-10, 3, 15,"
        + " aws.bedrock/anthropic.claude-3-7-sonnet-20250219-v1:0",
  })
  void idResolvesToItsOwnPrice(
      String provider,
      String model,
      String date,
      BigDecimal input,
      BigDecimal output,
      String pricedAs) {
    PriceMatch match = catalog.match(provider, model).orElseThrow();

    assertThat(match.pricedAs()).isEqualTo(pricedAs);
    assertThat(match.how()).isNotEqualTo(PriceMatch.How.OTHER_PROVIDER);
    PriceRates rates = match.pricing().periodAt(LocalDate.parse(date)).rates();
    assertThat(rates.input()).isEqualByComparingTo(input);
    assertThat(rates.output()).isEqualByComparingTo(output);
  }

  @Test
  void bedrockProfileWithoutAnEntry_isNotPricedByStrippingItsRegion() {
    // Claude 3 Opus has no cross-region profile entry: no silent global price
    assertThat(
            catalog
                .match("aws.bedrock", "eu.anthropic.claude-3-opus-20240229-v1:0")
                .map(PriceMatch::how)
                .orElse(PriceMatch.How.OTHER_PROVIDER))
        .isEqualTo(PriceMatch.How.OTHER_PROVIDER);
  }

  @Test
  void everyEntry_namesItsSourceAndTheDateItWasChecked() throws IOException {
    try (InputStream in = PriceCatalog.class.getResourceAsStream("catalog.json")) {
      JsonNode root = new ObjectMapper().readTree(in);
      for (JsonNode m : root.path("models")) {
        String id = m.path("provider").asText() + "/" + m.path("model").asText();
        assertThat(m.path("source").asText()).as(id + " source").startsWith("https://");
        assertThat(LocalDate.parse(m.path("checked").asText())).as(id + " checked").isNotNull();
      }
    }
  }
}

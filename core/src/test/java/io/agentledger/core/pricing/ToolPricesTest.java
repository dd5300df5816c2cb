package io.agentledger.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentledger.core.span.Cost;
import io.agentledger.core.span.CostSource;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolPricesTest {

  private static final LocalDate FROM = LocalDate.of(2026, 1, 1);
  private static final long START =
      FROM.plusDays(10).atStartOfDay().toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L;
  private static final long SECOND = 1_000_000_000L;

  private static BigDecimal usd(String s) {
    return new BigDecimal(s).setScale(Cost.SCALE);
  }

  private static ToolPrice perCall(String tool, String usd) {
    return new ToolPrice(tool, ToolKind.TOOL, FROM, new BigDecimal(usd), null, null, "");
  }

  @Test
  void perCall_isThePriceOfEachCall() {
    Cost c =
        ToolPrices.of(List.of(perCall("web_search", "0.005")))
            .cost("web_search", "execute_tool web_search", START, START + 3 * SECOND, Map.of());

    assertThat(c.source()).isEqualTo(CostSource.COMPUTED);
    assertThat(c.amountUsd()).isEqualTo(usd("0.005"));
    assertThat(c.pricedAs()).isEqualTo("tool:web_search");
    assertThat(ToolPrices.isToolCost(c)).isTrue();
  }

  @Test
  void perSecond_isPricedOnTheSpanDuration() {
    ToolPrice sandbox =
        new ToolPrice(
            "e2b.sandbox", ToolKind.SANDBOX, FROM, null, new BigDecimal("0.000028"), null, "");
    // 12.5 s × $0.000028 = $0.00035
    Cost c =
        ToolPrices.of(List.of(sandbox))
            .cost("", "e2b.sandbox", START, START + 12_500_000_000L, Map.of());

    assertThat(c.amountUsd()).isEqualTo(usd("0.00035"));
    assertThat(c.detail()).contains("sandbox price", "12.5 s");
  }

  @Test
  void perUnit_readsTheUnitsFromTheAttribute_andAddsToTheOtherParts() {
    ToolPrice scraper =
        new ToolPrice(
            "scrape",
            ToolKind.TOOL,
            FROM,
            new BigDecimal("0.001"),
            new BigDecimal("0.0001"),
            new BigDecimal("0.0002"),
            "scrape.pages");
    // $0.001 + 2 s × $0.0001 + 40 pages × $0.0002 = 0.001 + 0.0002 + 0.008 = $0.0092
    Cost c =
        ToolPrices.of(List.of(scraper))
            .cost("scrape", "scrape", START, START + 2 * SECOND, Map.of("scrape.pages", "40"));

    assertThat(c.amountUsd()).isEqualTo(usd("0.0092"));
  }

  @Test
  void perUnit_withoutTheUnits_isUnknownNotFree() {
    ToolPrice scraper =
        new ToolPrice(
            "scrape",
            ToolKind.TOOL,
            FROM,
            new BigDecimal("0.001"),
            null,
            new BigDecimal("0.0002"),
            "scrape.pages");
    ToolPrices prices = ToolPrices.of(List.of(scraper));

    Cost missing = prices.cost("scrape", "scrape", START, START + SECOND, Map.of());
    Cost invalid =
        prices.cost("scrape", "scrape", START, START + SECOND, Map.of("scrape.pages", "-3"));

    for (Cost c : List.of(missing, invalid)) {
      assertThat(c.source()).isEqualTo(CostSource.UNKNOWN);
      assertThat(c.amountUsd()).isNull();
      assertThat(c.pricedAs()).isEqualTo("tool:scrape");
      assertThat(ToolPrices.isToolCost(c)).isTrue();
    }
    assertThat(missing.detail()).contains("does not report");
  }

  @Test
  void toolNameWinsOverSpanName_andUnnamedToolsBearNoCost() {
    ToolPrices prices = ToolPrices.of(List.of(perCall("a", "1"), perCall("b", "2")));

    assertThat(prices.cost("a", "b", START, START, Map.of()).amountUsd()).isEqualTo(usd("1"));
    assertThat(prices.cost("", "b", START, START, Map.of()).amountUsd()).isEqualTo(usd("2"));
    assertThat(prices.cost("c", "d", START, START, Map.of())).isEqualTo(Cost.NONE);
    assertThat(ToolPrices.NONE.cost("a", "a", START, START, Map.of())).isEqualTo(Cost.NONE);
  }

  @Test
  void priceNotYetInForce_leavesEarlierSpansUnpriced() {
    ToolPrice later =
        new ToolPrice("a", ToolKind.TOOL, FROM.plusDays(11), BigDecimal.ONE, null, null, "");

    assertThat(ToolPrices.of(List.of(later)).cost("a", "a", START, START, Map.of()))
        .isEqualTo(Cost.NONE);
  }

  @Test
  void json_roundTrips() {
    ToolPrice p =
        new ToolPrice(
            "scrape",
            ToolKind.SANDBOX,
            FROM,
            new BigDecimal("0.001"),
            new BigDecimal("0.25"),
            new BigDecimal("0.000002"),
            "scrape.pages");

    assertThat(ToolPrice.fromJson(p.toJson())).isEqualTo(p);
  }

  @Test
  void invalidPrices_areRefusedWithTheReason() {
    assertThatThrownBy(() -> new ToolPrice("a", ToolKind.TOOL, FROM, null, null, null, ""))
        .hasMessageContaining("at least one of");
    assertThatThrownBy(
            () -> new ToolPrice("a", ToolKind.TOOL, FROM, null, null, BigDecimal.ONE, ""))
        .hasMessageContaining("unitAttribute");
    assertThatThrownBy(
            () -> new ToolPrice("a", ToolKind.TOOL, FROM, new BigDecimal("-1"), null, null, ""))
        .hasMessageContaining("perCallUsd");
    assertThatThrownBy(() -> ToolKind.fromWireName("vm")).hasMessageContaining("sandbox");
  }
}

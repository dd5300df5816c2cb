package io.agentledger.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentledger.core.pricing.ModelPricing;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.pricing.ToolKind;
import io.agentledger.core.pricing.ToolPrice;
import io.agentledger.store.PriceOverrides;
import io.agentledger.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Price overrides that cannot be read never make a good span a dead letter. */
class ProjectCatalogsTest {

  private static final PriceCatalog BASE = PriceCatalog.of("base", List.of());
  private static final ModelPricing OVERRIDE =
      ModelPricing.fromJson(
          """
          {"provider": "acme", "model": "m1", "kind": "chat",
           "prices": [{"effectiveFrom": "2024-01-01", "input": 1, "output": 2}]}
          """);

  private Supplier<List<ModelPricing>> overrides = () -> List.of(OVERRIDE);
  private Instant now = Instant.parse("2026-11-30T00:00:00Z");

  private final PriceOverrides store =
      new PriceOverrides() {
        @Override
        public void savePriceOverride(String project, ModelPricing pricing) {}

        @Override
        public List<ModelPricing> priceOverrides(String project) {
          return overrides.get();
        }
      };

  private ProjectCatalogs catalogs() {
    Clock clock =
        new Clock() {
          @Override
          public Instant instant() {
            return now;
          }

          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };
    return new ProjectCatalogs(BASE, store, p -> tools.get(), clock, Duration.ofSeconds(10));
  }

  private static final ToolPrice SEARCH =
      new ToolPrice(
          "web_search",
          ToolKind.TOOL,
          java.time.LocalDate.of(2024, 1, 1),
          new java.math.BigDecimal("0.01"),
          null,
          null,
          "");

  private Supplier<List<ToolPrice>> tools = () -> List.of(SEARCH);

  @Test
  void toolPrices_areReadWithTheCatalog_andATransientFailureKeepsTheLastRead() {
    ProjectCatalogs catalogs = catalogs();
    long start = now.getEpochSecond() * 1_000_000_000L;
    assertThat(catalogs.toolPrices("p").cost("web_search", "", start, start, java.util.Map.of()))
        .satisfies(c -> assertThat(c.amountUsd()).isEqualByComparingTo("0.01"));

    tools =
        () -> {
          throw new StoreException("database is locked", true);
        };
    now = now.plusSeconds(11);
    assertThat(catalogs.toolPrices("p").isEmpty()).isFalse();

    tools = List::of;
    now = now.plusSeconds(11);
    assertThat(catalogs.toolPrices("p").isEmpty()).isTrue();
  }

  @Test
  void transientFailure_keepsTheLastCatalogRead() {
    ProjectCatalogs catalogs = catalogs();
    assertThat(catalogs.apply("p").match("acme", "m1")).isPresent();

    overrides =
        () -> {
          throw new StoreException("database is locked", true);
        };
    now = now.plusSeconds(11);

    assertThat(catalogs.apply("p").match("acme", "m1")).isPresent();
  }

  @Test
  void transientFailure_withNothingReadYet_isThrownForTheConsumerToRetry() {
    overrides =
        () -> {
          throw new StoreException("database is locked", true);
        };

    assertThatThrownBy(() -> catalogs().apply("p"))
        .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.retryable()).isTrue());
  }

  @Test
  void overridesThatCanNeverBeRead_fallBackToTheBundledPrices() {
    overrides =
        () -> {
          throw new StoreException("stored override: input price is above the limit", false);
        };

    assertThat(catalogs().apply("p")).isSameAs(BASE);
  }
}

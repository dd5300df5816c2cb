package io.agentledger.store.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ListingsTest {

  @Test
  void decimalArg_ordinaryAmounts_roundUpToTheColumnsTwelvePlaces() {
    assertThat(Listings.decimalArg(new BigDecimal("0.75"))).isEqualTo("0.750000000000");
    assertThat(Listings.decimalArg(new BigDecimal("1.0000000000001"))).isEqualTo("1.000000000001");
    assertThat(Listings.decimalArg(BigDecimal.ZERO)).isEqualTo("0");
  }

  @Test
  void decimalArg_absurdAmounts_areBoundedBeforeTheyAreWrittenOut() {
    long start = System.nanoTime();
    assertThat(Listings.decimalArg(new BigDecimal("1e999999999")))
        .isEqualTo("99999999999999999999999999.999999999999");
    assertThat(Listings.decimalArg(new BigDecimal("-1e999999999")))
        .isEqualTo("-99999999999999999999999999.999999999999");
    assertThat(Listings.decimalArg(new BigDecimal("1e-999999999"))).isEqualTo("0.000000000001");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }
}

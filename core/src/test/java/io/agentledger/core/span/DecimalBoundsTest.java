package io.agentledger.core.span;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DecimalBoundsTest {

  private static final BigDecimal MAX = DecimalBounds.MAX_COST_USD;

  private static BigDecimal parse(String raw) {
    return DecimalBounds.parse(raw, MAX, 12);
  }

  @Test
  void ordinaryValues_roundHalfEvenTo12Places() {
    assertThat(parse("0.0123")).isEqualTo(new BigDecimal("0.012300000000"));
    assertThat(parse(" 1E-3 ")).isEqualTo(new BigDecimal("0.001000000000"));
    // 0.0000000000005 is exactly half of the last place: half-even rounds to 0
    assertThat(parse("0.0000000000005")).isEqualTo(new BigDecimal("0.000000000000"));
    assertThat(parse("0.0000000000015")).isEqualTo(new BigDecimal("0.000000000002"));
    assertThat(parse("1000000000")).isEqualTo(new BigDecimal("1000000000.000000000000"));
  }

  @Test
  void hugeValues_areRejectedBeforeAnyArithmetic() {
    assertThatThrownBy(() -> parse("1e30")).hasMessage("is above the limit of 1000000000");
    assertThatThrownBy(() -> parse("1000000000.000000000001")).hasMessageContaining("above");
    assertThatThrownBy(() -> parse("1e999999999")).hasMessageContaining("above");
  }

  @Test
  void tinyValues_becomeZeroAtOnce() {
    // setScale(12) on 1e-999999999 would run for minutes; the exponent check answers at once
    long start = System.nanoTime();
    assertThat(parse("1e-999999999")).isEqualTo(new BigDecimal("0.000000000000"));
    assertThat(parse("9.9e-14")).isEqualTo(new BigDecimal("0.000000000000"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void negativeLongOrNonNumericText_isRejected() {
    assertThatThrownBy(() -> parse("-0.01")).hasMessage("is negative");
    assertThatThrownBy(() -> parse("abc")).hasMessage("is not a number");
    assertThatThrownBy(() -> parse("1".repeat(65))).hasMessage("is longer than 64 characters");
  }

  @Test
  void storableCost_checksTheLimitWithoutRounding() {
    assertThat(DecimalBounds.isStorableCost(new BigDecimal("1e-999999999"))).isTrue();
    assertThat(DecimalBounds.isStorableCost(new BigDecimal("1e9"))).isTrue();
    assertThat(DecimalBounds.isStorableCost(new BigDecimal("1.0000000001e9"))).isFalse();
    assertThat(DecimalBounds.isStorableCost(new BigDecimal("1e308"))).isFalse();
    assertThat(DecimalBounds.isStorableCost(new BigDecimal("-1"))).isFalse();
  }

  @Test
  void costRecord_refusesAmountsTheStoresCannotHold() {
    assertThatThrownBy(() -> new Cost(new BigDecimal("1e30"), CostSource.REPORTED, null, null, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("above the limit");
    assertThat(Cost.reported(new BigDecimal("1e-999999999"), "").amountUsd())
        .isEqualTo(new BigDecimal("0.000000000000"));
  }
}

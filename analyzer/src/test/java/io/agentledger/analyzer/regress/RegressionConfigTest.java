package io.agentledger.analyzer.regress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentledger.core.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegressionConfigTest {

  @Test
  void defaults_areTheDocumentedOnes() {
    RegressionConfig c = RegressionConfig.defaults();
    assertThat(c.minRuns()).isEqualTo(30);
    assertThat(c.minEffect()).isEqualTo(0.1);
    assertThat(c.fdr()).isEqualTo(0.05);
    assertThat(c.bootstrapResamples()).isEqualTo(2000);
    assertThat(c.permutations()).isEqualTo(999);
    assertThat(c.changePointP()).isEqualTo(0.001);
    assertThat(c.interval()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.lookback()).isEqualTo(Duration.ofDays(14));
  }

  @Test
  void values_areRead_andEveryBadOneIsReportedAtOnce() {
    RegressionConfig c =
        RegressionConfig.from(
            RegressionConfig.SETTINGS.load(
                Map.of(
                    "AGENTLEDGER_REGRESSION_MIN_RUNS", "50",
                    "AGENTLEDGER_REGRESSION_MIN_EFFECT", "0.25",
                    "AGENTLEDGER_REGRESSION_LOOKBACK", "7d")));
    assertThat(c.minRuns()).isEqualTo(50);
    assertThat(c.minEffect()).isEqualTo(0.25);
    assertThat(c.lookback()).isEqualTo(Duration.ofDays(7));

    assertThatThrownBy(
            () ->
                RegressionConfig.SETTINGS.load(
                    Map.of(
                        "AGENTLEDGER_REGRESSION_FDR", "lots",
                        "AGENTLEDGER_REGRESSION_MIN_EFFECT", "-1",
                        "AGENTLEDGER_REGRESSION_MIN_RUNS", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("AGENTLEDGER_REGRESSION_FDR")
        .hasMessageContaining("AGENTLEDGER_REGRESSION_MIN_EFFECT")
        .hasMessageContaining("AGENTLEDGER_REGRESSION_MIN_RUNS");
  }
}

package io.agentledger.bench.regress;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.bench.report.Results;
import org.junit.jupiter.api.Test;

class RegressionBenchTest {

  @Test
  void smokeSizes_meetEveryTarget() {
    Results results = new Results("test");
    RegressionBench.run(true, results, "test");

    assertThat(results.figures()).hasSize(6);
    assertThat(results.figures())
        .filteredOn(f -> f.met() != null)
        .hasSize(3)
        .allSatisfy(f -> assertThat(f.met()).as(f.name() + ": " + f.value()).isTrue());
  }
}

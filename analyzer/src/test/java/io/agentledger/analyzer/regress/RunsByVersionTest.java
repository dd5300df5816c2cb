package io.agentledger.analyzer.regress;

import static io.agentledger.analyzer.regress.SyntheticRuns.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.store.RunSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunsByVersionTest {

  @Test
  void keepsTheMostRecentRunsInStartOrder_onceEach_andWhenTheFirstStarted() {
    List<RunSummary> runs = new ArrayList<>(new SyntheticRuns(1).runs("1", T0, 10));
    List<RunSummary> shuffled = new ArrayList<>(runs);
    Collections.shuffle(shuffled, new java.util.Random(3));
    RunsByVersion gathered = new RunsByVersion(4);
    shuffled.forEach(gathered::add);
    runs.forEach(gathered::add); // read again: kept once

    VersionRuns v = gathered.versions().get(0);
    assertThat(v.agent()).isEqualTo("planner");
    assertThat(v.version()).isEqualTo("1");
    assertThat(v.recent()).containsExactlyElementsOf(runs.subList(6, 10));
    assertThat(v.firstSeen()).isEqualTo(T0);
  }

  @Test
  void runsWithoutAgentOrVersion_areLeftOut() {
    RunsByVersion gathered = new RunsByVersion(10);
    new SyntheticRuns(1).runs("", T0, 3).forEach(gathered::add);
    new SyntheticRuns(2)
        .agent("")
        .runs("1", T0.plus(Duration.ofHours(1)), 3)
        .forEach(gathered::add);
    assertThat(gathered.versions()).isEmpty();
  }
}

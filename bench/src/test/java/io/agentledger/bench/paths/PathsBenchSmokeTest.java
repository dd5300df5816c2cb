package io.agentledger.bench.paths;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.bench.BenchSuite;
import io.agentledger.bench.report.Results;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The paths part at smoke size: it loads runs, queries them over HTTP and reports the figures. */
class PathsBenchSmokeTest {

  @TempDir Path dir;

  @Test
  void pathsPart_runsAndReportsItsFigures() throws Exception {
    Results results = new Results("smoke test");
    BenchSuite.runPart("paths", BenchSuite.Sizes.SMOKE, dir, results, "smoke test");
    results.save(dir.resolve("figures.jsonl"));
    Path out = dir.resolve("RESULTS.md");
    Results.merge(dir.resolve("figures.jsonl"), "smoke test").write(out);

    assertThat(Files.readString(out))
        .contains("## Aggregated paths")
        .contains("DuckDB: `GET /agents/{agent}/paths` over 7 days, 2,000 runs of the agent")
        .doesNotContain("NaN");
  }
}

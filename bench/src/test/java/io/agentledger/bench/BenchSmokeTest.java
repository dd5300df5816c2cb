package io.agentledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.bench.report.Results;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness at tiny sizes: every part runs and reports, and the report is written. */
class BenchSmokeTest {

  @TempDir Path dir;

  @Test
  void storeApiAndPipelineParts_runAndReportTheirFigures() throws Exception {
    BenchSuite.Sizes tiny = new BenchSuite.Sizes(6_000, 3_000, 3_000);
    Results results = new Results("smoke test");
    for (String part : new String[] {"store", "api", "pipeline"}) {
      BenchSuite.runPart(part, tiny, dir, results, "smoke test");
    }
    results.save(dir.resolve("figures.jsonl"));
    Path out = dir.resolve("RESULTS.md");
    Results.merge(dir.resolve("figures.jsonl"), "smoke test").write(out);

    String md = Files.readString(out);
    assertThat(md)
        .contains("## Store (DuckDB)")
        .contains("chain lookup")
        .contains("## Query API")
        .contains("`GET /chains/{traceId}`")
        .contains("sustained, export to queryable")
        .contains("raw Kafka produce + consume")
        .contains("fraction of the raw Kafka ceiling")
        .contains("from its first export to its whole tree served")
        .doesNotContain("NaN");
  }
}

package io.agentledger.store.duckdb;

import static io.agentledger.store.duckdb.LegacyStoreFixture.T0;
import static io.agentledger.store.duckdb.LegacyStoreFixture.WATERMARK_KEY;
import static io.agentledger.store.duckdb.LegacyStoreFixture.trace;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.core.pricing.ModelPricing;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.store.AnomalyQuery;
import io.agentledger.store.ChainQuery;
import io.agentledger.store.CostDimension;
import io.agentledger.store.CostQuery;
import io.agentledger.store.SpanStore;
import io.agentledger.store.TestClock;
import io.agentledger.store.TimeRange;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store file written by the release before the store split opens in place with today's code and
 * reads back exactly what today's code reads from the same content written afresh.
 */
class LegacyFileTest {

  private static final TimeRange DAY =
      new TimeRange(T0.minus(Duration.ofHours(12)), T0.plus(Duration.ofHours(12)));

  @TempDir Path dir;

  @Test
  void aFileOfTheReleaseBeforeTheSplit_opensInPlaceAndReadsBackExactly() throws Exception {
    Path file = copyOfLegacyFile();
    TestClock clock = new TestClock(T0);
    try (SpanStore legacy = DuckDbSpanStore.open(file, new TestClock(T0.plusSeconds(3600)));
        SpanStore fresh = DuckDbSpanStore.inMemory(clock)) {
      LegacyStoreFixture.write(fresh, clock);

      for (String project : List.of("p", "q")) {
        for (String traceId : List.of(trace(1), trace(2), trace(5))) {
          assertThat(legacy.chainSpans(project, traceId))
              .as("spans of %s/%s", project, traceId)
              .containsExactlyInAnyOrderElementsOf(fresh.chainSpans(project, traceId));
          assertThat(legacy.chainSummary(project, traceId))
              .isEqualTo(fresh.chainSummary(project, traceId));
        }
        assertThat(listAll(legacy, project)).isEqualTo(listAll(fresh, project));
        CostQuery byEverything =
            new CostQuery(DAY, List.of(CostDimension.values()), Optional.of(Duration.ofHours(1)));
        assertThat(legacy.costs(project, byEverything))
            .isEqualTo(fresh.costs(project, byEverything));
        assertThat(legacy.session(project, "s-1")).isEqualTo(fresh.session(project, "s-1"));
        assertThat(legacy.agents(project, DAY)).isEqualTo(fresh.agents(project, DAY));
        assertThat(legacy.anomalies(project, AnomalyQuery.all(DAY, 10)))
            .isEqualTo(fresh.anomalies(project, AnomalyQuery.all(DAY, 10)));
        assertThat(legacy.regressions(project, DAY, ""))
            .isEqualTo(fresh.regressions(project, DAY, ""));
        assertThat(legacy.priceOverrides(project))
            .extracting(ModelPricing::toJson)
            .isEqualTo(fresh.priceOverrides(project).stream().map(ModelPricing::toJson).toList());
      }
      Instant end = T0.plusSeconds(60);
      assertThat(legacy.chainsTouched(Instant.EPOCH, end, 100))
          .hasSize(4)
          .isEqualTo(fresh.chainsTouched(Instant.EPOCH, end, 100));
      assertThat(legacy.state(WATERMARK_KEY)).contains(T0.plusSeconds(4).toString());

      // Hand-computed: 5 spans and the late one; $0.75 settled; the unsettled chain as emitted.
      assertThat(legacy.chainSpans("p", trace(1))).hasSize(6);
      assertThat(legacy.chainSummary("p", trace(1)).orElseThrow().costUsd())
          .isEqualByComparingTo("0.75");
      assertThat(legacy.chainSummary("p", trace(2))).isEmpty();
      assertThat(legacy.anomalies("p", AnomalyQuery.all(DAY, 10)))
          .singleElement()
          .extracting("id")
          .isEqualTo("a1");

      // The file keeps working: replays are skipped, new spans are stored.
      assertThat(legacy.append(LegacyStoreFixture.chain("p", trace(1), 0))).isZero();
      assertThat(legacy.append(LegacyStoreFixture.chain("p", trace(9), 0))).isEqualTo(5);
      assertThat(legacy.check().up()).isTrue();
    }
    // Every migration since ran once, in order.
    assertThat(schemaVersions(file))
        .containsExactlyElementsOf(
            java.util.stream.IntStream.rangeClosed(1, Migrations.FILES.size()).boxed().toList());
  }

  private Path copyOfLegacyFile() throws Exception {
    Path file = dir.resolve("agentledger.duckdb");
    try (InputStream in =
        new GZIPInputStream(LegacyFileTest.class.getResourceAsStream("legacy-v002.duckdb.gz"))) {
      Files.copy(in, file);
    }
    return file;
  }

  private static List<ChainSummary> listAll(SpanStore store, String project) {
    return store.chains(project, ChainQuery.all(DAY).withLimit(ChainQuery.MAX_LIMIT)).items();
  }

  private static List<Integer> schemaVersions(Path file) throws Exception {
    List<Integer> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT version FROM schema_migrations ORDER BY version")) {
      while (rs.next()) {
        out.add(rs.getInt(1));
      }
    }
    return out;
  }
}

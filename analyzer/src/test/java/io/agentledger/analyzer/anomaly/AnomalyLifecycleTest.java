package io.agentledger.analyzer.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.store.Anomaly;
import io.agentledger.store.AnomalyQuery;
import io.agentledger.store.SpanStore;
import io.agentledger.store.TestClock;
import io.agentledger.store.TimeRange;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnomalyLifecycleTest {

  private static final Instant T = Instant.parse("2026-01-12T12:00:00Z");
  private static final Map<String, String> SUBJECT = Map.of("agent", "writer");

  private final SpanStore store = DuckDbSpanStore.inMemory(new TestClock(T));
  private final List<String> seen = new ArrayList<>();
  private final AnomalyLifecycle lifecycle =
      new AnomalyLifecycle(
          store, DetectionSettings.defaults(), (a, t) -> seen.add(t + " " + a.id()));

  @AfterEach
  void close() {
    store.close();
  }

  private static Observation anomalous(Instant first, Instant last, double observed) {
    return new Observation(
        "tool_loop",
        SUBJECT,
        "identical_tool_calls",
        true,
        false,
        observed,
        new Anomaly.Band(0, 2),
        observed,
        Anomaly.WARNING,
        first,
        last,
        List.of("t-" + observed),
        Map.of("runs", "1"));
  }

  private List<Anomaly> all(Instant now) {
    return store.anomalies(
        "p", AnomalyQuery.all(new TimeRange(Instant.EPOCH, now.plusSeconds(1)), 10));
  }

  @Test
  void firesOnce_updatesWhileItGoesOn_andResolvesWhenQuietForResolveAfter() {
    lifecycle.apply("p", List.of(anomalous(T, T, 3)), T);
    lifecycle.apply(
        "p", List.of(anomalous(T.plusSeconds(60), T.plusSeconds(60), 5)), T.plusSeconds(60));

    Anomaly a = all(T.plusSeconds(60)).get(0);
    assertThat(all(T.plusSeconds(60))).hasSize(1);
    assertThat(a.status()).isEqualTo(Anomaly.FIRING);
    assertThat(a.firstSeen()).isEqualTo(T);
    assertThat(a.lastSeen()).isEqualTo(T.plusSeconds(60));
    assertThat(a.observed()).isEqualTo(5);
    assertThat(a.exampleTraceIds()).containsExactly("t-5.0", "t-3.0");
    assertThat(a.id())
        .isEqualTo(
            AnomalyLifecycle.id(
                "p", Observation.key("tool_loop", SUBJECT, "identical_tool_calls"), T));

    Instant quiet = T.plusSeconds(60).plus(Duration.ofHours(1)).plusSeconds(1);
    lifecycle.apply("p", List.of(), quiet);

    assertThat(all(quiet)).singleElement().extracting(Anomaly::status).isEqualTo(Anomaly.RESOLVED);
    assertThat(seen).containsExactly("FIRING " + a.id(), "RESOLVED " + a.id());
  }

  @Test
  void afterTheCooldown_aRecurrenceIsANewEpisode() {
    lifecycle.apply("p", List.of(anomalous(T, T, 3)), T);
    lifecycle.apply("p", List.of(Observation.clearAll("tool_loop", SUBJECT)), T.plusSeconds(60));
    Instant later = T.plus(Duration.ofHours(3));
    lifecycle.apply("p", List.of(anomalous(later, later, 4)), later);

    assertThat(all(later))
        .extracting(Anomaly::status)
        .containsExactly(Anomaly.FIRING, Anomaly.RESOLVED);
    assertThat(seen).hasSize(3).allMatch(s -> !s.startsWith("REOPENED"));
  }

  @Test
  void evidenceFromBeforeTheResolution_doesNotReopen() {
    lifecycle.apply("p", List.of(anomalous(T, T, 3)), T);
    lifecycle.apply("p", List.of(Observation.clearAll("tool_loop", SUBJECT)), T.plusSeconds(60));
    lifecycle.apply("p", List.of(anomalous(T, T, 3)), T.plusSeconds(120));

    assertThat(all(T.plusSeconds(120)))
        .singleElement()
        .extracting(Anomaly::status)
        .isEqualTo(Anomaly.RESOLVED);
  }
}

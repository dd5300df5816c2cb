package io.agentledger.store.clickhouse;

import static io.agentledger.core.testing.TestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentledger.clickhouse.embedded.LocalClickHouse;
import io.agentledger.core.rollup.ChainSummary;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.core.span.BillingRole;
import io.agentledger.store.ChainQuery;
import io.agentledger.store.ChainRef;
import io.agentledger.store.CostQuery;
import io.agentledger.store.CostReport;
import io.agentledger.store.SpanStore;
import io.agentledger.store.SpanStoreContract;
import io.agentledger.store.TestClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.clickhouse.ClickHouseContainer;

/**
 * The store contract against a real ClickHouse (an LTS release in Testcontainers, or 26.7 from
 * libchdb where there is no Docker engine), one fresh database per test, plus what only ClickHouse
 * can get wrong: answers before and after merges, reopening, the TTL.
 */
@ExtendWith(ClickHouseAvailable.class)
class ClickHouseSpanStoreIT extends SpanStoreContract {

  static final String IMAGE = "clickhouse/clickhouse-server:25.8";

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final List<String> CREATED = new ArrayList<>();

  private static ClickHouseContainer container;
  private static String serverUrl;
  private static Properties credentials;

  private String database;

  @BeforeAll
  static void startServer() {
    credentials = new Properties();
    serverUrl = ClickHouseAvailable.serverUrl();
    if (serverUrl == null && !DockerClientFactory.instance().isDockerAvailable()) {
      LocalClickHouse local = LocalClickHouse.shared(); // one per JVM, stopped when it exits
      serverUrl = local.jdbcUrl();
      credentials.setProperty("user", local.user());
      credentials.setProperty("password", local.password());
    } else if (serverUrl == null) {
      container = new ClickHouseContainer(IMAGE);
      container.start();
      serverUrl = container.getJdbcUrl();
      credentials.setProperty("user", container.getUsername());
      credentials.setProperty("password", container.getPassword());
    } else {
      putIfSet(credentials, "user", System.getenv("AGENTLEDGER_CLICKHOUSE_USER"));
      putIfSet(credentials, "password", System.getenv("AGENTLEDGER_CLICKHOUSE_PASSWORD"));
    }
  }

  @AfterAll
  static void stopServer() throws SQLException {
    try {
      if (serverUrl != null) {
        for (String db : CREATED) {
          execute("DROP DATABASE IF EXISTS " + db);
        }
      }
    } finally {
      CREATED.clear();
      if (container != null) {
        container.stop();
        container = null;
      }
    }
  }

  @Override
  protected SpanStore openStore(TestClock clock) throws SQLException {
    database =
        "agentledger_it_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    execute("CREATE DATABASE IF NOT EXISTS " + database);
    CREATED.add(database);
    return reopen(clock, Duration.ZERO);
  }

  private SpanStore reopen(TestClock clock, Duration ttl) {
    return ClickHouseSpanStore.open(withDatabase(serverUrl, database), credentials, ttl, clock);
  }

  // --- beyond the contract ------------------------------------------------------------------

  @Test
  void answersAreTheSame_beforeAndAfterMergesCollapseTheCopies() throws SQLException {
    List<AgentSpan> spans = chain("p", trace(1), 0);
    store.append(spans);
    store.append(spans); // a replay: skipped
    settle("p", trace(1));
    settle("p", trace(1)); // settling twice changes nothing
    ChainSummary before = store.chainSummary("p", trace(1)).orElseThrow();
    CostReport costsBefore = store.costs("p", new CostQuery(DAY, List.of(), Optional.empty()));

    for (String table : List.of("spans", "chains", "trace_index")) {
      executeIn(database, "OPTIMIZE TABLE " + table + " FINAL");
    }

    assertThat(store.chainSummary("p", trace(1))).contains(before);
    assertThat(store.chainSpans("p", trace(1))).hasSize(5);
    assertThat(store.costs("p", new CostQuery(DAY, List.of(), Optional.empty())))
        .isEqualTo(costsBefore);
    assertThat(countIn(database, "SELECT count() FROM spans")).isEqualTo(5);
    assertThat(countIn(database, "SELECT count() FROM chains")).isEqualTo(1);
  }

  @Test
  void aLateRawCopyOfASettledSpan_doesNotUndoTheSettlement() throws SQLException {
    store.append(parentRepeatingItsChild(trace(5)));
    settle("p", trace(5)); // the parent becomes a roll-up

    // A replay racing the existence check of another collector: the raw row again, newer.
    executeIn(
        database,
        "INSERT INTO spans SELECT * REPLACE ('billable' AS BillingRole, toUInt64(4e15) AS Version)"
            + " FROM spans FINAL WHERE SpanName = 'parent'");

    assertThat(store.costs("p", new CostQuery(DAY, List.of(), Optional.empty())).groups())
        .singleElement()
        .satisfies(g -> assertThat(g.costUsd()).isEqualByComparingTo("0.30"));
    assertThat(store.chainSpans("p", trace(5)))
        .filteredOn(s -> s.name().equals("parent"))
        .singleElement()
        .satisfies(s -> assertThat(s.billingRole()).isEqualTo(BillingRole.ROLLUP));
  }

  @Test
  void aReplayOfSpansStoredByAnAttemptThatDiedBeforeItsActivity_stillTouchesTheirChain()
      throws SQLException {
    List<AgentSpan> spans = chain("p", trace(1), 0);
    store.append(spans);
    executeIn(database, "TRUNCATE TABLE chain_activity"); // the attempt's last insert, lost
    assertThat(store.chainsTouched(Instant.EPOCH, clock.instant(), 10)).isEmpty();
    clock.advance(Duration.ofSeconds(30));

    assertThat(store.append(spans)).isZero(); // the Kafka consumer's replay: nothing new

    assertThat(store.chainsTouched(Instant.EPOCH, clock.instant(), 10))
        .extracting(ChainRef::traceId)
        .containsExactly(trace(1));
    assertThat(countIn(database, "SELECT count() FROM spans")).isEqualTo(5);
  }

  @Test
  void aChainsActivity_isStampedOnlyOnceItsSpansAreVisible() throws SQLException {
    // A settler in another process sees only the activity row: its time must not be earlier than
    // the spans' arrival, or a slow insert could be passed over. The clock looks at the table
    // each time the store reads it.
    Map<Instant, Long> visibleAt = new java.util.concurrent.ConcurrentHashMap<>();
    String count = "SELECT count() FROM spans WHERE TraceId = '" + trace(1) + "'";
    Clock probing =
        new Clock() {
          private Instant now = clock.instant();

          @Override
          public synchronized Instant instant() {
            now = now.plusSeconds(1); // every reading its own store time
            try {
              visibleAt.put(now, countIn(database, count));
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
            return now;
          }

          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }
        };
    try (ClickHouseSpanStore probed =
        ClickHouseSpanStore.open(
            withDatabase(serverUrl, database), credentials, Duration.ZERO, probing)) {
      probed.append(chain("p", trace(1), 0));
    }

    Instant spansStamped =
        Sql.instantOfMicros(
            countIn(database, "SELECT toUnixTimestamp64Micro(max(IngestedAt)) FROM spans"));
    Instant activityStamped =
        Sql.instantOfMicros(
            countIn(
                database, "SELECT toUnixTimestamp64Micro(max(IngestedAt)) FROM chain_activity"));
    assertThat(visibleAt.get(spansStamped)).isZero();
    assertThat(visibleAt.get(activityStamped)).isEqualTo(5);
    assertThat(activityStamped).isAfter(spansStamped);
  }

  @Test
  void jdbcEscapeSyntaxInValues_isStoredAsData() {
    AgentSpan s =
        span("esc", null).trace(trace(6)).project("p").build().toBuilder()
            .name("{fn ucase('x')} {d '2024-01-01'} {ts '2024-01-01 00:00:00'} ? :x")
            .attributes(Map.of("q", "it's {fn now()}", "nl", "a\nb\tc\u0000"))
            .build();

    store.append(List.of(s));

    assertThat(store.chainSpans("p", trace(6))).containsExactly(s);
  }

  @Test
  void theBinaryInsert_keepsEveryColumnExact_unicodeLargeCostsEventsAndLinks() {
    AgentSpan base = span("bin", null).trace(trace(7)).project("p").build();
    AgentSpan s =
        base.toBuilder()
            .name("résumé ✓ 日本語 \uD83D\uDE00")
            .attributes(Map.of("ключ", "значение", "empty", "", "long", "x".repeat(70_000)))
            .resourceAttributes(Map.of("service.name", "svc-ü"))
            .cost(
                new io.agentledger.core.span.Cost(
                    new java.math.BigDecimal("999999999.123456789012"),
                    io.agentledger.core.span.CostSource.COMPUTED,
                    "gpt-4o",
                    "2026-11",
                    "détail"))
            .events(
                List.of(
                    new io.agentledger.core.span.SpanEvent(
                        base.startEpochNanos() + 1, "ev", Map.of("k", "v")),
                    new io.agentledger.core.span.SpanEvent(
                        base.startEpochNanos() + 2, "ev2", Map.of())))
            .links(
                List.of(
                    new io.agentledger.core.span.SpanLink(trace(8), "00f067aa0ba902b7", Map.of())))
            .build();
    AgentSpan unknownCost =
        span("bin2", s.spanId()).trace(trace(7)).project("p").build().toBuilder()
            .cost(io.agentledger.core.span.Cost.unknown("no price"))
            .build();

    store.append(List.of(s, unknownCost));

    assertThat(store.chainSpans("p", trace(7))).containsExactlyInAnyOrder(s, unknownCost);
  }

  @Test
  void reopening_keepsEverySpan_staysIdempotent_andDoesNotMigrateAgain() throws SQLException {
    List<AgentSpan> spans = chain("p", trace(1), 0);
    store.append(spans);
    store.close();

    store = reopen(clock, Duration.ZERO);

    assertThat(store.chainSpans("p", trace(1))).hasSize(5);
    assertThat(store.append(spans)).isZero();
    assertThat(countIn(database, "SELECT count() FROM schema_migrations FINAL"))
        .isEqualTo(Migrations.FILES.size());
  }

  @Test
  void theRetentionTtl_isAppliedAndRemoved() throws SQLException {
    store.close();
    store = reopen(clock, Duration.ofDays(3650));
    assertThat(createQuery("spans"))
        .contains("TTL toDateTime(Timestamp) + toIntervalSecond(315360000)");
    assertThat(createQuery("chains")).contains("TTL toDateTime(EndTime)");

    store.close();
    store = reopen(clock, Duration.ZERO);
    assertThat(createQuery("spans")).doesNotContain("TTL toDateTime");
  }

  @Test
  void chainListing_pagesByCostWithExactDecimals() {
    for (int i = 0; i < 5; i++) {
      store.append(chain("p", trace(i), i * 1000L));
    }
    settle("p", traces(0, 5));
    ChainQuery byCost =
        new ChainQuery(
            DAY, "", "", "", "", Optional.empty(), ChainQuery.Order.COST, 2, Optional.empty());

    List<String> seen = new ArrayList<>();
    var page = store.chains("p", byCost);
    while (true) {
      page.items().forEach(c -> seen.add(c.traceId()));
      if (page.nextCursor().isEmpty()) {
        break;
      }
      page = store.chains("p", byCost.withCursor(page.nextCursor().get()));
    }
    // Equal costs: ordered by trace id, newest id first.
    assertThat(seen).containsExactly(trace(4), trace(3), trace(2), trace(1), trace(0));
  }

  // --- helpers ------------------------------------------------------------------------------

  private String createQuery(String table) throws SQLException {
    try (Connection c = DriverManager.getConnection(serverUrl, credentials);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT create_table_query FROM system.tables WHERE database = '"
                    + database
                    + "' AND name = '"
                    + table
                    + "'")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  private static long countIn(String db, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(withDatabase(serverUrl, db), credentials);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void executeIn(String db, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(withDatabase(serverUrl, db), credentials);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(serverUrl, credentials);
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static final Pattern URL =
      Pattern.compile("^(jdbc:(?:clickhouse|ch)(?::[a-z]+)?://[^/?]+)(/[^?]*)?(\\?.*)?$");

  /** The server URL with its database replaced. */
  static String withDatabase(String url, String database) {
    Matcher m = URL.matcher(url);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a ClickHouse JDBC URL: " + url);
    }
    return m.group(1) + "/" + database + (m.group(3) == null ? "" : m.group(3));
  }

  private static void putIfSet(Properties p, String key, String value) {
    if (value != null && !value.isBlank()) {
      p.setProperty(key, value);
    }
  }
}

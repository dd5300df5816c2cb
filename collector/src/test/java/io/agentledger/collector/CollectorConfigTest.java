package io.agentledger.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentledger.core.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CollectorConfigTest {

  @Test
  void defaults_areTheDeclaredOnes() {
    assertThat(CollectorConfig.defaults())
        .isEqualTo(
            new CollectorConfig(
                16L << 20,
                64L << 20,
                256L << 20,
                50_000,
                Duration.ofSeconds(10),
                20_000,
                Duration.ofMillis(200),
                2,
                "agentledger.spans.otlp",
                "agentledger.spans.dlq",
                4,
                "agentledger-collector",
                2_000,
                Duration.ofMillis(100),
                Duration.ofMillis(100),
                Duration.ofSeconds(5),
                Duration.ofSeconds(45)));
  }

  @Test
  void everyKnob_isASetting() {
    CollectorConfig c =
        CollectorConfig.from(
            Map.ofEntries(
                Map.entry("AGENTLEDGER_MAX_BODY_BYTES", "1MiB"),
                Map.entry("AGENTLEDGER_MAX_DECOMPRESSED_BYTES", "4MiB"),
                Map.entry("AGENTLEDGER_MAX_IN_FLIGHT_BYTES", "1GiB"),
                Map.entry("AGENTLEDGER_MAX_LAG_SPANS", "0"),
                Map.entry("AGENTLEDGER_ACK_TIMEOUT", "3s"),
                Map.entry("AGENTLEDGER_BATCH_SPANS", "500"),
                Map.entry("AGENTLEDGER_BATCH_LINGER", "1s"),
                Map.entry("AGENTLEDGER_CONSUMERS", "8"),
                Map.entry("AGENTLEDGER_SPANS_TOPIC", "acme.spans"),
                Map.entry("AGENTLEDGER_DLQ_TOPIC", "acme.spans.dlq"),
                Map.entry("AGENTLEDGER_SPAN_PARTITIONS", "12"),
                Map.entry("AGENTLEDGER_CONSUMER_GROUP", "acme-collector"),
                Map.entry("AGENTLEDGER_MAX_POLL_RECORDS", "50"),
                Map.entry("AGENTLEDGER_POLL_TIMEOUT", "250ms"),
                Map.entry("AGENTLEDGER_STORE_RETRY_BACKOFF", "1s"),
                Map.entry("AGENTLEDGER_STORE_RETRY_BACKOFF_MAX", "1m"),
                Map.entry("AGENTLEDGER_CONSUMER_SESSION_TIMEOUT", "10s")));
    assertThat(c)
        .isEqualTo(
            new CollectorConfig(
                1L << 20,
                4L << 20,
                1L << 30,
                0,
                Duration.ofSeconds(3),
                500,
                Duration.ofSeconds(1),
                8,
                "acme.spans",
                "acme.spans.dlq",
                12,
                "acme-collector",
                50,
                Duration.ofMillis(250),
                Duration.ofSeconds(1),
                Duration.ofMinutes(1),
                Duration.ofSeconds(10)));
    assertThat(CollectorConfig.SETTINGS.declared())
        .hasSize(CollectorConfig.class.getRecordComponents().length);
  }

  @Test
  void theDecompressedLimit_isNeverBelowTheBodyLimit() {
    CollectorConfig c = CollectorConfig.from(Map.of("AGENTLEDGER_MAX_BODY_BYTES", "100MiB"));
    assertThat(c.maxDecompressedBytes()).isEqualTo(100L << 20);
  }

  @Test
  void invalidValuesAndInconsistentOnes_areReportedTogether() {
    assertThatThrownBy(
            () ->
                CollectorConfig.from(
                    Map.of(
                        "AGENTLEDGER_BATCH_SPANS", "0",
                        "AGENTLEDGER_MAX_IN_FLIGHT_BYTES", "32MiB",
                        "AGENTLEDGER_CONSUMERS", "6",
                        "AGENTLEDGER_POLL_TIMEOUT", "1s",
                        "AGENTLEDGER_STORE_RETRY_BACKOFF", "10s",
                        "AGENTLEDGER_DLQ_TOPIC", "agentledger.spans.otlp")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "AGENTLEDGER_BATCH_SPANS='0' (environment): must be between 1 and 1000000",
                        "AGENTLEDGER_MAX_IN_FLIGHT_BYTES=33554432 is below the largest"
                            + " decompressed body (67108864): such a request could never be"
                            + " accepted",
                        "AGENTLEDGER_CONSUMERS=6 exceeds AGENTLEDGER_SPAN_PARTITIONS=4: the extra"
                            + " consumers would sit idle",
                        "AGENTLEDGER_POLL_TIMEOUT=1s exceeds AGENTLEDGER_BATCH_LINGER=200ms: a batch"
                            + " could wait longer than its linger",
                        "AGENTLEDGER_STORE_RETRY_BACKOFF=10s exceeds"
                            + " AGENTLEDGER_STORE_RETRY_BACKOFF_MAX=5s",
                        "AGENTLEDGER_DLQ_TOPIC must differ from AGENTLEDGER_SPANS_TOPIC (both"
                            + " 'agentledger.spans.otlp'): undecodable records would come back"
                            + " forever"));
  }
}

package io.agentledger.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.agentledger.core.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The alert sinks' settings: checked at start with the rest, secrets never shown. */
class AlertConfigTest {

  @Test
  void invalidSinkUrls_areReportedWithTheOtherErrors_andSecretsAreMasked() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                StandaloneConfig.from(
                    Map.of(
                        "AGENTLEDGER_ALERT_SLACK_URL",
                            "ftp://hooks.slack.com/services/T0/B0/TOKEN42",
                        "AGENTLEDGER_ALERTMANAGER_URL", "http:///no-host",
                        "AGENTLEDGER_ALERT_WEBHOOK_URL", "not a url at all",
                        "AGENTLEDGER_ALERT_RETRY_INITIAL", "10m",
                        "AGENTLEDGER_OTLP_PORT", "x")));
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).startsWith("AGENTLEDGER_ALERT_SLACK_URL=****"))
        .anySatisfy(p -> assertThat(p).startsWith("AGENTLEDGER_ALERTMANAGER_URL").contains("host"))
        .anySatisfy(p -> assertThat(p).startsWith("AGENTLEDGER_ALERT_WEBHOOK_URL"))
        .anySatisfy(p -> assertThat(p).startsWith("AGENTLEDGER_ALERT_RETRY_MAX"))
        .anySatisfy(p -> assertThat(p).startsWith("AGENTLEDGER_OTLP_PORT"));
    assertThat(e.getMessage()).doesNotContain("TOKEN42");
  }

  @Test
  void configuredSinks_areShownAsSchemeHostAndPortOnly() {
    StandaloneConfig config =
        StandaloneConfig.from(
            Map.of(
                "AGENTLEDGER_ALERT_SLACK_URL", "https://hooks.slack.com/services/T0/B0/TOKEN42",
                "AGENTLEDGER_ALERT_WEBHOOK_URL", "https://user:pw@hooks.example.com:8443/x?k=v",
                "AGENTLEDGER_ALERT_WEBHOOK_SECRET", "hmac-secret-42",
                "AGENTLEDGER_ALERTMANAGER_URL", "http://alertmanager:9093"));
    assertThat(config.notifications().sinks(java.time.Clock.systemUTC()))
        .extracting(s -> s.name() + "=" + s.target())
        .containsExactly(
            "webhook=https://hooks.example.com:8443",
            "slack=https://hooks.slack.com",
            "alertmanager=http://alertmanager:9093");
    assertThat(config.toString())
        .contains("slack=https://hooks.slack.com")
        .doesNotContain("TOKEN42")
        .doesNotContain("hmac-secret-42")
        .doesNotContain("pw@")
        .doesNotContain("k=v");
  }
}

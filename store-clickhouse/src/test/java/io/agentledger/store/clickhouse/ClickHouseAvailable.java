package io.agentledger.store.clickhouse;

import io.agentledger.clickhouse.embedded.LocalClickHouse;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs ClickHouse tests against {@code AGENTLEDGER_CLICKHOUSE_URL} when it is set, else in a
 * Testcontainers ClickHouse when a Docker engine is there, else in a {@link LocalClickHouse}
 * (clickhouse-local from libchdb, installed on first use), and otherwise reports them skipped with
 * the reason. (Testcontainers' own {@code disabledWithoutDocker} would also skip them when a server
 * URL is given.)
 */
final class ClickHouseAvailable implements ExecutionCondition {

  static final String URL_ENV = "AGENTLEDGER_CLICKHOUSE_URL";

  static String serverUrl() {
    String url = System.getenv(URL_ENV);
    return url == null || url.isBlank() ? null : url.strip();
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (serverUrl() != null) {
      return ConditionEvaluationResult.enabled("ClickHouse at " + URL_ENV);
    }
    if (DockerClientFactory.instance().isDockerAvailable()) {
      return ConditionEvaluationResult.enabled("ClickHouse in a Testcontainers container");
    }
    Optional<String> noLocal = LocalClickHouse.unavailableReason();
    if (noLocal.isEmpty()) {
      return ConditionEvaluationResult.enabled("ClickHouse from libchdb, no Docker engine");
    }
    String reason =
        "No ClickHouse to test against: no Docker engine for Testcontainers, "
            + URL_ENV
            + " is not set, and "
            + noLocal.get();
    System.err.println("SKIPPED " + context.getDisplayName() + ": " + reason);
    return ConditionEvaluationResult.disabled(reason);
  }
}

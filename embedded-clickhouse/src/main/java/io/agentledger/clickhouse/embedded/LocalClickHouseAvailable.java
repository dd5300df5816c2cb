package io.agentledger.clickhouse.embedded;

import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 condition: runs a test class where a {@link LocalClickHouse} can run (installing libchdb
 * on first use) and otherwise reports it skipped with the reason, also printed on standard error.
 *
 * <pre>{@code @ExtendWith(LocalClickHouseAvailable.class)}</pre>
 */
public final class LocalClickHouseAvailable implements ExecutionCondition {

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<String> reason = LocalClickHouse.unavailableReason();
    if (reason.isEmpty()) {
      return ConditionEvaluationResult.enabled("ClickHouse from libchdb");
    }
    System.err.println("SKIPPED " + context.getDisplayName() + ": " + reason.get());
    return ConditionEvaluationResult.disabled(reason.get());
  }
}

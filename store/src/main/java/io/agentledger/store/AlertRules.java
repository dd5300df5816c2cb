package io.agentledger.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The vocabulary of {@link AlertRule}: kinds, scopes, severities, limits, and what they measure.
 */
public final class AlertRules {

  /** Cost in the window above {@code threshold} USD. */
  public static final String BUDGET = "budget";

  /** Cost per hour, averaged over the window, above {@code threshold} USD. */
  public static final String BURN_RATE = "burn_rate";

  /** Share of billable calls without a known cost above {@code threshold} (0 to 1). */
  public static final String UNPRICED_SHARE = "unpriced_share";

  /** The metric of a budget: USD in the window. */
  public static final String METRIC_BUDGET = "cost_usd";

  /** The metric of a burn rate: USD per hour. */
  public static final String METRIC_BURN_RATE = "cost_usd_per_hour";

  /** The metric of an unpriced share: a fraction of calls. */
  public static final String METRIC_UNPRICED = "unpriced_share";

  /** The kinds a rule can have. */
  public static final List<String> KINDS = List.of(BUDGET, BURN_RATE, UNPRICED_SHARE);

  /** One total for the whole project. */
  public static final String SCOPE_PROJECT = "project";

  /** The scopes a rule can have: the project, or one alert per agent, user or model. */
  public static final List<String> SCOPES = List.of(SCOPE_PROJECT, "agent", "userId", "model");

  /** The severities a rule can have. */
  public static final List<String> SEVERITIES = List.of("info", "warning", "critical");

  /** The shortest window a rule may look back over. */
  public static final Duration MIN_WINDOW = Duration.ofMinutes(1);

  /** The longest window a rule may look back over. */
  public static final Duration MAX_WINDOW = Duration.ofDays(31);

  private AlertRules() {}

  /**
   * The cost dimension a scope groups by.
   *
   * @param scope one of {@link #SCOPES}
   * @return the dimension, or empty for {@link #SCOPE_PROJECT} (one total)
   */
  public static Optional<CostDimension> dimension(String scope) {
    return scope.equals(SCOPE_PROJECT) ? Optional.empty() : CostDimension.fromApiName(scope);
  }

  /**
   * The metric a kind of rule measures.
   *
   * @param kind one of {@link #KINDS}
   * @return {@link #METRIC_BUDGET}, {@link #METRIC_BURN_RATE} or {@link #METRIC_UNPRICED}
   */
  public static String metric(String kind) {
    return switch (kind) {
      case BURN_RATE -> METRIC_BURN_RATE;
      case UNPRICED_SHARE -> METRIC_UNPRICED;
      default -> METRIC_BUDGET;
    };
  }
}

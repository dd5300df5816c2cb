package io.agentledger.api.alerts;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /alerts/rules} and {@code PUT /alerts/rules/{id}} (documented in the
 * OpenAPI document; parsed field by field by {@link AlertRuleParser}).
 *
 * @param name what people see, 1 to 200 characters; required
 * @param kind {@code budget}, {@code burn_rate} or {@code unpriced_share}; required
 * @param scope {@code project} (default), {@code agent}, {@code userId} or {@code model}: one alert
 *     per value
 * @param match only this value of the scope (e.g. one agent); absent for every value
 * @param window the rolling window, {@code 30m}, {@code 24h}, {@code 1d} or ISO-8601 ({@code
 *     PT24H}), 1 minute to 31 days; required
 * @param threshold USD for budget, USD per hour for burn_rate, a share in (0, 1] for
 *     unpriced_share; above it fires; required
 * @param minCalls fewest billable calls in the window before the rule judges (default 0)
 * @param severity {@code info}, {@code warning} (default) or {@code critical}
 * @param enabled whether the rule is evaluated (default true)
 */
public record AlertRuleRequest(
    String name,
    String kind,
    @Nullable String scope,
    @Nullable String match,
    String window,
    double threshold,
    @Nullable Long minCalls,
    @Nullable String severity,
    @Nullable Boolean enabled) {}

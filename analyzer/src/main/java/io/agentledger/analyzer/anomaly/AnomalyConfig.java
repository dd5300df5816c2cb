package io.agentledger.analyzer.anomaly;

import io.agentledger.core.config.Setting;
import io.agentledger.core.config.Settings;
import java.time.Duration;
import java.util.List;

/** The anomaly detection cycle's declared settings ({@code AGENTLEDGER_ANOMALY_*}). */
public final class AnomalyConfig {

  private static final DetectionSettings DEFAULTS = DetectionSettings.defaults();

  static final Setting<Duration> INTERVAL =
      Settings.duration(
          "AGENTLEDGER_ANOMALY_INTERVAL",
          "1m",
          Duration.ofSeconds(1),
          "how often the anomaly detection cycle runs");
  static final Setting<Duration> WINDOW =
      Settings.duration(
          "AGENTLEDGER_ANOMALY_BASELINE_WINDOW",
          "7d",
          Duration.ofHours(1),
          "runs and hours compared against: the baseline window (3 weeks or more: weekly seasons)");
  static final Setting<Integer> MIN_BASELINE =
      Settings.integer(
          "AGENTLEDGER_ANOMALY_MIN_BASELINE",
          DEFAULTS.minBaseline(),
          3,
          1_000_000,
          "fewest baseline runs a series needs before its runs are judged");
  static final Setting<Double> THRESHOLD =
      decimal(
          "AGENTLEDGER_ANOMALY_THRESHOLD",
          "3.5",
          1,
          100,
          "robust z-score (median/MAD) above which a value is anomalous; twice it is critical");
  static final Setting<Double> RELATIVE_FLOOR =
      decimal(
          "AGENTLEDGER_ANOMALY_MIN_CHANGE",
          "0.25",
          0,
          100,
          "smallest relative change reported (0.25 = 25%; hourly rates use at least 0.5)");
  static final Setting<Double> COST_FLOOR =
      decimal(
          "AGENTLEDGER_ANOMALY_MIN_COST_USD",
          "0.01",
          0,
          1e9,
          "smallest change of a run's cost reported, in USD (an hour's spend: 10 times it)");
  static final Setting<Integer> TOKEN_FLOOR =
      Settings.integer(
          "AGENTLEDGER_ANOMALY_MIN_TOKENS",
          (int) DEFAULTS.tokenFloor(),
          0,
          Integer.MAX_VALUE,
          "smallest change of a run's input or output tokens reported");
  static final Setting<Duration> DURATION_FLOOR =
      Settings.duration(
          "AGENTLEDGER_ANOMALY_MIN_DURATION",
          "2s",
          Duration.ZERO,
          "smallest change of a run's duration reported");
  static final Setting<Duration> COOLDOWN =
      Settings.duration(
          "AGENTLEDGER_ANOMALY_COOLDOWN",
          "1h",
          Duration.ZERO,
          "an anomaly recurring this soon after it resolved reopens instead of firing anew");
  static final Setting<Duration> RESOLVE_AFTER =
      Settings.duration(
          "AGENTLEDGER_ANOMALY_RESOLVE_AFTER",
          "1h",
          Duration.ofSeconds(1),
          "an anomaly not observed for this long resolves even without clean runs");

  /** In the order of the README's configuration table. */
  public static final Settings SETTINGS =
      Settings.of(
          List.of(
              INTERVAL,
              WINDOW,
              MIN_BASELINE,
              THRESHOLD,
              RELATIVE_FLOOR,
              COST_FLOOR,
              TOKEN_FLOOR,
              DURATION_FLOOR,
              COOLDOWN,
              RESOLVE_AFTER));

  private AnomalyConfig() {}

  /**
   * The detection settings from loaded values.
   *
   * @param v values loaded with {@link #SETTINGS} (or settings that include them)
   * @return the settings
   */
  public static DetectionSettings from(Settings.Values v) {
    return new DetectionSettings(
        v.get(INTERVAL),
        v.get(WINDOW),
        v.get(MIN_BASELINE),
        v.get(THRESHOLD),
        v.get(RELATIVE_FLOOR),
        v.get(COST_FLOOR),
        v.get(TOKEN_FLOOR),
        v.get(DURATION_FLOOR).toMillis(),
        v.get(COOLDOWN),
        v.get(RESOLVE_AFTER));
  }

  private static Setting<Double> decimal(
      String name, String defaultValue, double min, double max, String doc) {
    return new Setting<>(
        name,
        raw -> {
          double value;
          try {
            value = Double.parseDouble(raw.trim());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number");
          }
          if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
          }
          return value;
        },
        defaultValue,
        false,
        doc);
  }
}

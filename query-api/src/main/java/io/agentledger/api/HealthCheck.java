package io.agentledger.api;

import java.util.Optional;

/** One component's health, reported at {@code GET /health}. */
public interface HealthCheck {

  /** A short, stable name ({@code kafka}, {@code store}). */
  String name();

  /** Empty when healthy, else what is wrong. Must answer quickly and never throw. */
  Optional<String> problem();

  /**
   * Whether a problem makes the service unavailable ({@code /health} answers 503), or only degraded
   * (200 with status {@code degraded}): the component works around it by itself, e.g. consumers
   * retrying a store outage.
   */
  default boolean critical() {
    return true;
  }

  /** A check whose problems degrade the service without making it unavailable. */
  static HealthCheck degrading(String name, java.util.function.Supplier<Optional<String>> check) {
    HealthCheck inner = of(name, check);
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Optional<String> problem() {
        return inner.problem();
      }

      @Override
      public boolean critical() {
        return false;
      }
    };
  }

  static HealthCheck of(String name, java.util.function.Supplier<Optional<String>> check) {
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Optional<String> problem() {
        try {
          return check.get();
        } catch (RuntimeException e) {
          return Optional.of(e.toString());
        }
      }
    };
  }
}

package io.agentledger.api;

import java.util.Optional;

/** One component's health, reported at {@code GET /health}. */
public interface HealthCheck {

  /** A short, stable name ({@code kafka}, {@code store}). */
  String name();

  /** Empty when healthy, else what is wrong. Must answer quickly and never throw. */
  Optional<String> problem();

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

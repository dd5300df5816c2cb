package io.agentledger.core.testing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Timestamps for tests. */
public final class Times {
  private Times() {}

  /** Noon UTC of the given date, in epoch nanoseconds. */
  public static long noonUtc(String isoDate) {
    Instant instant = LocalDate.parse(isoDate).atTime(12, 0).toInstant(ZoneOffset.UTC);
    return instant.getEpochSecond() * 1_000_000_000L;
  }
}

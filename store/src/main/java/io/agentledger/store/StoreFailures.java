package io.agentledger.store;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Objects;
import java.util.Set;

/**
 * How every adapter turns an error into a {@link StoreException}: retryable when trying again may
 * help (the database was unreachable, busy, locked, out of memory, or the network failed), not
 * retryable when it never will (the statement, the data or the stored JSON was wrong, access was
 * denied). The adapter's driver knows best, so its rule is asked first; then JDBC's exception
 * classes and SQLState classes decide; an error nobody recognizes is not retryable, so a bug stops
 * the caller instead of being retried forever.
 */
public final class StoreFailures {

  /** What one error says, as far as a rule can tell. */
  public enum Verdict {
    /** Trying again may help. */
    RETRYABLE,
    /** Trying again never helps. */
    PERMANENT,
    /** The rule does not recognize the error; the next rule decides. */
    UNKNOWN
  }

  /** What an adapter knows about its driver's errors. */
  @FunctionalInterface
  public interface DriverRule {
    /**
     * Classifies one error of a cause chain (not its causes: each is asked about separately).
     *
     * @param error the error
     * @return its verdict, or {@link Verdict#UNKNOWN} when the driver does not recognize it
     */
    Verdict classify(Throwable error);
  }

  /** SQLState classes (ISO/IEC 9075, first two characters) where trying again may help. */
  private static final Set<String> RETRYABLE_STATES = Set.of("08", "40", "53", "57", "58");

  /** SQLState classes of wrong statements or data, access rules, unsupported features. */
  private static final Set<String> PERMANENT_STATES =
      Set.of("0A", "21", "22", "23", "28", "42", "44");

  private final DriverRule driver;

  /**
   * Failures classified by the adapter's driver rule first, then by the shared rules.
   *
   * @param driver the adapter's rule for its driver's errors
   */
  public StoreFailures(DriverRule driver) {
    this.driver = Objects.requireNonNull(driver, "driver");
  }

  /**
   * A store exception for a failed step, classified. A store exception passes unchanged.
   *
   * @param what the step that failed, e.g. {@code "listing agents"}
   * @param error what it failed with
   * @return the store exception, retryable when {@link #retryable} says so
   */
  public StoreException wrap(String what, Throwable error) {
    if (error instanceof StoreException se) {
      return se;
    }
    return new StoreException(what + " failed: " + error.getMessage(), retryable(error), error);
  }

  /**
   * Whether trying again may help. The driver's rule is asked about every error in the cause chain
   * first (a wrapper's generic SQLState must not overrule the server's own verdict), then the
   * shared rules; the first error a rule recognizes decides.
   *
   * @param error the error, with its cause chain
   * @return true when trying again may help; false when it never will or nobody recognizes it
   */
  public boolean retryable(Throwable error) {
    Verdict v = firstKnown(error, driver);
    if (v == Verdict.UNKNOWN) {
      v = firstKnown(error, StoreFailures::generic);
    }
    return v == Verdict.RETRYABLE;
  }

  private static Verdict firstKnown(Throwable error, DriverRule rule) {
    int depth = 0;
    for (Throwable t = error; t != null && depth < 32; t = t.getCause(), depth++) {
      Verdict v = rule.classify(t);
      if (v != Verdict.UNKNOWN) {
        return v;
      }
    }
    return Verdict.UNKNOWN;
  }

  /**
   * A stored or given value that cannot be (de)serialized: trying again never helps.
   *
   * @param what the value that failed, for the message
   * @param error the (de)serialization error
   * @return a non-retryable store exception
   */
  public static StoreException badJson(String what, Throwable error) {
    return new StoreException(what + ": " + error.getMessage(), false, error);
  }

  static Verdict generic(Throwable t) {
    if (t instanceof StoreException se) {
      return se.retryable() ? Verdict.RETRYABLE : Verdict.PERMANENT;
    }
    if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
      return Verdict.RETRYABLE;
    }
    if (t instanceof SQLNonTransientException) {
      return Verdict.PERMANENT;
    }
    if (t instanceof SQLException sql) {
      String state = sql.getSQLState();
      if (state != null && state.length() >= 2) {
        String sqlClass = state.substring(0, 2);
        if (RETRYABLE_STATES.contains(sqlClass)) {
          return Verdict.RETRYABLE;
        }
        if (PERMANENT_STATES.contains(sqlClass)) {
          return Verdict.PERMANENT;
        }
      }
      return Verdict.UNKNOWN;
    }
    if (t instanceof IOException) {
      return Verdict.RETRYABLE;
    }
    return Verdict.UNKNOWN;
  }
}

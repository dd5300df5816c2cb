package io.agentledger.store.duckdb;

import io.agentledger.store.StoreFailures.Verdict;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * What DuckDB's errors mean for trying again. The driver throws plain {@link SQLException}s whose
 * message starts with DuckDB's error type ({@code "Constraint Error: ..."}), so the type decides:
 * I/O (including a file locked by another process), connection, interrupt, out-of-memory and
 * transaction-conflict errors may pass; wrong statements or data (constraint, conversion, invalid
 * input or decimal, out of range, catalog, binder, parser...) never will. Unknown types are left to
 * the shared rules.
 */
final class DuckDbErrors {

  private static final List<String> RETRYABLE =
      List.of(
          "io error",
          "connection error",
          "network error",
          "http error",
          "interrupt error",
          "out of memory error",
          "transactioncontext error",
          "transaction error",
          "could not set lock on file",
          "conflict on");

  private static final List<String> PERMANENT =
      List.of(
          "constraint error",
          "conversion error",
          "invalid input error",
          "invalid decimal",
          "out of range error",
          "decimal error",
          "mismatch type error",
          "invalid type error",
          "divide by zero error",
          "catalog error",
          "binder error",
          "parser error",
          "syntax error",
          "not implemented error",
          "serialization error",
          "dependency error",
          "permission error",
          "invalid configuration error",
          "fatal error",
          "internal error");

  private DuckDbErrors() {}

  static Verdict classify(Throwable t) {
    if (!(t instanceof SQLException) || t.getMessage() == null) {
      return Verdict.UNKNOWN;
    }
    String message = t.getMessage().toLowerCase(Locale.ROOT);
    // The first error type the message names decides; a message may quote other text after it.
    int first = Integer.MAX_VALUE;
    Verdict verdict = Verdict.UNKNOWN;
    for (String p : PERMANENT) {
      int at = message.indexOf(p);
      if (at >= 0 && at < first) {
        first = at;
        verdict = Verdict.PERMANENT;
      }
    }
    for (String r : RETRYABLE) {
      int at = message.indexOf(r);
      if (at >= 0 && at < first) {
        first = at;
        verdict = Verdict.RETRYABLE;
      }
    }
    return verdict;
  }
}

package io.agentledger.instrumentation;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the library does instead of throwing into agent code: a wrong call (a negative token count,
 * an approval answered twice, a null name) or a failure of its own (pricing) is logged once per
 * kind, with the caller's stack, counted, and ignored. The agent keeps running; only its trace is
 * poorer.
 */
final class Misuse {

  private static final Logger LOG = LoggerFactory.getLogger(AgentLedger.class);

  /** Kinds already logged; bounded so a caller inventing messages cannot grow it forever. */
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  private static final int MAX_KINDS = 1_000;
  private static final AtomicLong COUNT = new AtomicLong();

  private Misuse() {}

  /**
   * A wrong call by the agent's code: logged once per {@code kind}, counted, and ignored.
   *
   * @param kind what went wrong, without values that vary per call (it deduplicates the log)
   * @param detail the values of this occurrence
   */
  static void report(String kind, String detail) {
    COUNT.incrementAndGet();
    if (LOGGED.size() < MAX_KINDS && LOGGED.add(kind)) {
      LOG.warn(
          "AgentLedger: {} ({}); ignored, the agent goes on. Logged once; later occurrences are"
              + " only counted (AgentLedger.problems())",
          kind,
          detail,
          new IllegalArgumentException("called from here"));
    }
  }

  /** A failure inside the library (pricing, a callback): logged once per kind, counted. */
  static void failed(String kind, Throwable error) {
    COUNT.incrementAndGet();
    if (LOGGED.size() < MAX_KINDS && LOGGED.add(kind)) {
      LOG.warn(
          "AgentLedger: {} failed: {}; the agent goes on. Logged once; later occurrences are only"
              + " counted (AgentLedger.problems())",
          kind,
          error.toString(),
          error);
    }
  }

  /** How many wrong calls and internal failures were ignored since the process started. */
  static long count() {
    return COUNT.get();
  }
}

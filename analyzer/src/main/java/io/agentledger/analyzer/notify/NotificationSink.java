package io.agentledger.analyzer.notify;

import io.agentledger.store.Notification;

/** Somewhere notifications are delivered to. Implementations never throw from {@link #send}. */
public interface NotificationSink {

  /** The sink's name, which keys its delivery state in the store: {@code webhook}, ... */
  String name();

  /** Where it delivers, safe to log (no secret, no path or query). */
  String target();

  /** Delivers one notification. */
  Result send(Notification notification);

  /**
   * Re-sends the findings firing now, for receivers that forget alerts not repeated (Alertmanager
   * resolves an alert whose {@code endsAt} passes). Most sinks need not.
   */
  default Result remind(java.util.List<Notification> firing) {
    return Result.delivered();
  }

  /** The longest one {@link #send} may take. */
  default java.time.Duration sendTimeout() {
    return java.time.Duration.ofSeconds(30);
  }

  /** How often {@link #remind} must run; zero for never. */
  default java.time.Duration remindInterval() {
    return java.time.Duration.ZERO;
  }

  /**
   * What an attempt came to.
   *
   * @param outcome delivered, retry later, or refused for good
   * @param error what went wrong; empty when delivered
   */
  record Result(Outcome outcome, String error) {

    /** The receiver accepted it. */
    public static Result delivered() {
      return new Result(Outcome.DELIVERED, "");
    }

    /** It may succeed later: a 5xx, 408, 429, a timeout, a refused connection. */
    public static Result retry(String error) {
      return new Result(Outcome.RETRY, error);
    }

    /** It never will: the receiver rejected the request itself (another 4xx). */
    public static Result refused(String error) {
      return new Result(Outcome.REFUSED, error);
    }
  }

  /** See {@link Result}. */
  enum Outcome {
    DELIVERED,
    RETRY,
    REFUSED
  }
}

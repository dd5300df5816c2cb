package io.agentledger.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Where the delivery of one notification to one sink stands.
 *
 * @param sink the sink's name, e.g. {@code webhook}
 * @param project the notification's project
 * @param notificationId the notification's id
 * @param attempts attempts made so far
 * @param nextAttemptAt not to be tried before this time
 * @param outcome {@code pending}, {@code delivered} or {@code dropped} (given up on)
 * @param lastError the last attempt's error; empty when none failed
 */
public record Delivery(
    String sink,
    String project,
    String notificationId,
    int attempts,
    Instant nextAttemptAt,
    String outcome,
    String lastError) {

  /** Not delivered yet. */
  public static final String PENDING = "pending";

  /** The sink accepted it. */
  public static final String DELIVERED = "delivered";

  /** Given up on: the sink refused it for good, or it kept failing past the retry limit. */
  public static final String DROPPED = "dropped";

  /**
   * Checks that nothing is null.
   *
   * @param sink the sink's name
   * @param project the notification's project
   * @param notificationId the notification's id
   * @param attempts attempts made so far
   * @param nextAttemptAt not to be tried before this time
   * @param outcome {@code pending}, {@code delivered} or {@code dropped}
   * @param lastError the last attempt's error; empty when none failed
   */
  public Delivery {
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(notificationId, "notificationId");
    Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    Objects.requireNonNull(outcome, "outcome");
    lastError = lastError == null ? "" : lastError;
  }

  /**
   * A first attempt, due at once.
   *
   * @param sink the sink's name
   * @param notification the notification
   * @return a pending delivery with no attempts
   */
  public static Delivery first(String sink, Notification notification) {
    return new Delivery(
        sink, notification.project(), notification.id(), 0, notification.at(), PENDING, "");
  }
}

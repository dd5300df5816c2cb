package io.agentledger.store;

import java.time.Instant;
import java.util.List;

/**
 * The notification outbox: every transition of a finding, and its delivery state per sink, kept so
 * that a restart neither loses nor repeats a notification.
 */
public interface NotificationOutbox {

  /**
   * Stores notifications not stored yet (by project and id), each with a pending delivery to every
   * sink. A notification stored before is left as it is, deliveries included, so publishing a
   * transition again never repeats it.
   *
   * @param notifications the notifications
   * @param sinks the names of the sinks to deliver them to
   * @return how many notifications were new
   */
  int enqueueNotifications(List<Notification> notifications, List<String> sinks);

  /**
   * A sink's pending deliveries in the order the transitions happened (then by project and id), due
   * or not.
   *
   * @param sink the sink's name
   * @param limit the most to return
   * @return the oldest pending deliveries
   */
  List<PendingDelivery> pendingDeliveries(String sink, int limit);

  /**
   * Records a delivery attempt's outcome (replacing the previous state of that sink, project and
   * notification).
   *
   * @param delivery the new state
   */
  void saveDelivery(Delivery delivery);

  /**
   * Every project's findings that are firing now: the latest notification of each finding, when it
   * is a {@code firing} one (what an Alertmanager must be reminded of).
   *
   * @return the firing notifications, ordered by project and finding id
   */
  List<Notification> firingNotifications();

  /**
   * A project's notifications whose transition happened in the range, newest first (then by id).
   *
   * @param project the project (tenant)
   * @param range the time range
   * @return the notifications
   */
  List<Notification> notifications(String project, TimeRange range);

  /**
   * Deletes, with their deliveries, the notifications whose transition happened before {@code
   * before} and whose deliveries are all done (delivered or dropped), except each finding's latest
   * notification (a firing one is what {@link #firingNotifications} reminds sinks of).
   *
   * @param before delete what happened before this time
   * @return how many notifications were deleted
   */
  int deleteDoneNotifications(Instant before);
}

package io.agentledger.store;

/**
 * A notification a sink has yet to receive, with where its delivery stands.
 *
 * @param notification the notification
 * @param delivery its delivery to the sink
 */
public record PendingDelivery(Notification notification, Delivery delivery) {}

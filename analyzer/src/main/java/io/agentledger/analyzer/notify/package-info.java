/**
 * Delivering findings: every firing or resolved transition of a finding (an alert rule's alert, an
 * anomaly, a regression) is published through {@link io.agentledger.analyzer.notify.Notifications}
 * into the store's notification outbox, and one {@link io.agentledger.analyzer.notify.SinkWorker}
 * per configured sink delivers it — a JSON webhook signed with HMAC-SHA256, a Slack incoming
 * webhook, a Prometheus Alertmanager — with retries and back-off. Delivery state is kept per sink
 * and notification in the store, so a restart neither loses nor repeats one, and a failing sink
 * delays only itself.
 */
@NullMarked
package io.agentledger.analyzer.notify;

import org.jspecify.annotations.NullMarked;

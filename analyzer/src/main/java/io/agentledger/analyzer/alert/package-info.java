/**
 * Cost alerts users set ({@code /alerts/rules}): evaluated on a fixed cycle through the store's
 * cost aggregation, each rule once per value of its scope; a breach fires an alert, its end
 * resolves it, and each transition is published to the notification outbox.
 */
@NullMarked
package io.agentledger.analyzer.alert;

import org.jspecify.annotations.NullMarked;

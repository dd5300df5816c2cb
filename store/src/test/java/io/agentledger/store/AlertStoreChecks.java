package io.agentledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The {@link AlertStore} and {@link NotificationOutbox} part of the store contract, run by {@link
 * SpanStoreContract} (so both adapters run it) and kept apart so the contract file stays readable.
 */
final class AlertStoreChecks {

  private static final Instant T0 = SpanStoreContract.T0;

  private AlertStoreChecks() {}

  static AlertRule rule(String project, String id, Instant created, double threshold) {
    return new AlertRule(
        project,
        id,
        "more than $" + threshold + " per user per day",
        "budget",
        "userId",
        "",
        Duration.ofDays(1),
        threshold,
        0,
        "warning",
        true,
        created,
        created);
  }

  static void rulesRoundTrip_replace_delete_andStayInTheirProject(SpanStore store) {
    AlertRule a = rule("p", "r-a", T0, 50);
    AlertRule b = rule("p", "r-b", T0.plusSeconds(1), 10);
    AlertRule other = rule("q", "r-a", T0, 5);
    store.saveAlertRule(b);
    store.saveAlertRule(a);
    store.saveAlertRule(other);
    // oldest first
    assertThat(store.alertRules("p")).containsExactly(a, b);
    assertThat(store.alertRule("p", "r-a")).contains(a);
    assertThat(store.alertRule("q", "r-a")).contains(other);
    assertThat(store.alertRule("q", "r-b")).isEmpty();

    AlertRule changed =
        new AlertRule(
            "p",
            "r-a",
            "burn",
            "burn_rate",
            "agent",
            "planner",
            Duration.ofMinutes(90),
            2.5,
            3,
            "critical",
            false,
            T0,
            T0.plusSeconds(60));
    store.saveAlertRule(changed);
    assertThat(store.alertRules("p")).containsExactly(changed, b);
    assertThat(store.allAlertRules()).containsExactly(changed, b, other);

    assertThat(store.deleteAlertRule("p", "r-a")).isTrue();
    assertThat(store.deleteAlertRule("p", "r-a")).isFalse();
    assertThat(store.deleteAlertRule("p", "missing")).isFalse();
    assertThat(store.alertRules("p")).containsExactly(b);
    assertThat(store.alertRule("q", "r-a")).contains(other);

    // a deleted id can be used again
    store.saveAlertRule(a);
    assertThat(store.alertRules("p")).containsExactly(a, b);
  }

  static void alertStates_replaceByIdAndListFiringAcrossProjects(SpanStore store) {
    AlertState firing =
        new AlertState(
            "p",
            "alert-1",
            "r-a",
            Map.of("userId", "u-1"),
            "cost_usd",
            61.5,
            50,
            "warning",
            AlertState.FIRING,
            T0,
            T0.plusSeconds(60),
            "u-1 spent $61.50");
    AlertState otherProject =
        new AlertState(
            "q",
            "alert-1",
            "r-a",
            Map.of(),
            "cost_usd",
            6,
            5,
            "warning",
            AlertState.FIRING,
            T0,
            T0,
            "");
    store.saveAlertStates(List.of(firing, otherProject));
    assertThat(store.alertStates("p")).containsExactly(firing);
    assertThat(store.firingAlertStates()).containsExactly(firing, otherProject);

    AlertState resolved =
        new AlertState(
            "p",
            "alert-1",
            "r-a",
            Map.of("userId", "u-1"),
            "cost_usd",
            12,
            50,
            "warning",
            AlertState.RESOLVED,
            T0,
            T0.plusSeconds(120),
            "u-1 back under $50");
    store.saveAlertStates(List.of(resolved));
    assertThat(store.alertStates("p")).containsExactly(resolved);
    assertThat(store.firingAlertStates()).containsExactly(otherProject);
  }

  static Notification note(String project, String finding, String status, Instant at) {
    return new Notification(
        project,
        Notification.idOf(finding, status, at),
        finding,
        "alert",
        "budget",
        status,
        "warning",
        finding + " " + status,
        Map.of("userId", "u-1"),
        Map.of("observed", "61.5", "threshold", "50"),
        T0,
        at);
  }

  static void outbox_storesEachTransitionOnce_andKeepsDeliveryStatePerSink(SpanStore store) {
    Notification fired = note("p", "alert-1", AlertState.FIRING, T0);
    Notification resolved = note("p", "alert-1", AlertState.RESOLVED, T0.plusSeconds(300));
    Notification elsewhere = note("q", "alert-9", AlertState.FIRING, T0.plusSeconds(10));
    List<String> sinks = List.of("webhook", "slack");

    assertThat(store.enqueueNotifications(List.of(fired, elsewhere), sinks)).isEqualTo(2);
    // publishing the same transition again (a detector re-running after a crash) adds nothing
    assertThat(store.enqueueNotifications(List.of(fired), sinks)).isZero();
    assertThat(store.enqueueNotifications(List.of(resolved), sinks)).isEqualTo(1);

    List<PendingDelivery> webhook = store.pendingDeliveries("webhook", 10);
    // in the order the transitions happened, across projects
    assertThat(webhook)
        .extracting(PendingDelivery::notification)
        .containsExactly(fired, elsewhere, resolved);
    assertThat(webhook.get(0).delivery()).isEqualTo(Delivery.first("webhook", fired));
    assertThat(store.pendingDeliveries("webhook", 1)).hasSize(1);
    assertThat(store.pendingDeliveries("alertmanager", 10)).isEmpty();

    Delivery failed =
        new Delivery(
            "webhook", "p", fired.id(), 1, T0.plusSeconds(2), Delivery.PENDING, "HTTP 500");
    store.saveDelivery(failed);
    assertThat(store.pendingDeliveries("webhook", 10).get(0).delivery()).isEqualTo(failed);

    store.saveDelivery(
        new Delivery("webhook", "p", fired.id(), 2, T0.plusSeconds(4), Delivery.DELIVERED, ""));
    store.saveDelivery(
        new Delivery("webhook", "q", elsewhere.id(), 1, T0, Delivery.DROPPED, "HTTP 400"));
    assertThat(store.pendingDeliveries("webhook", 10))
        .extracting(PendingDelivery::notification)
        .containsExactly(resolved);
    // the other sink's queue is its own
    assertThat(store.pendingDeliveries("slack", 10)).hasSize(3);
    // a re-published transition does not reset a delivered one
    assertThat(store.enqueueNotifications(List.of(fired), sinks)).isZero();
    assertThat(store.pendingDeliveries("webhook", 10)).hasSize(1);

    TimeRange day = SpanStoreContract.DAY;
    assertThat(store.notifications("p", day)).containsExactly(resolved, fired);
    assertThat(store.notifications("q", day)).containsExactly(elsewhere);
  }

  static void firingNotifications_areEachFindingsLatestTransition_whenFiring(SpanStore store) {
    Notification aFired = note("p", "alert-a", AlertState.FIRING, T0);
    Notification aResolved = note("p", "alert-a", AlertState.RESOLVED, T0.plusSeconds(60));
    Notification bFired = note("p", "alert-b", AlertState.FIRING, T0.plusSeconds(30));
    Notification cResolved = note("q", "alert-c", AlertState.RESOLVED, T0.plusSeconds(5));
    Notification cFiredAgain = note("q", "alert-c", AlertState.FIRING, T0.plusSeconds(90));
    store.enqueueNotifications(List.of(aFired, bFired, cResolved), List.of());
    assertThat(store.firingNotifications()).containsExactly(aFired, bFired);
    store.enqueueNotifications(List.of(aResolved, cFiredAgain), List.of());
    assertThat(store.firingNotifications()).containsExactly(bFired, cFiredAgain);
  }

  static void deleteDoneNotifications_keepsPendingOnesAndEachFindingsLatest(SpanStore store) {
    Notification aFired = note("p", "alert-a", AlertState.FIRING, T0);
    Notification aResolved = note("p", "alert-a", AlertState.RESOLVED, T0.plusSeconds(60));
    Notification bFired = note("p", "alert-b", AlertState.FIRING, T0.plusSeconds(10));
    Notification bResolved = note("p", "alert-b", AlertState.RESOLVED, T0.plusSeconds(20));
    Notification cFired = note("q", "alert-c", AlertState.FIRING, T0.plusSeconds(5));
    Notification cResolved = note("q", "alert-c", AlertState.RESOLVED, T0.plusSeconds(30));
    Notification dFired = note("q", "alert-d", AlertState.FIRING, T0.plusSeconds(1));
    store.enqueueNotifications(
        List.of(aFired, aResolved, bFired, bResolved, cFired, cResolved, dFired),
        List.of("webhook"));
    for (Notification n : List.of(aFired, aResolved, bResolved, cFired, dFired)) {
      store.saveDelivery(
          new Delivery("webhook", n.project(), n.id(), 1, T0, Delivery.DELIVERED, ""));
    }
    // bFired is still pending; everything else is done.

    assertThat(store.deleteDoneNotifications(T0.plusSeconds(15))).isEqualTo(2); // aFired, cFired
    TimeRange day = SpanStoreContract.DAY;
    assertThat(store.notifications("p", day)).containsExactly(aResolved, bResolved, bFired);
    assertThat(store.notifications("q", day)).containsExactly(cResolved, dFired);
    assertThat(store.pendingDeliveries("webhook", 10))
        .extracting(PendingDelivery::notification)
        .containsExactly(bFired, cResolved);

    // Later: every done one but each finding's latest (dFired still fires: it is reminded of).
    assertThat(store.deleteDoneNotifications(T0.plusSeconds(3600))).isZero();
    store.saveDelivery(new Delivery("webhook", "p", bFired.id(), 1, T0, Delivery.DELIVERED, ""));
    assertThat(store.deleteDoneNotifications(T0.plusSeconds(3600))).isEqualTo(1);
    assertThat(store.notifications("p", day)).containsExactly(aResolved, bResolved);
    assertThat(store.firingNotifications()).containsExactly(dFired);
    // A re-published deleted transition would be new again: retention must outlast re-runs.
    assertThat(store.pendingDeliveries("webhook", 10))
        .extracting(PendingDelivery::notification)
        .containsExactly(cResolved);
  }

  static void leaseClaims_areKeptOncePerTerm(SpanStore store) {
    store.claimLeases(
        List.of(
            new LeaseClaim("alerts", 7, "a"),
            new LeaseClaim("alerts", 7, "b"),
            new LeaseClaim("anomalies", 7, "a"),
            new LeaseClaim("alerts", 8, "a")));
    store.claimLeases(List.of(new LeaseClaim("alerts", 7, "a"))); // again: kept once
    store.claimLeases(List.of());

    assertThat(store.leaseClaims(7))
        .containsExactlyInAnyOrder(
            new LeaseClaim("alerts", 7, "a"),
            new LeaseClaim("alerts", 7, "b"),
            new LeaseClaim("anomalies", 7, "a"));
    assertThat(store.leaseClaims(8)).containsExactly(new LeaseClaim("alerts", 8, "a"));
    assertThat(store.leaseClaims(9)).isEmpty();
  }
}

package io.agentledger.api.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.api.http.ApiRoute;
import io.agentledger.api.http.ApiRoute.ApiParam;
import io.agentledger.api.http.Problem;
import io.agentledger.api.http.RequestProject;
import io.agentledger.store.AlertRule;
import io.agentledger.store.AlertStore;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code /alerts/rules}: a project's cost alert rules (create, list, read, replace, delete), and
 * {@code /alerts}: where their alerts stand. A key sees and changes only its project's rules.
 */
public final class AlertRuleRoutes {

  /** Most rules one project may hold (409 above). */
  public static final int MAX_RULES_PER_PROJECT = 100;

  private static final ObjectMapper READER = new ObjectMapper();
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AlertStore store;
  private final Clock clock;

  public AlertRuleRoutes(AlertStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public List<ApiRoute> routes() {
    ApiParam id = ApiParam.path("id", "the rule's id");
    return List.of(
        ApiRoute.get(
            "/alerts/rules",
            "listAlertRules",
            "This project's cost alert rules, oldest first",
            List.of(),
            AlertRuleView.Page.class,
            this::list),
        new ApiRoute(
            HandlerType.POST,
            "/alerts/rules",
            "createAlertRule",
            "Create a cost alert rule: a budget (USD in a rolling window), a burn rate (USD per hour"
                + " over the window) or a share of unpriced calls, for the project or per agent,"
                + " userId or model. A project holds at most "
                + MAX_RULES_PER_PROJECT
                + " rules (409 above)",
            List.of(),
            AlertRuleRequest.class,
            AlertRuleView.class,
            this::create),
        ApiRoute.get(
            "/alerts/rules/{id}",
            "getAlertRule",
            "One alert rule",
            List.of(id),
            AlertRuleView.class,
            this::get),
        new ApiRoute(
            HandlerType.PUT,
            "/alerts/rules/{id}",
            "replaceAlertRule",
            "Replace an alert rule (404 when the project has no rule of that id)",
            List.of(id),
            AlertRuleRequest.class,
            AlertRuleView.class,
            this::replace),
        new ApiRoute(
            HandlerType.DELETE,
            "/alerts/rules/{id}",
            "deleteAlertRule",
            "Delete an alert rule; its firing alerts resolve at the next evaluation",
            List.of(id),
            null,
            AlertRuleView.Deleted.class,
            this::delete),
        ApiRoute.get(
            "/alerts",
            "listAlerts",
            "Where this project's rule alerts stand (firing or resolved), most recently seen first",
            List.of(),
            AlertView.Page.class,
            this::alerts));
  }

  private void list(Context ctx) {
    String project = RequestProject.of(ctx);
    ctx.json(
        new AlertRuleView.Page(store.alertRules(project).stream().map(AlertRuleView::of).toList()));
  }

  private void get(Context ctx) {
    ctx.json(AlertRuleView.of(existing(ctx)));
  }

  private void create(Context ctx) {
    String project = RequestProject.of(ctx);
    JsonNode body = body(ctx);
    var now = clock.instant();
    AlertRule rule = AlertRuleParser.parse(body, project, newId(), now, now);
    int held = store.alertRules(project).size();
    if (held >= MAX_RULES_PER_PROJECT) {
      throw new Problem(
          409,
          "Conflict",
          "this project already has "
              + held
              + " alert rules, the most it may hold; replace or delete one instead");
    }
    store.saveAlertRule(rule);
    ctx.json(AlertRuleView.of(rule));
  }

  private void replace(Context ctx) {
    AlertRule old = existing(ctx);
    AlertRule rule =
        AlertRuleParser.parse(body(ctx), old.project(), old.id(), old.createdAt(), clock.instant());
    store.saveAlertRule(rule);
    ctx.json(AlertRuleView.of(rule));
  }

  private void delete(Context ctx) {
    AlertRule old = existing(ctx);
    store.deleteAlertRule(old.project(), old.id());
    ctx.json(new AlertRuleView.Deleted(old.id(), true));
  }

  private void alerts(Context ctx) {
    String project = RequestProject.of(ctx);
    ctx.json(new AlertView.Page(store.alertStates(project).stream().map(AlertView::of).toList()));
  }

  private AlertRule existing(Context ctx) {
    String id = ctx.pathParam("id");
    if (!ID.matcher(id).matches()) {
      throw Problem.notFound("no alert rule " + id);
    }
    return store
        .alertRule(RequestProject.of(ctx), id)
        .orElseThrow(() -> Problem.notFound("no alert rule " + id));
  }

  private static JsonNode body(Context ctx) {
    try {
      return READER.readTree(ctx.bodyAsBytes());
    } catch (IOException e) {
      throw Problem.badRequest("the body must be a JSON object");
    }
  }

  private static String newId() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return "rule-" + HexFormat.of().formatHex(b);
  }
}

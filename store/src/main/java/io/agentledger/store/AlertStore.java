package io.agentledger.store;

import java.util.List;
import java.util.Optional;

/** Users' alert rules and where each of their alerts stands. */
public interface AlertStore {

  /**
   * Inserts or replaces a rule (by project and id).
   *
   * @param rule the rule
   */
  void saveAlertRule(AlertRule rule);

  /**
   * One rule of a project.
   *
   * @param project the project (tenant)
   * @param id the rule's id
   * @return the rule, or empty when the project has no rule of that id
   */
  Optional<AlertRule> alertRule(String project, String id);

  /**
   * A project's rules, oldest first (then by id).
   *
   * @param project the project (tenant)
   * @return the rules
   */
  List<AlertRule> alertRules(String project);

  /**
   * Every project's rules, for the evaluator: ordered by project, then as {@link #alertRules}.
   *
   * @return the rules
   */
  List<AlertRule> allAlertRules();

  /**
   * Deletes a rule; its alert states are kept (the evaluator resolves the firing ones).
   *
   * @param project the project (tenant)
   * @param id the rule's id
   * @return whether the project had a rule of that id
   */
  boolean deleteAlertRule(String project, String id);

  /**
   * Inserts or replaces alert states (by project and id).
   *
   * @param states the states
   */
  void saveAlertStates(List<AlertState> states);

  /**
   * A project's alert states, the most recently seen first (then by id).
   *
   * @param project the project (tenant)
   * @return the states
   */
  List<AlertState> alertStates(String project);

  /**
   * Every project's firing alert states, for the evaluator: ordered by project and id.
   *
   * @return the firing states
   */
  List<AlertState> firingAlertStates();
}

package io.agentledger.store;

import java.util.List;
import java.util.Optional;

/** Aggregations over billable spans: costs, sessions, workflow runs and agents. */
public interface CostQueries {

  /**
   * Cost of billable spans grouped as asked; see {@link CostQuery}.
   *
   * @param project the project (tenant)
   * @param query the range, grouping and filters
   * @return the report
   */
  CostReport costs(String project, CostQuery query);

  /**
   * A session's totals over its settled chains; empty when no chain has that session id.
   *
   * @param project the project (tenant)
   * @param sessionId the session id
   * @return the report
   */
  Optional<SessionReport> session(String project, String sessionId);

  /**
   * A workflow run's totals over its settled chains (a Temporal workflow, an Inngest run, a
   * LangGraph thread: the chain's {@code workflowId}); empty when no chain has that id. The report
   * has the shape of a session's, its {@code sessionId} being the workflow id.
   *
   * @param project the project (tenant)
   * @param workflowId the workflow run id
   * @return the report
   */
  Optional<SessionReport> workflow(String project, String workflowId);

  /**
   * Agents with activity in the range, most expensive first.
   *
   * @param project the project (tenant)
   * @param range the time range
   * @return the agents
   */
  List<AgentStats> agents(String project, TimeRange range);
}

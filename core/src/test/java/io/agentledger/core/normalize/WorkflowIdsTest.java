package io.agentledger.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowIdsTest {

  @Test
  void eachFrameworksKey_namesTheWorkflowRun() {
    assertThat(WorkflowIds.of(Map.of("temporalWorkflowID", "wf-go"))).isEqualTo("wf-go");
    assertThat(WorkflowIds.of(Map.of("temporalWorkflowId", "wf-ts"))).isEqualTo("wf-ts");
    assertThat(WorkflowIds.of(Map.of("sdk.run.id", "01JRUN"))).isEqualTo("01JRUN");
    assertThat(WorkflowIds.of(Map.of("langsmith.metadata.thread_id", "t-1"))).isEqualTo("t-1");
  }

  @Test
  void langGraphThroughOpenInference_readsThreadIdInsideMetadata() {
    assertThat(
            WorkflowIds.of(Map.of("metadata", "{\"thread_id\":\"thread-7\",\"langgraph_step\":2}")))
        .isEqualTo("thread-7");
    assertThat(WorkflowIds.of(Map.of("metadata", "{\"langgraph_step\":2}"))).isEmpty();
    assertThat(WorkflowIds.of(Map.of("metadata", "not json"))).isEmpty();
  }

  @Test
  void keysInPrecedenceOrder_andNoneIsEmpty() {
    assertThat(
            WorkflowIds.of(
                Map.of(
                    "sdk.run.id", "run",
                    "temporalWorkflowID", "wf",
                    "metadata", "{\"thread_id\":\"t\"}")))
        .isEqualTo("wf");
    assertThat(WorkflowIds.of(Map.of("session.id", "s"))).isEmpty();
  }
}

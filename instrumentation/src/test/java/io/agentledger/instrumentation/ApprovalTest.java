package io.agentledger.instrumentation;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

class ApprovalTest {

  @Test
  void aDenial_endsTheApprovalSpanWithStatusError_anApprovalDoesNot() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    AgentLedger ledger =
        AgentLedger.builder()
            .tracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    try (AgentRun run = ledger.agent("refunds").start()) {
      try (Approval approval = run.requestApproval("issue_refund")) {
        approval.deny("supervisor@example.com", "the order is older than 90 days");
      }
      try (Approval approval = run.requestApproval("send_reply")) {
        approval.approve("supervisor@example.com");
      }
    }
    SpanData denied = span(spans, "approval issue_refund");
    assertThat(denied.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(denied.getAttributes().get(Keys.APPROVAL_STATUS)).isEqualTo("denied");
    assertThat(span(spans, "approval send_reply").getStatus().getStatusCode())
        .isEqualTo(StatusCode.UNSET);
  }

  private static SpanData span(InMemorySpanExporter spans, String name) {
    return spans.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }
}

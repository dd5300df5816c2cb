package io.agentledger.standalone;

import io.agentledger.instrumentation.AgentLedger;
import io.agentledger.instrumentation.AgentRun;
import io.agentledger.instrumentation.Approval;
import io.agentledger.instrumentation.ModelCall;
import io.agentledger.instrumentation.Retrieval;
import io.agentledger.instrumentation.ToolCall;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./agentledger demo}: a support crew and a coding agent, recorded with the instrumentation
 * library and sent over OTLP to the running standalone every couple of seconds, so the API and the
 * dashboards have something to show. The models are simulated; the telemetry is real.
 */
final class DemoWorkload implements AutoCloseable {

  private static final List<String[]> MODELS =
      List.of(
          new String[] {"openai", "gpt-4o-mini"},
          new String[] {"openai", "gpt-4.1-mini"},
          new String[] {"anthropic", "claude-sonnet-4-5"},
          new String[] {"gcp.gemini", "gemini-2.5-flash"});

  private final AgentLedger ledger;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "agentledger-demo");
            t.setDaemon(true);
            return t;
          });
  private final SplittableRandom random = new SplittableRandom(2026);
  private final AtomicLong chains = new AtomicLong();

  DemoWorkload(URI tracesEndpoint, String apiKey) {
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(tracesEndpoint.toString())
            .addHeader("Authorization", "Bearer " + apiKey)
            .setCompression("gzip")
            .build();
    this.ledger =
        AgentLedger.builder()
            .tracerProvider(
                SdkTracerProvider.builder()
                    .setResource(
                        Resource.getDefault().toBuilder()
                            .put("service.name", "demo-crew")
                            .put("service.version", "1.0.0")
                            .build())
                    .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                    .build())
            .build();
  }

  void start() {
    timer.scheduleWithFixedDelay(this::runOne, 0, 2, TimeUnit.SECONDS);
  }

  private void runOne() {
    try {
      if (random.nextInt(3) == 0) {
        codingAgent();
      } else {
        supportCrew();
      }
      long n = chains.incrementAndGet();
      if (n % 15 == 0) {
        System.out.println("demo: " + n + " chains sent");
      }
    } catch (RuntimeException e) {
      System.err.println("demo: " + e);
    }
  }

  private void supportCrew() {
    String ticket = "ticket-" + (1000 + random.nextInt(200));
    try (AgentRun triage =
        ledger
            .agent("triage")
            .version("1." + random.nextInt(2))
            .conversation(ticket)
            .user("customer-" + random.nextInt(50))
            .start()) {
      call(triage, MODELS.get(0), 800, 120);
      boolean refund = random.nextBoolean();
      triage.decision(
          "route",
          List.of("refunds", "faq"),
          refund ? "refunds" : "faq",
          refund ? "the customer asks for money back" : "a known question",
          0.6 + random.nextDouble() * 0.4);
      try (AgentRun next = triage.handoff(refund ? "refunds" : "faq")) {
        try (Retrieval r = next.retrieval("help-center")) {
          r.topK(5).documents(3 + random.nextInt(3));
        }
        if (refund) {
          try (ToolCall tool = next.tool("lookup_order")) {
            tool.callId("call_" + Long.toHexString(random.nextLong()));
          }
          call(next, MODELS.get(2), 2_500, 300);
          try (Approval approval = next.requestApproval("issue_refund")) {
            if (random.nextInt(5) == 0) {
              approval.deny("supervisor@example.com", "order is older than 90 days");
            } else {
              approval.approve("supervisor@example.com");
            }
          }
        } else {
          call(next, MODELS.get(random.nextInt(MODELS.size())), 1_500, 250);
        }
      }
    }
  }

  private void codingAgent() {
    try (AgentRun coder =
        ledger.agent("coder").version("0.9").conversation("pr-" + random.nextInt(40)).start()) {
      int loops = 2 + random.nextInt(random.nextInt(10) == 0 ? 12 : 4); // now and then a long loop
      for (int i = 0; i < loops; i++) {
        call(coder, MODELS.get(1), 6_000 + i * 2_000, 400);
        try (ToolCall tool = coder.tool(i % 2 == 0 ? "read_file" : "run_tests")) {
          if (random.nextInt(8) == 0) {
            tool.fail(new IllegalStateException("tests failed"));
          }
        }
      }
    }
  }

  private void call(AgentRun run, String[] model, int input, int output) {
    try (ModelCall call = run.modelCall(model[0], model[1])) {
      int in = input / 2 + random.nextInt(input);
      call.usage(in, output / 2 + random.nextInt(output))
          .cacheRead(random.nextBoolean() ? in / 2 : 0)
          .finishReasons("stop");
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    ledger.close();
  }
}

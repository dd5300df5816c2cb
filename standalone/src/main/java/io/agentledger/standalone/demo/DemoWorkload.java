package io.agentledger.standalone.demo;

import io.agentledger.instrumentation.AgentLedger;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./agentledger demo}: a support crew in two versions, a coding agent and a research
 * assistant, recorded with the instrumentation library and exported over OTLP/HTTP to the running
 * standalone, on the {@link DemoSchedule}: a burst for baselines, a steady rate, a cost spike.
 *
 * <p>Runs take the time they would take (model and tool latencies, a supervisor's approval) without
 * the demo waiting for it: each run is simulated on a {@link SimulatedClock}, twice with the same
 * seed — once to learn how long it takes, then recorded so that it ends when it arrives. The
 * burst's runs are history instead ({@link DemoSchedule#historyStart}): they started before the
 * demo, one after another, and had ended long before they are recorded.
 */
public final class DemoWorkload implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DemoWorkload.class);

  private final SupportCrew triageV1 = SupportCrew.v1();
  private final SupportCrew triageV2 = SupportCrew.v2();
  private final CodingAgent coder = new CodingAgent();
  private final ResearchAssistant researcher = new ResearchAssistant();

  /** Which agent a run is, by weight: the two triage versions evenly, as in a canary. */
  private final List<SimulatedAgent> mix =
      List.of(
          triageV1,
          triageV1,
          triageV1,
          triageV2,
          triageV2,
          triageV2,
          coder,
          coder,
          researcher,
          researcher);

  private final DemoSchedule schedule;
  private final Clock wallClock;
  private final SimulatedClock clock = new SimulatedClock();
  private final AgentLedger ledger;
  private final AgentLedger rehearsal;
  private final SplittableRandom random;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "agentledger-demo");
            t.setDaemon(true);
            return t;
          });
  private final AtomicLong sent = new AtomicLong();
  private Instant started = Instant.EPOCH;
  private long next;
  private boolean spiking;

  /**
   * The demo of {@code ./agentledger demo}, on the default schedule.
   *
   * @param tracesEndpoint the standalone's OTLP/HTTP traces endpoint
   * @param apiKey the key to send with
   */
  public DemoWorkload(URI tracesEndpoint, String apiKey) {
    this(tracesEndpoint, apiKey, DemoSchedule.DEFAULT, Clock.systemUTC());
  }

  DemoWorkload(URI tracesEndpoint, String apiKey, DemoSchedule schedule, Clock wallClock) {
    this.schedule = schedule;
    this.wallClock = wallClock;
    this.random = new SplittableRandom(schedule.seed());
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(tracesEndpoint.toString())
            .addHeader("Authorization", "Bearer " + apiKey)
            .setCompression("gzip")
            .build();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setClock(clock)
            .setResource(
                Resource.getDefault().toBuilder()
                    .put("service.name", "demo-crew")
                    .put("service.version", "1.0.0")
                    .build())
            .addSpanProcessor(
                BatchSpanProcessor.builder(exporter)
                    .setMaxQueueSize(50_000) // the burst outruns the exporter for a while
                    .setScheduleDelay(Duration.ofSeconds(1))
                    .build())
            .build();
    // Content capture on: tool arguments are how a loop (same tool, same arguments) shows, and a
    // simulation has no user data to protect.
    this.ledger =
        AgentLedger.builder().tracerProvider(provider).clock(clock).captureContent(true).build();
    // Records nothing on purpose (OpenTelemetry.noop() also keeps the "no tracer provider" warning
    // out of the demo's output).
    this.rehearsal =
        AgentLedger.builder()
            .openTelemetry(OpenTelemetry.noop())
            .clock(clock)
            .captureContent(true)
            .build();
  }

  /** Starts sending; returns at once. */
  public void start() {
    timer.execute(
        () -> {
          started = wallClock.instant();
          scheduleNext();
        });
  }

  /**
   * What the demo sends and when, for its start-up message.
   *
   * @return one paragraph
   */
  public String description() {
    return "support-triage (versions 1.0 and 2.0, with refunds, billing and faq), a coder and a"
        + " researcher: "
        + schedule.burstRuns()
        + " runs over the first "
        + words(schedule.burstLength())
        + ", then "
        + Math.round(schedule.steadyRunsPerMinute())
        + " a minute; the researcher's cost spikes "
        + schedule.spikeFactor()
        + "x from "
        + words(schedule.spikeStart())
        + " to "
        + words(schedule.spikeStart().plus(schedule.spikeLength()))
        + " after the start.";
  }

  private static String words(Duration d) {
    return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }

  /**
   * Runs sent so far.
   *
   * @return the number of runs (chains) recorded
   */
  public long runsSent() {
    return sent.get();
  }

  private void scheduleNext() {
    if (next >= schedule.maxRuns()) {
      return;
    }
    Duration offset = schedule.arrival(next);
    long delay = Duration.between(wallClock.instant(), started.plus(offset)).toMillis();
    timer.schedule(() -> arrive(offset), Math.max(0, delay), TimeUnit.MILLISECONDS);
  }

  private void arrive(Duration offset) {
    try {
      SimulatedAgent agent = mix.get(random.nextInt(mix.size()));
      long seed = random.nextLong();
      boolean history = schedule.inBurst(next);
      announceSpike(offset);
      double costFactor = agent == researcher && spiking && !history ? schedule.spikeFactor() : 1.0;
      clock.startRun(wallClock.instant());
      agent.run(rehearsal, new Simulation(seed, clock, costFactor));
      Instant end = wallClock.instant();
      Instant start = end.minus(clock.elapsed());
      if (history) {
        Instant began = started.plus(schedule.historyStart(next));
        // The gap before the demo outlasts every run; should one outlast it, it still ends now.
        start = began.isBefore(start) ? began : start;
      }
      clock.startRun(start);
      agent.run(ledger, new Simulation(seed, clock, costFactor));
      report(sent.incrementAndGet());
    } catch (RuntimeException e) {
      LOG.warn("demo: a run failed to record", e);
    } finally {
      next++;
      scheduleNext();
    }
  }

  private void announceSpike(Duration offset) {
    boolean now = schedule.inSpike(offset);
    if (now != spiking) {
      spiking = now;
      System.out.println(
          now
              ? "demo: the researcher's cost now spikes "
                  + schedule.spikeFactor()
                  + "x (prompts grow) for "
                  + words(schedule.spikeLength())
              : "demo: the researcher's cost is back to normal");
    }
  }

  private void report(long n) {
    if (n == schedule.burstRuns()) {
      System.out.println(
          "demo: "
              + n
              + " runs sent in the opening burst; now "
              + Math.round(schedule.steadyRunsPerMinute())
              + " a minute");
    } else if (n % 100 == 0) {
      System.out.println("demo: " + n + " runs sent");
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ledger.close();
    rehearsal.close();
  }
}

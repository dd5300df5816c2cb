package io.agentledger.bench.jmh;

import io.agentledger.bench.report.Results;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the JMH benchmarks (one fork each) and adds their figures. */
public final class JmhPart {

  private JmhPart() {}

  public static void run(boolean smoke, Results results, String command) throws Exception {
    Options options =
        new OptionsBuilder()
            .include("io\\.agentledger\\.bench\\.jmh\\..*Benchmark")
            .forks(1)
            .warmupIterations(smoke ? 1 : 3)
            .warmupTime(TimeValue.seconds(smoke ? 1 : 2))
            .measurementIterations(smoke ? 1 : 5)
            .measurementTime(TimeValue.seconds(smoke ? 1 : 2))
            .jvmArgsAppend("-Xmx4g")
            .build();
    Collection<RunResult> runs = new Runner(options).run();
    String cmd = command + " (JMH, 1 fork)";
    find(runs, "decodeNormalizePrice", "captureContent", "false")
        .ifPresent(
            r ->
                perSpan(
                    results,
                    "decode + normalize + price, per span (no content)",
                    r,
                    DecodeNormalizeBenchmark.spansPerOperation(false),
                    cmd));
    find(runs, "decodeNormalizePrice", "captureContent", "true")
        .ifPresent(
            r ->
                perSpan(
                    results,
                    "decode + normalize + price, per span (prompts and completions captured)",
                    r,
                    DecodeNormalizeBenchmark.spansPerOperation(true),
                    cmd));
    find(runs, "rollup", null, null)
        .ifPresent(
            r ->
                results.add(
                    "Microbenchmarks (JMH)",
                    String.format(
                        Locale.ROOT, "roll-up of one %,d-span chain", RollupBenchmark.chainSpans()),
                    String.format(
                        Locale.ROOT,
                        "%.2f ± %.2f ms",
                        r.getPrimaryResult().getScore(),
                        r.getPrimaryResult().getScoreError()),
                    cmd));
    Optional<RunResult> plain = find(runs, "plainOtelSdk", null, null);
    Optional<RunResult> ours = find(runs, "agentLedgerInstrumentation", null, null);
    if (plain.isPresent() && ours.isPresent()) {
      double p = plain.get().getPrimaryResult().getScore();
      double o = ours.get().getPrimaryResult().getScore();
      results.add(
          "Microbenchmarks (JMH)",
          "instrumented model call vs the same span with the plain OTel SDK",
          String.format(Locale.ROOT, "%.2f µs vs %.2f µs: ratio %.2f", o, p, o / p),
          "ratio ≤ 1.2",
          o / p <= 1.2,
          cmd);
      Optional<RunResult> all = find(runs, "agentLedgerAllFeatures", null, null);
      if (all.isPresent()) {
        double a = all.get().getPrimaryResult().getScore();
        results.add(
            "Microbenchmarks (JMH)",
            "instrumented model call with budget guard (chain + conversation, pre-call estimate),"
                + " own attribute and cost read back vs the plain OTel SDK",
            String.format(Locale.ROOT, "%.2f µs vs %.2f µs: ratio %.2f", a, p, a / p),
            "ratio ≤ 1.2",
            a / p <= 1.2,
            cmd);
      }
    }
  }

  private static void perSpan(Results results, String name, RunResult r, int spans, String cmd) {
    double us = r.getPrimaryResult().getScore() / spans;
    results.add(
        "Microbenchmarks (JMH)",
        name,
        String.format(Locale.ROOT, "%.2f µs/span (%,.0f spans/s on one core)", us, 1e6 / us),
        cmd);
  }

  private static Optional<RunResult> find(
      Collection<RunResult> runs, String method, @Nullable String param, @Nullable String value) {
    return runs.stream()
        .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
        .filter(r -> param == null || Objects.equals(value, r.getParams().getParam(param)))
        .findFirst();
  }
}

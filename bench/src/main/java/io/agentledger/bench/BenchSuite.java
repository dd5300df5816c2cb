package io.agentledger.bench;

import io.agentledger.bench.anomaly.AnomalyParts;
import io.agentledger.bench.api.ApiBench;
import io.agentledger.bench.paths.PathsBench;
import io.agentledger.bench.pipeline.PipelineBench;
import io.agentledger.bench.report.Results;
import io.agentledger.bench.store.StoreBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark suite, in parts that {@code bench/run} runs in separate JVMs (the store part pinned
 * to one core), then merged into {@code bench/RESULTS.md}.
 *
 * <pre>
 * usage: BenchSuite store|api|chains|decisions|paths|pipeline|clickhouse-pipeline|freshness|soak|jmh|anomalies|regressions|report [--smoke] [--dir DIR] [--out FILE]
 * </pre>
 *
 * The anomalies part also takes {@code --series N} (series of the ground truth, 1,000), {@code
 * --scale-series N} (series of the timed cycle, 10,000), {@code --scale-stores
 * memory,duckdb,clickhouse} and {@code --only truth|scale}.
 *
 * <p>Each part appends its figures to {@code DIR/figures.jsonl}; {@code report} writes them as
 * markdown to {@code --out}.
 */
public final class BenchSuite {

  /** Sizes of one run. */
  public record Sizes(long storeSpans, int poolSpans, long pipelineSpans) {
    public static final Sizes FULL = new Sizes(10_000_000, 200_000, 1_000_000);
    public static final Sizes SMOKE = new Sizes(20_000, 10_000, 20_000);
  }

  private BenchSuite() {}

  public static void main(String[] args) throws Exception {
    List<String> a = Arrays.asList(args);
    if (a.isEmpty()) {
      System.err.println(
          "usage: BenchSuite store|api|chains|decisions|paths|pipeline|clickhouse-pipeline|freshness|soak|jmh|anomalies|regressions|report [--smoke] [--dir DIR] [--out FILE]");
      System.exit(2);
    }
    boolean smoke = a.contains("--smoke");
    Sizes base = smoke ? Sizes.SMOKE : Sizes.FULL;
    // -Dbench.storeSpans=… etc. resize a part, for profiling one piece at a time.
    Sizes sizes =
        new Sizes(
            Long.getLong("bench.storeSpans", base.storeSpans()),
            Integer.getInteger("bench.poolSpans", base.poolSpans()),
            Long.getLong("bench.pipelineSpans", base.pipelineSpans()));
    Path dir = Path.of(option(a, "--dir", "bench/target/bench-data"));
    String command = smoke ? "bench/run --smoke" : "bench/run";
    Files.createDirectories(dir);
    Path figures = dir.resolve("figures.jsonl");
    switch (a.get(0)) {
      case "report" -> {
        Path out = Path.of(option(a, "--out", "bench/RESULTS.md"));
        Results merged = Results.merge(figures, command);
        merged.note(
            "Where the time goes in the figures that miss their targets: bench/PROFILE.md.");
        merged.write(out);
        System.out.println("wrote " + out.toAbsolutePath());
      }
      default -> {
        Results results = new Results(command);
        runPart(a.get(0), sizes, dir, a, results, command);
        results.save(figures);
      }
    }
  }

  /** Runs one part, adding its figures to {@code results}. */
  public static void runPart(String part, Sizes sizes, Path dir, Results results, String command)
      throws Exception {
    runPart(part, sizes, dir, List.of(), results, command);
  }

  /** Runs one part with its own options ({@code anomalies}: {@code --series N} …). */
  public static void runPart(
      String part, Sizes sizes, Path dir, List<String> options, Results results, String command)
      throws Exception {
    long started = System.nanoTime();
    switch (part) {
      case "store" ->
          StoreBench.run(
              dir,
              sizes.storeSpans(),
              sizes.poolSpans(),
              results,
              command + " (store part pinned to one core)");
      case "api" -> ApiBench.run(StoreBench.loaded(dir), results, command);
      case "chains" ->
          io.agentledger.bench.chains.ChainReadBench.run(
              dir, sizes.equals(Sizes.SMOKE), results, command + " (chains part)");
      case "decisions" ->
          io.agentledger.bench.decision.DecisionBench.run(
              dir, sizes.equals(Sizes.SMOKE), results, command + " (decisions part, -Xmx4g)");
      case "pipeline" -> PipelineBench.run(dir, sizes.pipelineSpans(), results, command);
      case "clickhouse-pipeline" ->
          io.agentledger.bench.pipeline.ClickHousePipelineBench.run(
              dir,
              Long.getLong("bench.clickHouseSpans", Math.min(sizes.pipelineSpans(), 500_000)),
              results,
              command + " (clickhouse-pipeline part)");
      case "freshness" ->
          io.agentledger.bench.pipeline.FreshnessBench.run(
              dir,
              sizes.pipelineSpans() / 2,
              sizes.equals(Sizes.SMOKE) ? 5 : Integer.getInteger("bench.levelSeconds", 30),
              results,
              command + " (freshness part)");
      case "soak" ->
          io.agentledger.bench.pipeline.SoakBench.run(
              dir,
              sizes.pipelineSpans() / 2,
              sizes.equals(Sizes.SMOKE) ? 20 : Integer.getInteger("bench.soakSeconds", 1_800),
              sizes.equals(Sizes.SMOKE) ? 5 : Integer.getInteger("bench.soakSampleSeconds", 60),
              results,
              command + " (soak part)");
      case "anomalies" ->
          AnomalyParts.run(dir, sizes.equals(Sizes.SMOKE), options, results, command);
      case "paths" ->
          PathsBench.run(dir, sizes.equals(Sizes.SMOKE) ? 2_000 : 100_000, results, command);
      case "jmh" ->
          io.agentledger.bench.jmh.JmhPart.run(sizes.equals(Sizes.SMOKE), results, command);
      case "regressions" ->
          io.agentledger.bench.regress.RegressionBench.run(
              sizes.equals(Sizes.SMOKE), results, command + " (regressions part)");
      default -> throw new IllegalArgumentException("unknown part " + part);
    }
    results.note(
        String.format(
            Locale.ROOT,
            "The %s part took %.1f minutes.",
            part,
            (System.nanoTime() - started) / 60e9));
  }

  /** The value after {@code name} in {@code args}, or {@code fallback}. */
  public static String option(List<String> args, String name, String fallback) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : fallback;
  }
}

package io.agentledger.bench.jmh;

import io.agentledger.bench.workload.WorkloadGenerator;
import io.agentledger.bench.workload.WorkloadSpec;
import io.agentledger.core.normalize.SpanNormalizer;
import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.span.AgentSpan;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Roll-up of one chain of about 10,000 spans: agents, hand-offs, model and tool calls. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RollupBenchmark {

  List<AgentSpan> chain;

  @Setup
  public void prepare() {
    chain = tenThousandSpanChain();
  }

  /** A chain of depth 3 and fan-out 3 (13 agents), each agent looping ~385 model + tool calls. */
  static List<AgentSpan> tenThousandSpanChain() {
    WorkloadSpec spec = WorkloadSpec.realistic().withShape(3, 3, 385);
    var g = new WorkloadGenerator(spec, 9);
    var c = g.next(1_795_521_600_000_000_000L);
    return new SpanNormalizer(new CostCalculator(PriceCatalog.bundled()))
        .normalize(WorkloadGenerator.request("crew", List.of(c)), "bench")
        .spans();
  }

  public static int chainSpans() {
    return tenThousandSpanChain().size();
  }

  @Benchmark
  public ChainRollupResult rollup() {
    return ChainRollup.compute(chain);
  }
}

package io.agentledger.bench.jmh;

import io.agentledger.bench.workload.GeneratedChain;
import io.agentledger.bench.workload.WorkloadGenerator;
import io.agentledger.bench.workload.WorkloadSpec;
import io.agentledger.core.normalize.NormalizedBatch;
import io.agentledger.core.normalize.SpanNormalizer;
import io.agentledger.core.otlp.OtlpFormat;
import io.agentledger.core.otlp.OtlpTraceDecoder;
import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.pricing.PriceCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the consumer spends on each span before the store: decode an OTLP protobuf request,
 * normalize every convention, price every model call. One operation is one request of {@link
 * #SPANS_PER_REQUEST}-odd spans; divide by it for the per-span cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecodeNormalizeBenchmark {

  static final int CHAINS = 20;

  @Param({"false", "true"})
  public boolean captureContent;

  byte[] request;
  int spans;
  SpanNormalizer normalizer;

  @Setup
  public void prepare() {
    WorkloadGenerator g =
        new WorkloadGenerator(WorkloadSpec.realistic().withCaptureContent(captureContent), 5);
    List<GeneratedChain> chains = new ArrayList<>();
    for (int i = 0; i < CHAINS; i++) {
      chains.add(g.next(1_795_521_600_000_000_000L + i * 1_000_000_000L));
    }
    spans = chains.stream().mapToInt(c -> c.spans().size()).sum();
    request = WorkloadGenerator.request("crew", chains).toByteArray();
    normalizer = new SpanNormalizer(new CostCalculator(PriceCatalog.bundled()));
  }

  /** The spans in one operation, to turn µs/op into µs/span. */
  public static int spansPerOperation(boolean captureContent) {
    DecodeNormalizeBenchmark b = new DecodeNormalizeBenchmark();
    b.captureContent = captureContent;
    b.prepare();
    return b.spans;
  }

  @Benchmark
  public NormalizedBatch decodeNormalizePrice() {
    return normalizer.normalize(OtlpTraceDecoder.decode(request, OtlpFormat.PROTOBUF), "bench");
  }
}

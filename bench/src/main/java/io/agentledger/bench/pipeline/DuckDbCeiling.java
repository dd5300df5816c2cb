package io.agentledger.bench.pipeline;

import io.agentledger.core.normalize.SpanNormalizer;
import io.agentledger.core.otlp.OtlpFormat;
import io.agentledger.core.otlp.OtlpTraceDecoder;
import io.agentledger.core.pricing.CostCalculator;
import io.agentledger.core.pricing.PriceCatalog;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.SpanStore;
import io.agentledger.store.duckdb.DuckDbSpanStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The most the store can take: the run's spans, decoded and normalized beforehand, appended. */
final class DuckDbCeiling {

  private static final int MAX_SPANS = 400_000; // enough for a steady rate, small enough for memory
  private static final int BATCH = 20_000;

  private DuckDbCeiling() {}

  static double measure(Path dir, List<RequestPool.Body> bodies) throws Exception {
    SpanNormalizer normalizer = new SpanNormalizer(new CostCalculator(PriceCatalog.bundled()));
    List<AgentSpan> spans = new ArrayList<>();
    for (RequestPool.Body b : bodies) {
      if (spans.size() >= MAX_SPANS) {
        break;
      }
      spans.addAll(
          normalizer
              .normalize(OtlpTraceDecoder.decode(b.raw(), OtlpFormat.PROTOBUF), "bench")
              .spans());
    }
    Path file = dir.resolve("ceiling.duckdb");
    Files.deleteIfExists(file);
    try (SpanStore store = DuckDbSpanStore.open(file, Clock.systemUTC())) {
      long start = System.nanoTime();
      for (int from = 0; from < spans.size(); from += BATCH) {
        store.append(spans.subList(from, Math.min(spans.size(), from + BATCH)));
      }
      return spans.size() / ((System.nanoTime() - start) / 1e9);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(Path.of(file + ".wal"));
    }
  }
}

package io.agentledger.bench.pipeline;

import io.agentledger.bench.workload.GeneratedChain;
import io.agentledger.bench.workload.WorkloadGenerator;
import io.agentledger.bench.workload.WorkloadSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * OTLP request bodies prepared before a load run, so the driver spends its CPU sending rather than
 * generating: a few hundred distinct generated requests, replayed as new chains by rewriting the
 * trace ids inside the serialized bytes, then gzipped as an SDK exporter would.
 */
final class RequestPool {

  /** One request: its raw protobuf (for the Kafka ceiling), its gzip body, its span count. */
  record Body(byte[] raw, byte[] gzip, int spans) {}

  private RequestPool() {}

  static List<Body> prepare(int distinct, int chainsPerRequest, long totalSpans, long startNanos)
      throws Exception {
    return prepare(distinct, chainsPerRequest, totalSpans, startNanos, 0);
  }

  /**
   * @param firstRound the first round number written into the trace ids: pools prepared with
   *     disjoint round ranges never share a chain
   */
  static List<Body> prepare(
      int distinct, int chainsPerRequest, long totalSpans, long startNanos, int firstRound)
      throws Exception {
    Source source = new Source(distinct, chainsPerRequest, startNanos, firstRound);
    int rounds = (int) Math.max(1, (totalSpans + source.perRound - 1) / source.perRound);
    ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    try {
      List<Future<Body>> futures = new ArrayList<>();
      for (long i = 0; i < (long) rounds * distinct; i++) {
        long ii = i;
        futures.add(pool.submit(() -> source.body(ii)));
      }
      List<Body> out = new ArrayList<>(futures.size());
      for (Future<Body> f : futures) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdown();
    }
  }

  /**
   * An endless sequence of requests made on demand (for runs too long to prepare in memory): body
   * {@code i} is distinct request {@code i % distinct} with round {@code firstRound + i / distinct}
   * written into its trace ids.
   */
  static final class Source {
    private final List<byte[]> bases = new ArrayList<>();
    private final List<List<int[]>> traceOffsets = new ArrayList<>();
    private final int[] spanCounts;
    private final long[] spansBeforeInRound;
    private final int firstRound;
    final long perRound;

    Source(int distinct, int chainsPerRequest, long startNanos, int firstRound) {
      this.firstRound = firstRound;
      WorkloadGenerator generator = new WorkloadGenerator(WorkloadSpec.realistic(), 3);
      spanCounts = new int[distinct];
      spansBeforeInRound = new long[distinct];
      long t = startNanos;
      long sum = 0;
      for (int r = 0; r < distinct; r++) {
        List<GeneratedChain> chains = new ArrayList<>();
        for (int c = 0; c < chainsPerRequest; c++) {
          chains.add(generator.next(t));
          t += 10_000_000L;
        }
        byte[] raw = WorkloadGenerator.request("crew", chains).toByteArray();
        bases.add(raw);
        spanCounts[r] = chains.stream().mapToInt(c -> c.spans().size()).sum();
        spansBeforeInRound[r] = sum;
        sum += spanCounts[r];
        traceOffsets.add(offsetsOfTraceIds(raw, chains));
      }
      perRound = sum;
    }

    /** Request {@code i}, a new set of chains. */
    Body body(long i) {
      int r = (int) (i % bases.size());
      int round = firstRound + (int) (i / bases.size());
      byte[] raw = Arrays.copyOf(bases.get(r), bases.get(r).length);
      for (int[] at : traceOffsets.get(r)) {
        // The first 4 bytes of each trace id become the round: a new chain.
        raw[at[0]] = (byte) (round >>> 24);
        raw[at[0] + 1] = (byte) (round >>> 16);
        raw[at[0] + 2] = (byte) (round >>> 8);
        raw[at[0] + 3] = (byte) round;
      }
      return new Body(raw, gzip(raw), spanCounts[r]);
    }

    /** The spans in the requests before request {@code i}. */
    long spansBefore(long i) {
      return (i / bases.size()) * perRound + spansBeforeInRound[(int) (i % bases.size())];
    }
  }

  /** Where each span's 16 trace id bytes sit in the serialized request. */
  private static List<int[]> offsetsOfTraceIds(byte[] raw, List<GeneratedChain> chains) {
    List<int[]> out = new ArrayList<>();
    for (GeneratedChain c : chains) {
      byte[] id = java.util.HexFormat.of().parseHex(c.traceId());
      int found = 0;
      for (int i = 0; i + 18 <= raw.length; i++) {
        if (raw[i] == 0x0a && raw[i + 1] == 16 && Arrays.equals(raw, i + 2, i + 18, id, 0, 16)) {
          out.add(new int[] {i + 2});
          found++;
          i += 17;
        }
      }
      if (found != c.spans().size()) {
        throw new IllegalStateException("found " + found + " trace ids, want " + c.spans().size());
      }
    }
    return out;
  }

  static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 6);
    try (GZIPOutputStream gz =
        new GZIPOutputStream(out, 1 << 16) {
          {
            def.setLevel(Deflater.BEST_SPEED);
          }
        }) {
      gz.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}

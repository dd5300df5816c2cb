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
    WorkloadGenerator generator = new WorkloadGenerator(WorkloadSpec.realistic(), 3);
    List<byte[]> bases = new ArrayList<>();
    List<List<int[]>> traceOffsets = new ArrayList<>();
    List<Integer> spanCounts = new ArrayList<>();
    long t = startNanos;
    for (int r = 0; r < distinct; r++) {
      List<GeneratedChain> chains = new ArrayList<>();
      for (int c = 0; c < chainsPerRequest; c++) {
        chains.add(generator.next(t));
        t += 10_000_000L;
      }
      byte[] raw = WorkloadGenerator.request("crew", chains).toByteArray();
      bases.add(raw);
      spanCounts.add(chains.stream().mapToInt(c -> c.spans().size()).sum());
      traceOffsets.add(offsetsOfTraceIds(raw, chains));
    }
    int perRound = spanCounts.stream().mapToInt(Integer::intValue).sum();
    int rounds = (int) Math.max(1, (totalSpans + perRound - 1) / perRound);
    ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    try {
      List<Future<Body>> futures = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        for (int r = 0; r < distinct; r++) {
          int rr = r;
          int round0 = firstRound + round;
          futures.add(
              pool.submit(
                  () -> {
                    byte[] raw = Arrays.copyOf(bases.get(rr), bases.get(rr).length);
                    for (int[] at : traceOffsets.get(rr)) {
                      // The first 4 bytes of each trace id become the round: a new chain.
                      raw[at[0]] = (byte) (round0 >>> 24);
                      raw[at[0] + 1] = (byte) (round0 >>> 16);
                      raw[at[0] + 2] = (byte) (round0 >>> 8);
                      raw[at[0] + 3] = (byte) round0;
                    }
                    return new Body(raw, gzip(raw), spanCounts.get(rr));
                  }));
        }
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

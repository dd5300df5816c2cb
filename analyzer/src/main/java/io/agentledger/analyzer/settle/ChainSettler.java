package io.agentledger.analyzer.settle;

import io.agentledger.analyzer.lease.Lease;
import io.agentledger.core.concurrent.Executors2;
import io.agentledger.core.rollup.ChainRollup;
import io.agentledger.core.rollup.ChainRollupResult;
import io.agentledger.core.span.AgentSpan;
import io.agentledger.store.ChainReader;
import io.agentledger.store.ChainRef;
import io.agentledger.store.PipelineState;
import io.agentledger.store.StoreException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls up chains that have received spans and then been idle for {@code idle}, and saves the
 * results through {@link PipelineState#saveRollups}. A late span makes its chain touched again, so
 * it is re-settled; settling is idempotent.
 *
 * <p>After the roll-ups are saved, each {@link ChainDerivation} derives and stores what it needs
 * from the same chains (decision trees, runs), so a settled chain is read once.
 *
 * <p>Progress is a watermark over store time kept in the store ({@value #WATERMARK_KEY}), so a
 * restart resumes where it stopped and never misses a chain: the watermark moves past a window only
 * after every chain touched in it has been settled.
 *
 * <p>Several analyzers share settlement by {@linkplain #shard shards}: each shard settles the
 * chains whose trace id hashes to it, keeps its own watermark, and runs under its own {@link
 * Lease}, so a chain is settled by one instance at a time and a dead instance's shards are taken
 * over (from their watermarks) by another.
 */
public final class ChainSettler implements AutoCloseable {

  static final String WATERMARK_KEY = "analyzer.settler.watermark";

  private static final Logger LOG = LoggerFactory.getLogger(ChainSettler.class);
  private static final Duration SKIP_LOG_INTERVAL = Duration.ofMinutes(1);

  private final ChainReader chains;
  private final PipelineState pipeline;
  private final List<ChainDerivation> derivations;
  private final Clock clock;
  private final MeterRegistry registry;
  private final Duration idle;
  private final int pageSize;
  private final Counter settled;
  private final Counter failures;
  private final Timer settleTime;
  private final Counter skipped;
  private final int shard;
  private final int shards;
  private final AtomicLong skippedSinceLog = new AtomicLong();
  private volatile @Nullable Instant lastSkipLog; // null until the first skip is logged
  private @Nullable ScheduledExecutorService executor; // null unless started

  /**
   * @param chains where the touched chains' spans are read
   * @param pipeline which chains were touched, where roll-ups and the watermark are saved
   * @param derivations what else is derived from each settled chain and stored, in order
   * @param idle how long a chain must have had no new spans before it is settled
   * @param pageSize how many chains to roll up per store round trip
   */
  public ChainSettler(
      ChainReader chains,
      PipelineState pipeline,
      List<ChainDerivation> derivations,
      Clock clock,
      Duration idle,
      int pageSize,
      MeterRegistry registry) {
    this(chains, pipeline, derivations, clock, idle, pageSize, registry, 0, 1);
  }

  private ChainSettler(
      ChainReader chains,
      PipelineState pipeline,
      List<ChainDerivation> derivations,
      Clock clock,
      Duration idle,
      int pageSize,
      MeterRegistry registry,
      int shard,
      int shards) {
    if (shards < 1 || shard < 0 || shard >= shards) {
      throw new IllegalArgumentException("shard " + shard + " of " + shards);
    }
    this.shard = shard;
    this.shards = shards;
    this.registry = registry;
    this.chains = Objects.requireNonNull(chains, "chains");
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
    this.derivations = List.copyOf(derivations);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.idle = Objects.requireNonNull(idle, "idle");
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be positive");
    }
    this.pageSize = pageSize;
    this.settled = Counter.builder("agentledger.analyzer.chains.settled").register(registry);
    this.failures = Counter.builder("agentledger.analyzer.settle.failures").register(registry);
    this.settleTime = Timer.builder("agentledger.analyzer.settle.duration").register(registry);
    this.skipped =
        Counter.builder("agentledger.analyzer.chains.skipped")
            .description("Chains or projects the store refused for good, skipped by settlement")
            .register(registry);
  }

  /**
   * This settler restricted to shard {@code index} of {@code count}: the chains whose trace id
   * hashes to it, with a watermark of its own (starting from the unsharded one, so sharding an
   * existing deployment does not settle everything again).
   */
  public ChainSettler shard(int index, int count) {
    return new ChainSettler(
        chains, pipeline, derivations, clock, idle, pageSize, registry, index, count);
  }

  /** The shard a chain belongs to, of {@code count} (stable across processes and versions). */
  public static int shardOf(String traceId, int count) {
    return Math.floorMod(traceId.hashCode(), count);
  }

  private String watermarkKey() {
    return shards == 1 ? WATERMARK_KEY : WATERMARK_KEY + "." + shard + "of" + shards;
  }

  /** Settles in the background every {@code interval} until {@link #close}. */
  public synchronized void start(Duration interval) {
    start(interval, Lease.ALWAYS, Duration.ZERO);
  }

  /**
   * Settles in the background every {@code interval} while this instance holds {@code lease}, until
   * {@link #close}; each window of chains starts only when the lease is held for {@code window}
   * more (the time one window may take), so two instances do not settle a chain at once.
   */
  public synchronized void start(Duration interval, Lease lease, Duration window) {
    if (executor != null) {
      return;
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "chain-settler");
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(
        () -> settleSafely(lease, window),
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void settleSafely(Lease lease, Duration window) {
    try {
      settleOnce(lease, window);
    } catch (RuntimeException e) {
      failures.increment();
      // Retried at the next tick; the watermark did not move past the failed chains.
      LOG.warn("Settling chains failed, will retry: {}", e.toString(), e);
    }
  }

  /**
   * Settles every chain touched up to {@code now - idle} (or up to the oldest append still being
   * written, if that is earlier), window by window.
   *
   * @return how many chains were settled
   */
  public int settleOnce() {
    return settleOnce(Lease.ALWAYS, Duration.ZERO);
  }

  /** Like {@link #settleOnce()}, each window only while {@code lease} lasts {@code window} more. */
  int settleOnce(Lease lease, Duration window) {
    // Never past an append still being written: its chains would be passed over for good.
    Instant upTo = pipeline.committedUpTo(clock.instant().minus(idle));
    Instant watermark =
        pipeline
            .state(watermarkKey())
            .or(() -> shards == 1 ? Optional.empty() : pipeline.state(WATERMARK_KEY))
            .map(Instant::parse)
            .orElse(Instant.EPOCH);
    int total = 0;
    while (watermark.isBefore(upTo) && lease.heldFor(window)) {
      Instant windowEnd = upTo;
      List<ChainRef> refs = pipeline.chainsTouched(watermark, windowEnd, pageSize);
      if (refs.size() >= pageSize) {
        // A full page, oldest first: it holds every chain touched before its last store time,
        // but maybe not all of those touched at it, so the window ends just before that time.
        // One append can give thousands of chains one store time: if it fills the page, that
        // time is read whole. (Halving the window instead crept up on such a time a nanosecond
        // at a time, hundreds of reads per append.)
        Instant last = refs.get(refs.size() - 1).lastIngestedAt();
        if (refs.get(0).lastIngestedAt().equals(last)) {
          windowEnd = last;
          refs = pipeline.chainsTouched(watermark, windowEnd, Integer.MAX_VALUE);
        } else {
          windowEnd = last.minusNanos(1);
          refs = refs.stream().filter(r -> r.lastIngestedAt().isBefore(last)).toList();
        }
      }
      if (shards > 1) {
        refs = refs.stream().filter(r -> shardOf(r.traceId(), shards) == shard).toList();
      }
      if (!refs.isEmpty()) {
        long start = System.nanoTime();
        settle(refs);
        settleTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        total += refs.size();
        settled.increment(refs.size());
      }
      watermark = windowEnd;
      pipeline.saveState(watermarkKey(), watermark.toString());
    }
    return total;
  }

  /**
   * Rolls up and saves the chains project by project. A project or chain the store refuses for good
   * (a {@link StoreException} that is not retryable) or that cannot be rolled up is skipped,
   * counted and logged, so it stalls nothing else; a transient failure stops the round, and the
   * window is settled again at the next tick.
   */
  private void settle(List<ChainRef> refs) {
    Map<String, List<String>> byProject = new LinkedHashMap<>();
    for (ChainRef ref : refs) {
      byProject.computeIfAbsent(ref.project(), p -> new ArrayList<>()).add(ref.traceId());
    }
    for (Map.Entry<String, List<String>> e : byProject.entrySet()) {
      String project = e.getKey();
      Map<String, List<AgentSpan>> spans;
      try {
        spans = chains.chainSpans(project, e.getValue());
      } catch (StoreException ex) {
        if (ex.retryable()) {
          throw ex;
        }
        skip(project, e.getValue().size() + " chains", ex);
        continue;
      }
      List<SettledChain> settled = new ArrayList<>(spans.size());
      for (Map.Entry<String, List<AgentSpan>> chain : spans.entrySet()) {
        if (chain.getValue().isEmpty()) {
          continue;
        }
        try {
          settled.add(new SettledChain(chain.getValue(), ChainRollup.compute(chain.getValue())));
        } catch (RuntimeException ex) {
          skip(project, "chain " + chain.getKey(), ex);
        }
      }
      save(project, settled.stream().map(SettledChain::rollup).toList());
      for (ChainDerivation derivation : derivations) {
        derive(project, derivation, settled);
      }
    }
  }

  /**
   * Runs one derivation over a project's settled chains; if the store refuses them for good, chain
   * by chain, skipping the ones refused. A chain that cannot be derived (a bug, bad data) is
   * skipped the same way, so it stalls nothing else.
   */
  private void derive(String project, ChainDerivation derivation, List<SettledChain> settled) {
    if (settled.isEmpty()) {
      return;
    }
    try {
      derivation.derive(project, settled);
      return;
    } catch (StoreException ex) {
      if (ex.retryable()) {
        throw ex;
      }
    } catch (RuntimeException ex) {
      // fall through to chain by chain, to find the chain that fails
    }
    for (SettledChain chain : settled) {
      try {
        derivation.derive(project, List.of(chain));
      } catch (StoreException ex) {
        if (ex.retryable()) {
          throw ex;
        }
        skip(project, derivation.name() + " of chain " + chain.traceId(), ex);
      } catch (RuntimeException ex) {
        skip(project, derivation.name() + " of chain " + chain.traceId(), ex);
      }
    }
  }

  /** Saves a project's roll-ups at once; if the store refuses them for good, chain by chain. */
  private void save(String project, List<ChainRollupResult> results) {
    if (results.isEmpty()) {
      return;
    }
    try {
      pipeline.saveRollups(results);
      return;
    } catch (StoreException ex) {
      if (ex.retryable()) {
        throw ex;
      }
      if (results.size() == 1) {
        skip(project, "chain " + results.get(0).summary().traceId(), ex);
        return;
      }
    }
    for (ChainRollupResult result : results) {
      try {
        pipeline.saveRollups(List.of(result));
      } catch (StoreException ex) {
        if (ex.retryable()) {
          throw ex;
        }
        skip(project, "chain " + result.summary().traceId(), ex);
      }
    }
  }

  /** Counts a skipped project or chain; logs at most once a minute, with the count since. */
  private void skip(String project, String what, RuntimeException error) {
    skipped.increment();
    long since = skippedSinceLog.incrementAndGet();
    Instant now = clock.instant();
    Instant last = lastSkipLog;
    if (last == null || !now.isBefore(last.plus(SKIP_LOG_INTERVAL))) {
      lastSkipLog = now;
      skippedSinceLog.set(0);
      LOG.error(
          "Settling skipped {} of project {} ({} skipped since the last report): {}",
          what,
          project,
          since,
          error.toString(),
          error);
    }
  }

  /** Stops the background settling, waiting up to {@code timeout} for a round in progress. */
  public synchronized void close(Duration timeout) {
    if (executor == null) {
      return;
    }
    Executors2.stop(executor, timeout);
    executor = null;
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}

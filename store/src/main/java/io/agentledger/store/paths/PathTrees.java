package io.agentledger.store.paths;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds an agent's path tree from its path groups: every group's path is inserted into a prefix
 * tree whose nodes add up the groups below them (counts, sums and histograms merge exactly), then
 * branches whose share is below {@code minShare} are folded, per parent, into one {@value #OTHER}
 * branch. Comparing two versions folds both trees alike — a branch stays when it reaches {@code
 * minShare} in either — so every branch, {@value #OTHER} included, has its counterpart and a
 * meaningful share delta.
 */
public final class PathTrees {

  /** The step of a branch that holds the branches folded below {@code minShare}. */
  public static final String OTHER = "other";

  /** The deepest a tree goes: longer paths end in a {@value #MORE} step. */
  public static final int MAX_DEPTH = 64;

  /** The last step of a path cut at {@link #MAX_DEPTH}. */
  public static final String MORE = "…";

  private static final MathContext P95_DIGITS = new MathContext(6, RoundingMode.HALF_EVEN);

  private PathTrees() {}

  /**
   * The tree of one set of runs.
   *
   * @param rootStep the root's step, e.g. {@code agent:support}
   * @param groups the runs' path groups
   * @param minShare branches with a smaller share are folded into {@value #OTHER}; 0 folds none
   * @return the root
   */
  public static PathNode tree(String rootStep, List<PathGroup> groups, double minShare) {
    checkShare(minShare);
    Acc root = build(rootStep, groups);
    return emit(root, null, root.runs, 0, minShare, false, true);
  }

  /**
   * The trees of two sets of runs (two versions), folded alike, with share deltas.
   *
   * @param rootStep the roots' step
   * @param groups the path groups of the version asked for
   * @param compared the path groups of the version compared against
   * @param minShare branches below this share in both versions are folded into {@value #OTHER}
   * @return both trees
   */
  public static Comparison compare(
      String rootStep, List<PathGroup> groups, List<PathGroup> compared, double minShare) {
    checkShare(minShare);
    Acc a = build(rootStep, groups);
    Acc b = build(rootStep, compared);
    return new Comparison(
        emit(a, b, a.runs, b.runs, minShare, true, true),
        emit(b, a, b.runs, a.runs, minShare, true, false));
  }

  /**
   * Two versions' trees.
   *
   * @param tree the version asked for
   * @param compared the version compared against
   */
  public record Comparison(PathNode tree, PathNode compared) {}

  private static void checkShare(double minShare) {
    if (!(minShare >= 0 && minShare <= 1)) {
      throw new IllegalArgumentException("minShare must be within 0..1: " + minShare);
    }
  }

  private static Acc build(String rootStep, List<PathGroup> groups) {
    List<PathGroup> ordered = new ArrayList<>(groups);
    // Most runs first: nodes take their example chains from their most common continuations.
    ordered.sort(
        Comparator.comparingLong(PathGroup::runs)
            .reversed()
            .thenComparing(g -> String.join("\n", g.path())));
    Acc root = new Acc(rootStep);
    for (PathGroup g : ordered) {
      root.add(g);
      Acc node = root;
      for (String step : cut(g.path())) {
        node = node.children.computeIfAbsent(step, Acc::new);
        node.add(g);
      }
    }
    return root;
  }

  private static List<String> cut(List<String> path) {
    if (path.size() <= MAX_DEPTH) {
      return path;
    }
    List<String> out = new ArrayList<>(path.subList(0, MAX_DEPTH - 1));
    out.add(MORE);
    return out;
  }

  /**
   * The node for {@code self}; {@code twin} is the same branch in the other tree of a comparison
   * (null when it has none, or without a comparison).
   */
  private static PathNode emit(
      Acc self,
      @Nullable Acc twin,
      long total,
      long twinTotal,
      double minShare,
      boolean comparing,
      boolean primary) {
    double share = fraction(self.runs, total);
    Double delta = null;
    if (comparing) {
      double twinShare = twin == null ? 0 : fraction(twin.runs, twinTotal);
      delta = round(primary ? share - twinShare : twinShare - share);
    }
    Set<String> kept = new HashSet<>();
    self.children.forEach((step, c) -> keepIfShared(kept, step, c, total, minShare));
    if (twin != null) {
      twin.children.forEach((step, c) -> keepIfShared(kept, step, c, twinTotal, minShare));
    }
    List<PathNode> children = new ArrayList<>();
    Acc folded = new Acc(OTHER);
    for (Acc child : self.sortedChildren()) {
      if (kept.contains(child.step)) {
        Acc childTwin = twin == null ? null : twin.children.get(child.step);
        children.add(emit(child, childTwin, total, twinTotal, minShare, comparing, primary));
      } else {
        folded.merge(child);
      }
    }
    if (folded.runs > 0) {
      Acc foldedTwin = null;
      if (twin != null) {
        foldedTwin = new Acc(OTHER);
        for (Acc c : twin.sortedChildren()) {
          if (!kept.contains(c.step)) {
            foldedTwin.merge(c);
          }
        }
      }
      children.add(emit(folded, foldedTwin, total, twinTotal, minShare, comparing, primary));
    }
    return new PathNode(
        self.step,
        self.runs,
        round(share),
        new PathNode.Measure(mean(self.cost, self.runs, 12), p95(self.costHistogram, 12)),
        new PathNode.Measure(
            mean(BigDecimal.valueOf(self.duration), self.runs, 1), p95(self.durationHistogram, 1)),
        round(fraction(self.errorRuns, self.runs)),
        self.examples,
        delta,
        children);
  }

  private static void keepIfShared(
      Set<String> kept, String step, Acc child, long total, double minShare) {
    if (fraction(child.runs, total) >= minShare) {
      kept.add(step);
    }
  }

  private static double fraction(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }

  /** Shares and rates to four decimals: a hundredth of a percentage point. */
  private static double round(double v) {
    return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_EVEN).doubleValue();
  }

  private static BigDecimal mean(BigDecimal sum, long runs, int scale) {
    if (runs == 0) {
      return BigDecimal.ZERO;
    }
    return plain(sum.divide(BigDecimal.valueOf(runs), scale, RoundingMode.HALF_EVEN));
  }

  private static BigDecimal p95(LogHistogram h, int scale) {
    BigDecimal v = new BigDecimal(h.quantile(0.95), P95_DIGITS);
    return plain(v.setScale(Math.min(scale, Math.max(v.scale(), 0)), RoundingMode.HALF_EVEN));
  }

  private static BigDecimal plain(BigDecimal v) {
    BigDecimal s = v.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  /** A node while the tree is built: sums that merge exactly. */
  private static final class Acc {
    final String step;
    final Map<String, Acc> children = new LinkedHashMap<>();
    final List<String> examples = new ArrayList<>(PathGroup.EXAMPLES);
    long runs;
    long errorRuns;
    BigDecimal cost = BigDecimal.ZERO;
    long duration;
    LogHistogram costHistogram = LogHistogram.EMPTY;
    LogHistogram durationHistogram = LogHistogram.EMPTY;

    Acc(String step) {
      this.step = step;
    }

    void add(PathGroup g) {
      runs += g.runs();
      errorRuns += g.errorRuns();
      cost = cost.add(g.costUsd());
      duration += g.durationMs();
      costHistogram = costHistogram.merge(g.cost());
      durationHistogram = durationHistogram.merge(g.duration());
      addExamples(g.exampleTraceIds());
    }

    /** Adds another node's totals (not its children): folding. */
    void merge(Acc other) {
      runs += other.runs;
      errorRuns += other.errorRuns;
      cost = cost.add(other.cost);
      duration += other.duration;
      costHistogram = costHistogram.merge(other.costHistogram);
      durationHistogram = durationHistogram.merge(other.durationHistogram);
      addExamples(other.examples);
    }

    private void addExamples(List<String> traceIds) {
      for (String id : traceIds) {
        if (examples.size() >= PathGroup.EXAMPLES) {
          return;
        }
        if (!examples.contains(id)) {
          examples.add(id);
        }
      }
    }

    List<Acc> sortedChildren() {
      List<Acc> out = new ArrayList<>(children.values());
      out.sort(Comparator.comparingLong((Acc a) -> a.runs).reversed().thenComparing(a -> a.step));
      return out;
    }
  }
}

package io.agentledger.store.paths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathTreesTest {

  static final List<String> AB = List.of("llm:a", "tool:b");
  static final List<String> ACB = List.of("llm:a", "tool:c", "tool:b");
  static final List<String> AC3B = List.of("llm:a", "tool:c ×3", "tool:b");

  /** {@code runs} runs of the path, each costing {@code cost} and lasting {@code ms}. */
  static PathGroup group(
      List<String> path, int runs, int errorRuns, String cost, long ms, String id) {
    double[] costs = new double[runs];
    double[] durations = new double[runs];
    java.util.Arrays.fill(costs, Double.parseDouble(cost));
    java.util.Arrays.fill(durations, ms);
    return new PathGroup(
        path,
        runs,
        errorRuns,
        new BigDecimal(cost).multiply(BigDecimal.valueOf(runs)),
        ms * runs,
        LogHistogram.of(costs),
        LogHistogram.of(durations),
        List.of(id + "1", id + "2", id + "3"));
  }

  /** 70 % A→B at $0.10 and 1 s, 20 % A→C→B at $0.20 and 2 s, 10 % A→C×3→B at $0.50 and 5 s. */
  static List<PathGroup> workload() {
    return List.of(
        group(ACB, 20, 0, "0.20", 2000, "acb"),
        group(AB, 70, 0, "0.10", 1000, "ab"),
        group(AC3B, 10, 5, "0.50", 5000, "ac3b"));
  }

  @Test
  void groupsMerge_intoAPrefixTree_withSharesOfAllRuns() {
    PathNode root = PathTrees.tree("agent:support", workload(), 0);

    assertThat(root.step()).isEqualTo("agent:support");
    assertThat(root.runs()).isEqualTo(100);
    assertThat(root.share()).isEqualTo(1.0);
    assertThat(root.shareDelta()).isNull();
    // $7 + $4 + $5 over 100 runs; the 95th of 100 runs is one of the ten $0.50 runs.
    assertThat(root.costUsd().mean()).isEqualByComparingTo("0.16");
    assertThat(root.costUsd().p95()).isEqualByComparingTo("0.5");
    // 70 s + 40 s + 50 s over 100 runs.
    assertThat(root.durationMs().mean()).isEqualByComparingTo("1600");
    assertThat(root.durationMs().p95()).isEqualByComparingTo("5000");
    assertThat(root.errorRate()).isEqualTo(0.05);
    assertThat(root.exampleTraceIds())
        .as("from the most common path")
        .containsExactly("ab1", "ab2", "ab3");

    PathNode a = root.children().get(0);
    assertThat(root.children()).hasSize(1);
    assertThat(a.step()).isEqualTo("llm:a");
    assertThat(a.children())
        .extracting(PathNode::step, PathNode::runs, PathNode::share)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("tool:b", 70L, 0.7),
            org.assertj.core.groups.Tuple.tuple("tool:c", 20L, 0.2),
            org.assertj.core.groups.Tuple.tuple("tool:c ×3", 10L, 0.1));
    PathNode loop = a.child("tool:c ×3");
    assertThat(loop.errorRate()).isEqualTo(0.5);
    assertThat(loop.costUsd().mean()).isEqualByComparingTo("0.5");
    assertThat(loop.child("tool:b").runs()).isEqualTo(10);
    assertThat(a.child("tool:b").children()).as("a path ends there").isEmpty();
  }

  @Test
  void branchesBelowMinShare_foldIntoOneOtherBranch_perParent() {
    List<PathGroup> groups = new ArrayList<>(workload());
    groups.add(group(List.of("llm:a", "tool:d"), 4, 4, "1.00", 100, "d"));
    groups.add(group(List.of("llm:a", "tool:e"), 6, 0, "0", 100, "e"));

    PathNode a = PathTrees.tree("agent:support", groups, 0.15).children().get(0);

    // 110 runs: b 70, c 20 stay; c×3 10, e 6, d 4 (all under 16.5 runs) fold.
    assertThat(a.children())
        .extracting(PathNode::step)
        .containsExactly("tool:b", "tool:c", "other");
    PathNode other = a.child("other");
    assertThat(other.runs()).isEqualTo(20);
    assertThat(other.share()).isEqualTo(0.1818);
    assertThat(other.errorRate()).isEqualTo(0.45); // (5 + 4) / 20
    assertThat(other.costUsd().mean()).isEqualByComparingTo("0.45"); // ($5 + $4 + $0) / 20
    assertThat(other.children()).isEmpty();
    assertThat(other.exampleTraceIds()).containsExactly("ac3b1", "ac3b2", "ac3b3");
  }

  @Test
  void comparison_foldsBothTreesAlike_andGivesEachBranchTheSameShareDelta() {
    List<PathGroup> before =
        List.of(group(AB, 50, 0, "0.10", 1000, "old-ab"), group(ACB, 50, 0, "0.20", 2000, "old"));

    PathTrees.Comparison c = PathTrees.compare("agent:support", workload(), before, 0.15);

    PathNode now = c.tree().children().get(0);
    PathNode then = c.compared().children().get(0);
    assertThat(now.child("tool:b").shareDelta()).isEqualTo(0.2); // 70 % − 50 %
    assertThat(then.child("tool:b").shareDelta()).isEqualTo(0.2);
    assertThat(now.child("tool:c").shareDelta()).isEqualTo(-0.3); // 20 % − 50 %
    assertThat(then.child("tool:c").shareDelta()).isEqualTo(-0.3);
    // The loop is new and under 15 %: folded, and only this version has an "other".
    assertThat(now.child("other").runs()).isEqualTo(10);
    assertThat(now.child("other").shareDelta()).isEqualTo(0.1);
    assertThat(then.child("other")).isNull();
    assertThat(c.tree().shareDelta()).isEqualTo(0.0);
  }

  @Test
  void aBranchKeptInEitherVersion_isKeptInBoth() {
    List<PathGroup> before =
        List.of(group(AB, 80, 0, "0.1", 1, "x"), group(ACB, 20, 0, "0.1", 1, "y"));
    List<PathGroup> after =
        List.of(group(AB, 95, 0, "0.1", 1, "x"), group(ACB, 5, 0, "0.1", 1, "y"));

    PathTrees.Comparison c = PathTrees.compare("agent:x", after, before, 0.1);

    assertThat(c.tree().children().get(0).child("tool:c").share()).isEqualTo(0.05);
    assertThat(c.tree().children().get(0).child("tool:c").shareDelta()).isEqualTo(-0.15);
    assertThat(c.compared().children().get(0).child("tool:c").share()).isEqualTo(0.2);
  }

  @Test
  void noRuns_isAnEmptyRoot_andAnEmptyComparedVersionShowsTheWholeShift() {
    PathNode empty = PathTrees.tree("agent:x", List.of(), 0.01);
    assertThat(empty.runs()).isZero();
    assertThat(empty.share()).isZero();
    assertThat(empty.children()).isEmpty();
    assertThat(empty.costUsd().mean()).isEqualByComparingTo("0");

    PathTrees.Comparison c = PathTrees.compare("agent:x", workload(), List.of(), 0);
    assertThat(c.compared().runs()).isZero();
    assertThat(c.tree().children().get(0).child("tool:b").shareDelta()).isEqualTo(0.7);
  }

  @Test
  void longPaths_areCutAtMaxDepth() {
    List<String> path = new ArrayList<>(Collections.nCopies(100, "x"));
    for (int i = 0; i < path.size(); i++) {
      path.set(i, "tool:t" + i);
    }
    PathNode node = PathTrees.tree("agent:x", List.of(group(path, 1, 0, "1", 1, "t")), 0);
    int depth = 0;
    while (!node.children().isEmpty()) {
      node = node.children().get(0);
      depth++;
    }
    assertThat(depth).isEqualTo(PathTrees.MAX_DEPTH);
    assertThat(node.step()).isEqualTo(PathTrees.MORE);
  }

  @Test
  void minShare_outsideZeroToOne_isRefused() {
    assertThatThrownBy(() -> PathTrees.tree("agent:x", List.of(), 1.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PathTrees.tree("agent:x", List.of(), Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

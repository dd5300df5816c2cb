/**
 * Regressions in agents' runs: between an agent version and the one before it (Mann-Whitney U and
 * Kolmogorov-Smirnov, Fisher's exact test for the error rate, a bootstrap interval of the effect)
 * and at change points within one version (E-divisive with a permutation test), with
 * Benjamini-Hochberg across every test of a detection cycle and a minimum effect worth reporting.
 */
@NullMarked
package io.agentledger.analyzer.regress;

import org.jspecify.annotations.NullMarked;

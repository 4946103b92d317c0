package org.nke.exact;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nke.Kernels;
import org.nke.exact.ExactKernel.Kind;
import org.nke.testing.ReferenceCases;
import org.nke.testing.ReferenceCases.Case;

/**
 * The exact dense kernel at the numerical edges (issue 15 item 4), against reference values computed
 * by {@code tools/reference/numerics_edges.py} (scipy / mpmath; provenance in the resource files):
 * the self-kernel of a Gelu–Tanh network whose Tanh input variance reaches about 14 (diagonal through
 * the exact 1-D quadrature), and near-collinear points ({@code x, 3x, −2x, x + 1e−9 e}) through
 * bias-free Relu, Abs and LeakyRelu networks of depth 2–4 (the angle carried between layers). Every
 * entry, diagonal and off-diagonal, must be within {@link #RTOL} of its reference value.
 */
class ExactKernelEdgeTest {
  /** Relative tolerance on every entry (the goal). */
  static final double RTOL = 1e-10;

  static Stream<Case> largeVariance() {
    return ReferenceCases.read("large_variance.txt").stream();
  }

  static Stream<Case> collinear() {
    return ReferenceCases.read("collinear.txt").stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("largeVariance")
  void tanhAtLargeVarianceMatchesQuadratureOnEveryEntry(Case c) {
    assertEveryEntryClose(c);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("collinear")
  void nearCollinearReluFamilyMatchesFiftyDigitReference(Case c) {
    assertEveryEntryClose(c);
  }

  private static void assertEveryEntryClose(Case c) {
    KernelPair k = Kernels.of(c.arch()).withBackend("cpu").compute(c.points(), null, Kind.BOTH);
    double[][] nngp = k.nngp().toArray();
    double[][] ntk = k.ntk().toArray();
    String worst = worst("nngp", c.nngp(), nngp) + "; " + worst("ntk", c.ntk(), ntk);
    assertTrue(maxRelative(c.nngp(), nngp) <= RTOL && maxRelative(c.ntk(), ntk) <= RTOL,
        c.name() + ": " + worst);
  }

  /** {@code max |a − e| / |e|} over the entries (an exact 0 compares against its row's diagonal). */
  static double maxRelative(double[][] expected, double[][] actual) {
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected.length; j++) {
        worst = Math.max(worst, relative(expected, actual, i, j));
      }
    }
    return worst;
  }

  private static double relative(double[][] e, double[][] a, int i, int j) {
    double scale = e[i][j] != 0 ? Math.abs(e[i][j]) : Math.sqrt(Math.abs(e[i][i] * e[j][j]));
    double err = Math.abs(a[i][j] - e[i][j]) / scale;
    return Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
  }

  private static String worst(String what, double[][] e, double[][] a) {
    double diag = 0;
    double off = 0;
    for (int i = 0; i < e.length; i++) {
      for (int j = 0; j < e.length; j++) {
        if (i == j) {
          diag = Math.max(diag, relative(e, a, i, j));
        } else {
          off = Math.max(off, relative(e, a, i, j));
        }
      }
    }
    return String.format(Locale.ROOT, "%s worst relative error: diagonal %.2e, off-diagonal %.2e",
        what, diag, off);
  }
}

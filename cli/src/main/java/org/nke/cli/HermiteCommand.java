package org.nke.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nke.dual.DualActivation;
import org.nke.dual.DualCatalog;
import org.nke.hermite.HermiteSource;
import org.nke.sketch.SketchPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code nke hermite}: normalised Hermite coefficients of an activation and the truncation error. */
@Command(name = "hermite", mixinStandardHelpOptions = true,
    description = "Normalised Hermite coefficients c_k(a) = E[φ(a z) h_k(z)] of an activation and the "
        + "error of its truncated dual on [-1, 1].")
final class HermiteCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--act", required = true, paramLabel = "ACT", description = "Activation, e.g. Gelu or 'Erf(a=2)'.")
  String act;

  @Option(names = "--degree", defaultValue = "12", paramLabel = "Q", description = "Highest degree (default ${DEFAULT-VALUE}).")
  int degree;

  @Option(names = "--scale", defaultValue = "1", paramLabel = "A",
      description = "Pre-activation standard deviation a (default ${DEFAULT-VALUE}).")
  double scale;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (degree < 0 || degree > 200) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--degree must be in [0, 200], got " + degree);
    }
    if (!(scale > 0) || Double.isInfinite(scale)) {
      // at scale 0 the pre-activation is constant: E[φ²] - φ(0)² = 0 normalises every row to NaN
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--scale must be positive and finite, got " + scale);
    }
    DualActivation dual = DualCatalog.byName(act);
    HermiteSource src = SketchPlan.hermiteSource(dual);
    double[] c = src.coefficients(scale, degree, false, false);
    double[] d = src.coefficients(scale, degree, true, false);
    double k = scale * scale;
    double diag = dual.value(k, k, k);
    double ddiag = dual.derivative(k, k, k);
    out.println(String.format(Locale.ROOT, "%s at scale a = %s (variance %s)", dual.describe(),
        scale, k));
    out.println("   k        c_k(a)            c'_k(a)        tail Σ_{j>k} c_j² / E[φ²]");
    double partial = 0;
    for (int i = 0; i <= degree; i++) {
      partial += c[i] * c[i];
      out.println(String.format(Locale.ROOT, "%4d  %+.10e  %+.10e  %.3e", i, c[i], d[i],
          Math.max(0, diag - partial) / diag));
    }
    double[] folded = src.coefficients(scale, degree, false, true);
    double worst = 0;
    double worstFolded = 0;
    double worstDeriv = 0;
    for (int t = 0; t <= 200; t++) {
      double rho = -1 + t / 100.0;
      double exact = dual.value(k, k, rho * k);
      double dexact = dual.derivative(k, k, rho * k);
      worst = Math.max(worst, Math.abs(series(c, rho) - exact));
      worstFolded = Math.max(worstFolded, Math.abs(series(folded, rho) - exact));
      worstDeriv = Math.max(worstDeriv, Math.abs(series(d, rho) - dexact));
    }
    out.println(String.format(Locale.ROOT, "max over ρ in [-1, 1] of |Σ_{k≤%d} c_k² ρ^k − K(ρ)| / K(1): "
        + "%.3e truncated, %.3e with the tail folded onto degrees %d, %d", degree, worst / diag,
        worstFolded / diag, Math.max(0, degree - 1), degree));
    out.println(String.format(Locale.ROOT, "derivative dual: max |Σ c'_k² ρ^k − K̇(ρ)| / K̇(1): %.3e",
        ddiag == 0 ? 0 : worstDeriv / ddiag));
    return 0;
  }

  private static double series(double[] c, double rho) {
    double s = 0;
    for (int k = c.length - 1; k >= 0; k--) {
      s = s * rho + c[k] * c[k];
    }
    return s;
  }
}

package org.nke.cuda;

import java.util.Optional;
import org.nke.dual.ABReluDual;
import org.nke.dual.BoundDual;
import org.nke.dual.DualActivation;
import org.nke.dual.ErfDual;
import org.nke.dual.ExpDual;
import org.nke.dual.ExpNormalizedDual;
import org.nke.dual.GaussianDual;
import org.nke.dual.GeluDual;
import org.nke.dual.PolynomialDual;
import org.nke.dual.RbfDual;
import org.nke.dual.RectifiedMonomialDual;
import org.nke.dual.SeriesTables;
import org.nke.dual.SignDual;
import org.nke.dual.TrigDual;
import org.nke.spi.Precision;

/**
 * The dual maps on the device (mirror of the CPU's per-row loop in {@code CpuBackend.activation}):
 * picks the PTX entry for a {@link DualActivation}, precomputes its constants on the host with the
 * same expressions as the Java dual (so float64 results match the CPU bit for bit wherever no
 * transcendental function is involved) and uploads per-point tables for the series duals. Duals
 * without a device kernel are reported as such; the backend then falls back to the CPU.
 */
final class CudaDualOps {
  private final DualKernels kernels;

  CudaDualOps(DualKernels kernels) {
    this.kernels = kernels;
  }

  /**
   * @param dual a dual activation
   * @param bound its binding to the block's points
   * @return whether a device kernel exists for it
   */
  static boolean supported(DualActivation dual, BoundDual bound) {
    return dual instanceof ABReluDual || dual instanceof SignDual || dual instanceof ErfDual
        || dual instanceof GeluDual || dual instanceof TrigDual || dual instanceof RbfDual
        || dual instanceof ExpDual || dual instanceof GaussianDual || dual instanceof ExpNormalizedDual
        || dual instanceof RectifiedMonomialDual || dual instanceof PolynomialDual
        || bound.seriesTables().isPresent();
  }

  /**
   * Launches the dual map of a block.
   *
   * @param o the block's operands (variances already on the device)
   * @param dual the dual; {@link #supported} must hold
   * @param bound its binding (tables of series duals)
   * @param varX row variances, not modified
   * @param varY column variances, not modified
   * @param scratch owns the temporary tables
   */
  void apply(DualKernels.Pair o, DualActivation dual, BoundDual bound, double[] varX, double[] varY,
      DeviceUploads scratch) {
    Precision p = o.precision();
    if (dual instanceof ABReluDual d) {
      double a = d.a();
      double b = d.b();
      kernels.abrelu(o, (a - b) * (a - b) / (2 * Math.PI), (a * a + b * b) / 2);
    } else if (dual instanceof SignDual) {
      kernels.sign(o);
    } else if (dual instanceof ErfDual d) {
      double a = d.a();
      double c = d.c();
      double b2 = d.b() * d.b();
      kernels.erf(o, 2 * b2, a * a * (2 / Math.PI), c * c, a * a * b2 * (4 / Math.PI));
    } else if (dual instanceof GeluDual) {
      kernels.gelu(o);
    } else if (dual instanceof TrigDual d) {
      double b2 = d.b() * d.b();
      double halfA2 = d.a() * d.a() / 2;
      kernels.trig(o, b2, halfA2, Math.cos(2 * d.phase()), halfA2 * b2);
    } else if (dual instanceof RbfDual d) {
      kernels.rbf(o, d.gamma(), 2 * d.gamma());
    } else if (dual instanceof ExpDual d) {
      kernels.exp(o, d.a() * d.a(), d.b() * d.b());
    } else if (dual instanceof GaussianDual d) {
      double a = d.a();
      double b = d.b();
      kernels.gaussian(o, a * a, 2 * b, 4 * b * b, a * a * 4 * b * b);
    } else if (dual instanceof ExpNormalizedDual d) {
      kernels.expNormalized(o, d.gamma(), d.shift(), d.clip());
    } else if (dual instanceof RectifiedMonomialDual d) {
      rectifiedMonomial(o, d, scratch);
    } else if (dual instanceof PolynomialDual d) {
      polynomial(o, d, varX, varY, scratch);
    } else {
      Optional<SeriesTables> t = bound.seriesTables();
      if (t.isEmpty()) {
        throw new IllegalArgumentException("no device kernel for " + dual.describe());
      }
      hermiteSeries(o, t.get(), p, scratch);
    }
  }

  private void rectifiedMonomial(DualKernels.Pair o, RectifiedMonomialDual d, DeviceUploads scratch) {
    int n = d.degree();
    double[][] pq = d.angularPolynomials(n);
    double[][] pq1 = n > 0 ? d.angularPolynomials(n - 1) : new double[][] {{}, {}};
    double[] all = SeriesHost.concat(pq[0], pq[1], pq1[0], pq1[1]);
    DeviceBuffer coef = scratch.upload(all, o.precision(), "RectifiedMonomial coefficients");
    kernels.rectifiedMonomial(o, n, (double) n * n, coef, pq[0].length, pq[1].length,
        pq1[0].length, pq1[1].length);
  }

  private void polynomial(DualKernels.Pair o, PolynomialDual d, double[] varX, double[] varY,
      DeviceUploads scratch) {
    SeriesHost.Tables t = SeriesHost.polynomial(d, varX, varY, o.ntk() != null);
    launchSeries(o, t, false, null, scratch);
  }

  private void hermiteSeries(DualKernels.Pair o, SeriesTables s, Precision p, DeviceUploads scratch) {
    SeriesHost.Tables t = SeriesHost.hermite(s, o.rows(), o.cols(), o.ntk() != null);
    double[] bounds = SeriesHost.truncationBounds(s.stride(), s.logTolerance());
    launchSeries(o, t, true, scratch.upload(bounds, p, "series truncation table"), scratch);
  }

  private void launchSeries(DualKernels.Pair o, SeriesHost.Tables t, boolean clip, DeviceBuffer bounds,
      DeviceUploads scratch) {
    Precision p = o.precision();
    DeviceBuffer cx = scratch.upload(t.coefX(), p, "series coefficients (rows)");
    DeviceBuffer cy = scratch.upload(t.coefYT(), p, "series coefficients (columns)");
    DeviceBuffer dx = t.derivX() == null ? null : scratch.upload(t.derivX(), p, "derivative "
        + "coefficients (rows)");
    DeviceBuffer dy = t.derivYT() == null ? null : scratch.upload(t.derivYT(), p, "derivative "
        + "coefficients (columns)");
    DeviceBuffer w = t.weights() == null ? null : scratch.upload(t.weights(), p, "derivative weights");
    DeviceBuffer ix = scratch.upload(t.invX(), p, "series scales (rows)");
    DeviceBuffer iy = scratch.upload(t.invY(), p, "series scales (columns)");
    kernels.series(o, new DualKernels.Series(t.stride(), cx, cy, dx, dy, w, ix, iy, clip, bounds));
  }
}

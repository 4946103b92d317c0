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

  /** A dual map ready to launch: constants computed, tables uploaded. */
  @FunctionalInterface
  interface Prepared {
    /** @param o the operands (variances and, for a batch of pixel blocks, the index table) */
    void launch(DualKernels.Pair o);
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
    prepare(dual, bound, varX, varY, o.precision(), o.ntk() != null, scratch).launch(o);
  }

  /**
   * Computes a dual's constants and uploads its tables once, for launches on any blocks whose points
   * are those of {@code varX} (rows) and {@code varY} (columns), e.g. every batch of a CNTK tile.
   *
   * @param dual the dual; {@link #supported} must hold
   * @param bound its binding to {@code varX}, {@code varY}
   * @param varX row points' variances, not modified
   * @param varY column points' variances, not modified
   * @param p precision
   * @param withNtk whether the blocks carry Θ (derivative tables are needed)
   * @param uploads owns the tables
   * @return the launcher
   */
  Prepared prepare(DualActivation dual, BoundDual bound, double[] varX, double[] varY, Precision p,
      boolean withNtk, DeviceUploads uploads) {
    if (dual instanceof ABReluDual d) {
      double a = d.a();
      double b = d.b();
      double factor = (a - b) * (a - b) / (2 * Math.PI);
      double base = (a * a + b * b) / 2;
      return o -> kernels.abrelu(o, factor, base);
    } else if (dual instanceof SignDual) {
      return kernels::sign;
    } else if (dual instanceof ErfDual d) {
      double a = d.a();
      double c = d.c();
      double b2 = d.b() * d.b();
      return o -> kernels.erf(o, 2 * b2, a * a * (2 / Math.PI), c * c, a * a * b2 * (4 / Math.PI));
    } else if (dual instanceof GeluDual) {
      return kernels::gelu;
    } else if (dual instanceof TrigDual d) {
      double b2 = d.b() * d.b();
      double halfA2 = d.a() * d.a() / 2;
      double cos2c = Math.cos(2 * d.phase());
      return o -> kernels.trig(o, b2, halfA2, cos2c, halfA2 * b2);
    } else if (dual instanceof RbfDual d) {
      return o -> kernels.rbf(o, d.gamma(), 2 * d.gamma());
    } else if (dual instanceof ExpDual d) {
      return o -> kernels.exp(o, d.a() * d.a(), d.b() * d.b());
    } else if (dual instanceof GaussianDual d) {
      double a = d.a();
      double b = d.b();
      return o -> kernels.gaussian(o, a * a, 2 * b, 4 * b * b, a * a * 4 * b * b);
    } else if (dual instanceof ExpNormalizedDual d) {
      return o -> kernels.expNormalized(o, d.gamma(), d.shift(), d.clip());
    } else if (dual instanceof RectifiedMonomialDual d) {
      return rectifiedMonomial(d, p, uploads);
    } else if (dual instanceof PolynomialDual d) {
      SeriesHost.Tables t = SeriesHost.polynomial(d, varX, varY, withNtk);
      return series(t, false, null, p, uploads);
    }
    Optional<SeriesTables> t = bound.seriesTables();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("no device kernel for " + dual.describe());
    }
    SeriesTables s = t.get();
    SeriesHost.Tables tables = SeriesHost.hermite(s, varX.length, varY.length, withNtk);
    double[] bounds = SeriesHost.truncationBounds(s.stride(), s.logTolerance());
    return series(tables, true, uploads.upload(bounds, p, "series truncation table"), p, uploads);
  }

  private Prepared rectifiedMonomial(RectifiedMonomialDual d, Precision p, DeviceUploads uploads) {
    int n = d.degree();
    double[][] pq = d.angularPolynomials(n);
    double[][] pq1 = n > 0 ? d.angularPolynomials(n - 1) : new double[][] {{}, {}};
    double[] all = SeriesHost.concat(pq[0], pq[1], pq1[0], pq1[1]);
    DeviceBuffer coef = uploads.upload(all, p, "RectifiedMonomial coefficients");
    return o -> kernels.rectifiedMonomial(o, n, (double) n * n, coef, pq[0].length, pq[1].length,
        pq1[0].length, pq1[1].length);
  }

  private Prepared series(SeriesHost.Tables t, boolean clip, DeviceBuffer bounds, Precision p,
      DeviceUploads uploads) {
    DeviceBuffer cx = uploads.upload(t.coefX(), p, "series coefficients (rows)");
    DeviceBuffer cy = uploads.upload(t.coefYT(), p, "series coefficients (columns)");
    DeviceBuffer dx = t.derivX() == null ? null : uploads.upload(t.derivX(), p, "derivative "
        + "coefficients (rows)");
    DeviceBuffer dy = t.derivYT() == null ? null : uploads.upload(t.derivYT(), p, "derivative "
        + "coefficients (columns)");
    DeviceBuffer w = t.weights() == null ? null : uploads.upload(t.weights(), p, "derivative weights");
    DeviceBuffer ix = uploads.upload(t.invX(), p, "series scales (rows)");
    DeviceBuffer iy = uploads.upload(t.invY(), p, "series scales (columns)");
    DualKernels.Series s = new DualKernels.Series(t.stride(), cx, cy, dx, dy, w, ix, iy, clip, bounds);
    return o -> kernels.series(o, s);
  }
}

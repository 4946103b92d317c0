package org.nke.cuda;

import org.nke.sketch.ActivationSketch;
import org.nke.sketch.LinearSketch;
import org.nke.sketch.PolySketch;
import org.nke.sketch.Srht;
import org.nke.sketch.TensorSrht;
import org.nke.spi.Precision;

/**
 * One {@link ActivationSketch} on the device: its random draws (signs, sampled frequencies) uploaded
 * once, and {@link #apply} mirroring {@code ActivationSketch.apply} for a batch of points, step for
 * step: the unit directions {@code u}, degree 0, degree 1 (exact or {@link LinearSketch}), the
 * {@link PolySketch} trees of degrees ≥ 2 (leaf SRHTs of {@code u} in one batched FFT, TensorSRHT
 * products, complex SRHTs of inner nodes), each degree scaled by the point's coefficient, and the NTK
 * product {@code TS(Φ_Θ ⊗ Φ_K̇)}. The draws belong to the arena given at construction.
 */
final class SketchLayer {
  private final ActivationSketch sketch;
  private final DeviceRuntime rt;
  private final SrhtKernels k;
  private final Precision p;
  private final DeviceArena draws;
  private final DeviceBuffer[] leafSigns;
  private final Transform linear;
  private final DeviceBuffer linearFreq;
  private final Transform theta;
  private final Transform deriv;
  private final Product thetaProduct;
  private final Node[] roots;

  /** An SRHT's signs on the device. */
  private record Transform(Srht srht, DeviceBuffer signs) {
  }

  /** A TensorSRHT's frequencies on the device. */
  private record Product(TensorSrht ts, DeviceBuffer left, DeviceBuffer right) {
  }

  /** A PolySketch tree node with its draws on the device (leaf ≥ 0: a leaf transform of u). */
  private record Node(int leaf, Node left, Node right, Transform leftT, Transform rightT,
      Product product) {
  }

  /**
   * @param sketch the layer
   * @param rt the device
   * @param kernels the launchers
   * @param p precision of the features
   * @param draws owns the uploaded draws
   */
  SketchLayer(ActivationSketch sketch, DeviceRuntime rt, SrhtKernels kernels, Precision p,
      DeviceArena draws) {
    this.sketch = sketch;
    this.rt = rt;
    this.k = kernels;
    this.p = p;
    this.draws = draws;
    PolySketch poly = sketch.poly();
    leafSigns = new DeviceBuffer[poly.usedLeaves()];
    for (int j = 0; j < leafSigns.length; j++) {
      leafSigns[j] = draws.upload(poly.leaf(j).signs(), p, "PolySketch leaf signs");
    }
    LinearSketch lin = sketch.linear();
    linear = lin == null ? null : transform(lin.transform());
    linearFreq = lin == null ? null : ints(lin.frequencies());
    theta = sketch.thetaTransform() == null ? null : transform(sketch.thetaTransform());
    deriv = sketch.derivTransform() == null ? null : transform(sketch.derivTransform());
    thetaProduct = sketch.thetaProduct() == null ? null : product(sketch.thetaProduct());
    roots = new Node[sketch.degree() + 1];
    for (int deg = 2; deg <= sketch.degree(); deg++) {
      PolySketch.TreeNode root = poly.tree(deg);
      roots[deg] = root == null ? null : node(root);
    }
  }

  private Node node(PolySketch.TreeNode t) {
    if (t.leaf() >= 0) {
      return new Node(t.leaf(), null, null, null, null, null);
    }
    return new Node(-1, node(t.left()), node(t.right()), t.leftTransform() == null ? null
        : transform(t.leftTransform()), t.rightTransform() == null ? null
        : transform(t.rightTransform()), product(t.product()));
  }

  private Transform transform(Srht s) {
    return new Transform(s, draws.upload(s.signs(), p, "SRHT signs"));
  }

  private DeviceBuffer ints(int[] v) {
    DeviceBuffer b = draws.allocate(4L * Math.max(v.length, 1), "sampled frequencies");
    rt.copyIn(b, v);
    return b;
  }

  private Product product(TensorSrht ts) {
    return new Product(ts, ints(ts.left()), ints(ts.right()));
  }

  /**
   * Device memory one point needs while a layer runs (its input, outputs and scratch), for batch
   * sizing.
   *
   * @param s the layer
   * @param dK length of the incoming NNGP features
   * @param p precision of the features
   * @return bytes per point
   */
  static long bytesPerPoint(ActivationSketch s, int dK, Precision p) {
    long n = s.poly().usedLeaves() > 0 ? s.poly().leaf(0).size() : 0;
    long leaves = s.poly().usedLeaves();
    long nt = s.thetaTransform() == null ? 0 : s.thetaTransform().size();
    long nd = s.derivTransform() == null ? 0 : s.derivTransform().size();
    long lin = s.linear() == null ? 0 : s.linear().transform().size();
    long values = 3L * dK + s.thetaInputDim() + 3L * s.outputDim() + 2L * s.thetaOutputDim()
        + 3 * leaves * (n + 2) + 3 * (lin + 2) + 3 * (nt + nd + 4) + 8L * s.outputDim();
    return values * p.bytes() + 16L * (s.degree() + 1);
  }

  /**
   * @param s the layer
   * @return the most values one point contributes to one batched FFT of the layer
   */
  static long fftPerPoint(ActivationSketch s) {
    long n = s.poly().usedLeaves() > 0 ? s.poly().leaf(0).size() : 0;
    long nt = s.thetaTransform() == null ? 0 : s.thetaTransform().size();
    long nd = s.derivTransform() == null ? 0 : s.derivTransform().size();
    return Math.max(s.poly().usedLeaves() * n, Math.max(nt, nd));
  }

  /** @return the layer */
  ActivationSketch sketch() {
    return sketch;
  }

  private DeviceBuffer rows(DeviceArena a, long points, long len, String what) {
    return a.allocate(Math.max(1, points * len) * p.bytes(), what);
  }

  private DeviceBuffer complex(DeviceArena a, long points, long len, String what) {
    return a.allocate(Math.max(1, points * len) * 2 * p.bytes(), what);
  }

  private DeviceBuffer at(DeviceBuffer b, long elements) {
    return b.slice(elements * p.bytes(), b.bytes() - elements * p.bytes());
  }

  private SrhtKernels.Spectrum realSpectrum(Transform t, SrhtKernels.Rows src, int points,
      DeviceArena a) {
    return realSpectrum(rt, k, p, t.srht(), t.signs(), src, points, a);
  }

  /**
   * The SRHT of real rows ({@link Srht#transform}): signs, padding, batched R2C.
   *
   * @param rt the device
   * @param k the launchers
   * @param p precision of the rows and the signs
   * @param srht the transform (real input)
   * @param signs its signs on the device
   * @param src the rows, {@code srht.dim()} values each
   * @param points rows
   * @param a owns the spectra
   * @return half spectra, {@code n/2 + 1} complex per point, owned by {@code a}
   */
  static SrhtKernels.Spectrum realSpectrum(DeviceRuntime rt, SrhtKernels k, Precision p, Srht srht,
      DeviceBuffer signs, SrhtKernels.Rows src, int points, DeviceArena a) {
    int n = srht.size();
    DeviceBuffer in = a.allocate(Math.max(1L, (long) points * n) * p.bytes(), "SRHT input");
    k.signs(p, new SrhtKernels.Rows(in, n), src, srht.dim(), n, false, signs, points);
    DeviceBuffer out = a.allocate(Math.max(1L, (long) points * (n / 2 + 1)) * 2 * p.bytes(),
        "SRHT spectra");
    rt.fft(p, true, n, points, in, out);
    in.close();
    return new SrhtKernels.Spectrum(out, n / 2 + 1, n, true);
  }

  /**
   * Maps a batch of points through the layer.
   *
   * @param phiK incoming NNGP features, {@code points × inputDim}, contiguous
   * @param phiT incoming NTK features, {@code points × thetaInputDim}, or {@code null}
   * @param c coefficients of φ per point, float64 {@code points × (q + 1)}
   * @param d coefficients of φ' per point, or {@code null} (NNGP only)
   * @param points points
   * @param out owns the outputs
   * @return {@code {Φ_K', Φ_Θ'}} ({@code Φ_Θ'} null without the NTK), contiguous rows
   */
  DeviceBuffer[] apply(DeviceBuffer phiK, DeviceBuffer phiT, DeviceBuffer c, DeviceBuffer d,
      int points, DeviceArena out) {
    return apply(phiK, phiT, c, d, points, out, false);
  }

  /**
   * As {@link #apply(DeviceBuffer, DeviceBuffer, DeviceBuffer, DeviceBuffer, int, DeviceArena)},
   * optionally with the NNGP features' constant (degree-0) column moved last,
   * {@code [Φ_1 … Φ_{d−1}, Φ_0]}: the layout of the CNTK sketch's pixel features, whose next patch
   * keeps that heavy coordinate exact ({@code PixelFeatures.heavyLast}). The derivative features
   * keep the plain order (the NTK product reads them).
   *
   * @param phiK incoming NNGP features
   * @param phiT incoming NTK features, or {@code null}
   * @param c coefficients of φ per point
   * @param d coefficients of φ' per point, or {@code null}
   * @param points points
   * @param out owns the outputs
   * @param constantLast write the degree-0 feature in the last column
   * @return {@code {Φ_K', Φ_Θ'}}
   */
  DeviceBuffer[] apply(DeviceBuffer phiK, DeviceBuffer phiT, DeviceBuffer c, DeviceBuffer d,
      int points, DeviceArena out, boolean constantLast) {
    int dim = sketch.inputDim();
    int q = sketch.degree();
    int width = sketch.outputDim();
    boolean ntk = phiT != null && thetaProduct != null;
    DeviceBuffer kOut = rows(out, points, width, "NNGP features");
    DeviceBuffer kd;
    try (DeviceArena scratch = new DeviceArena(rt)) {
      kd = ntk ? rows(scratch, points, width, "derivative features") : null;
      DeviceBuffer u = rows(scratch, points, dim, "unit directions");
      k.normalize(p, phiK, u, dim, points);
      SrhtKernels.Rows uRows = new SrhtKernels.Rows(u, dim);
      SrhtKernels.Coefficients coef = new SrhtKernels.Coefficients(c, d, q + 1, 0);
      // degree 0: k[0] = c_0 (a constant feature), or k[width - 1] with constantLast
      int shift = constantLast ? 1 : 0;
      k.scale(p, new SrhtKernels.Rows(at(kOut, constantLast ? width - 1L : 0), width), null, 1, points,
          coef, 1);
      if (ntk) {
        k.scale(p, new SrhtKernels.Rows(kd, width), null, 1, points, withTable(coef, d, 0), 1);
      }
      int at = 1;
      if (q >= 1) {
        at += degreeOne(uRows, at(kOut, 1L - shift), kd, width, coef, points, scratch);
      }
      PolySketch poly = sketch.poly();
      if (leafSigns.length > 0) {
        int n = poly.leaf(0).size();
        int leaves = leafSigns.length;
        DeviceBuffer in = rows(scratch, (long) points * leaves, n, "PolySketch leaf inputs");
        for (int j = 0; j < leaves; j++) {
          k.signs(p, new SrhtKernels.Rows(at(in, (long) j * n), leaves * n), uRows, dim, n, false,
              leafSigns[j], points);
        }
        int h = n / 2 + 1;
        DeviceBuffer spec = complex(scratch, (long) points * leaves, h, "PolySketch leaf spectra");
        rt.fft(p, true, n, points * leaves, in, spec);
        in.close();
        for (int deg = 2; deg <= q; deg++) {
          Node root = roots[deg];
          if (root == null) {
            continue;
          }
          SrhtKernels.Rows o1 = new SrhtKernels.Rows(at(kOut, at - shift), width);
          SrhtKernels.Rows o2 = ntk ? new SrhtKernels.Rows(at(kd, at), width) : null;
          evaluate(root, o1, o2, new SrhtKernels.Coefficients(c, ntk ? d : null, q + 1, deg), spec,
              leaves, n, points);
          at += 2 * root.product().ts().outputs();
        }
      }
      if (!ntk) {
        // the scratch arena is freed on return: no kernel may still be reading it
        rt.synchronize("the sketch layer");
        return new DeviceBuffer[] {kOut, null};
      }
      SrhtKernels.Spectrum x = realSpectrum(theta, new SrhtKernels.Rows(phiT,
          sketch.thetaInputDim()), points, scratch);
      SrhtKernels.Spectrum y = realSpectrum(deriv, new SrhtKernels.Rows(kd, width), points, scratch);
      int m = thetaProduct.ts().outputs();
      DeviceBuffer t = rows(out, points, 2L * m, "NTK features");
      k.product(p, new SrhtKernels.Rows(t, 2 * m), null, x, y, thetaProduct.left(),
          thetaProduct.right(), m, thetaProduct.ts().scale(), SrhtKernels.Coefficients.NONE, points);
      rt.synchronize("the sketch layer");
      return new DeviceBuffer[] {kOut, t};
    }
  }

  private static SrhtKernels.Coefficients withTable(SrhtKernels.Coefficients c, DeviceBuffer table,
      int index) {
    return new SrhtKernels.Coefficients(table, null, c.stride(), index);
  }

  /**
   * Degree 1 into {@code kOut} (already at its first column) and columns {@code 1 …} of {@code kd};
   * returns its width.
   */
  private int degreeOne(SrhtKernels.Rows u, DeviceBuffer kOut, DeviceBuffer kd, int width,
      SrhtKernels.Coefficients coef, int points, DeviceArena scratch) {
    int dim = sketch.inputDim();
    if (sketch.exactLinear()) {
      k.scale(p, new SrhtKernels.Rows(kOut, width), u, dim, points, withTable(coef,
          coef.table(), 1), 1);
      if (kd != null) {
        k.scale(p, new SrhtKernels.Rows(at(kd, 1), width), u, dim, points, withTable(coef,
            coef.table2(), 1), 1);
      }
      return dim;
    }
    if (linear == null) {
      return 0;
    }
    LinearSketch lin = sketch.linear();
    SrhtKernels.Spectrum x = realSpectrum(linear, u, points, scratch);
    k.linear(p, new SrhtKernels.Rows(kOut, width), kd == null ? null
        : new SrhtKernels.Rows(at(kd, 1), width), x, linearFreq, lin.outputs() / 2, lin.scale(),
        new SrhtKernels.Coefficients(coef.table(), kd == null ? null : coef.table2(), coef.stride(), 1),
        points);
    return lin.outputs();
  }

  /** TensorSRHT node into the given rows (root: scaled by the degree's coefficients). */
  private void evaluate(Node node, SrhtKernels.Rows out, SrhtKernels.Rows out2,
      SrhtKernels.Coefficients coef, DeviceBuffer leafSpec, int leaves, int n, int points) {
    try (DeviceArena tmp = new DeviceArena(rt)) {
      SrhtKernels.Spectrum x = spectrum(node.left(), node.leftT(), leafSpec, leaves, n, points, tmp);
      SrhtKernels.Spectrum y = spectrum(node.right(), node.rightT(), leafSpec, leaves, n, points, tmp);
      Product pr = node.product();
      k.product(p, out, out2, x, y, pr.left(), pr.right(), pr.ts().outputs(), pr.ts().scale(), coef,
          points);
      rt.synchronize("a PolySketch node");
    }
  }

  private SrhtKernels.Spectrum spectrum(Node child, Transform transform, DeviceBuffer leafSpec,
      int leaves, int n, int points, DeviceArena tmp) {
    int h = n / 2 + 1;
    if (child.leaf() >= 0) {
      long off = (long) child.leaf() * h * 2 * p.bytes();
      return new SrhtKernels.Spectrum(leafSpec.slice(off, leafSpec.bytes() - off), leaves * h, n,
          true);
    }
    int m = child.product().ts().outputs();
    DeviceBuffer values = rows(tmp, points, 2L * m, "PolySketch node");
    evaluate(child, new SrhtKernels.Rows(values, 2 * m), null, SrhtKernels.Coefficients.NONE, leafSpec,
        leaves, n, points);
    int size = transform.srht().size();
    DeviceBuffer spec = complex(tmp, points, size, "PolySketch node spectra");
    k.signs(p, new SrhtKernels.Rows(spec, 2 * size), new SrhtKernels.Rows(values, 2 * m), m, size,
        true, transform.signs(), points);
    rt.fft(p, false, size, points, spec, spec);
    return new SrhtKernels.Spectrum(spec, size, size, false);
  }
}

package org.nke.sketch;

import org.nke.arch.Architecture;
import org.nke.io.SparseMatrix;

/**
 * Embedding of the NNGP or NTK of a bias-free network with homogeneous activations in near
 * input-sparsity time (Han et al. 2022, §5, after Ahle et al. 2020 and Woodruff &amp; Zandieh 2020). With
 * the kernel's power series {@code Σ_i c_i ρ^i} ({@link HomogeneousSeries}, folded at degree {@code q}
 * so that it is exact on the diagonal) and {@code x̂ = x/‖x‖},
 *
 * <pre>{@code Φ(x) = (‖x‖²/d)^{h/2} · [ √c_0, √c_1 S_1(x̂), √c_2 S_2(x̂^{⊗2}), …, √c_q S_q(x̂^{⊗q}) ]}</pre>
 *
 * where {@code S_1} is a CountSketch and {@code S_k} a {@link PolySketch} whose leaves are independent
 * CountSketches of {@code x̂}: the first stage costs {@code O(q·nnz(x))}, the rest
 * {@code O(q m log m)} whatever the input dimension. No data is needed to build it (the kernel is
 * scale-free up to {@code ‖x‖^h}), so the plan depends only on the architecture, {@code d}, the budget
 * and the seed. The degree is the smallest whose series tail is below {@link #DEFAULT_TAIL} (relative
 * to the diagonal) and degree {@code i} gets a width proportional to {@code c_i^{2/3}}, which minimises
 * the summed spectral error {@code Σ_i c_i √(n/m_i)} of the blocks.
 *
 * <p>Measured accuracy: {@code Φ Φᵀ + λI} is a {@code (1 ± ε)} spectral approximation of
 * {@code K + λI} with {@code ε ≈ 2–3 √(s_λ/m')} (NNGP) and {@code 3–4.5 √(s_λ/m')} (NTK) for
 * {@code m'} features and the statistical dimension {@code s_λ = tr(K (K + λI)^{−1})} (sparse
 * topical data, several seeds): {@code m' ≥ 25 s_λ/ε²} features give {@code ε}, where a Gaussian
 * projection of an exact factor needs about {@code 4 s_λ/ε²}.
 */
public final class SubspaceEmbedding {
  /** Degree of the internal power-series arithmetic. */
  static final int SERIES_DEGREE = 96;
  /** Largest automatic degree. */
  static final int MAX_DEGREE = 20;
  /**
   * Relative series tail left to the folded top degrees when the degree is automatic. Low degrees
   * concentrate the budget: measured on sparse data, q = 4–8 keeps the spectral error at about
   * {@code 2 √(s_λ/m')} (a Gaussian projection's rate), while q = 20 (tail 1e−3) doubles it; the
   * folding bias of a pair is at most the tail times {@code |ρ|^{q−1}}.
   */
  public static final double DEFAULT_TAIL = 2e-2;

  private final int inputDim;
  private final int homogeneity;
  private final double[] coef;
  private final int degree;
  private final CountSketch linear;
  private final CountSketch[] leaves;
  private final PolySketch poly;
  private final int outputDim;

  private SubspaceEmbedding(int inputDim, int homogeneity, double[] coef, CountSketch linear,
      CountSketch[] leaves, PolySketch poly, int outputDim) {
    this.inputDim = inputDim;
    this.homogeneity = homogeneity;
    this.coef = coef;
    this.degree = coef.length - 1;
    this.linear = linear;
    this.leaves = leaves;
    this.poly = poly;
    this.outputDim = outputDim;
  }

  /**
   * @return the smallest even dimension above {@code tooSmall} whose layout fits (the layout fits
   *     from some dimension on: doubling finds one, bisection the first)
   */
  static int minimumDim(double[] share, int factor, int tooSmall) {
    int lo = tooSmall;
    int hi = tooSmall;
    while (!fits(share, factor * hi) && hi < (1 << 24)) {
      lo = hi;
      hi *= 2;
    }
    while (hi - lo > 2) {
      int mid = (lo + hi) / 2 & ~1;
      if (fits(share, factor * mid)) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return hi;
  }

  private static boolean fits(double[] share, int budget) {
    try {
      BlockLayout.allocate(share, Integer.MAX_VALUE, budget, Integer.MAX_VALUE);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Widths ∝ {@code c_k^{2/3}}: the spectral error of block k is about {@code c_k √(n/m_k)};
   * minimising {@code Σ_k c_k/√m_k} under {@code Σ_k m_k = m} gives {@code m_k ∝ c_k^{2/3}}.
   */
  private static double[] shares(double[] c) {
    double[] share = new double[c.length];
    for (int i = 0; i < c.length; i++) {
      share[i] = Math.pow(c[i], 2.0 / 3);
    }
    return share;
  }

  /**
   * @param arch a bias-free network with homogeneous activations
   * @param inputDim {@code d}
   * @param options kind and degree (0: automatic) as for {@link #build}
   * @return the smallest {@code --dim} at least {@code options.dim()} whose blocks all fit (each of
   *     the degree's polynomial blocks needs {@link BlockLayout#MIN_WIDTH} features)
   */
  public static int smallestDim(Architecture arch, int inputDim, SketchOptions options) {
    HomogeneousSeries series = HomogeneousSeries.of(arch, inputDim, SERIES_DEGREE);
    double[] full = options.ntk() ? series.ntk() : series.nngp();
    int q = options.degree() > 0 ? options.degree() : degreeFor(full, DEFAULT_TAIL);
    double[] share = shares(refold(full, q));
    int factor = options.ntk() ? 2 : 1;
    return fits(share, factor * options.dim()) ? options.dim()
        : minimumDim(share, factor, options.dim());
  }

  /** The block widths, or a usage error naming the smallest {@code --dim} that fits degree q. */
  private static BlockLayout layout(double[] share, SketchOptions options, int q) {
    int factor = options.ntk() ? 2 : 1;
    try {
      return BlockLayout.allocate(share, Integer.MAX_VALUE, factor * options.dim(),
          Integer.MAX_VALUE);
    } catch (IllegalArgumentException e) {
      int m = minimumDim(share, factor, options.dim());
      throw new org.nke.error.NkeException("--dim " + options.dim() + " is too small for the "
          + "subspace embedding of degree " + q + " (each of its polynomial blocks needs at least "
          + BlockLayout.MIN_WIDTH + " features): use --dim " + m + " or more, or a lower --degree",
          2, e);
    }
  }

  /**
   * @param arch a bias-free network with homogeneous activations
   * @param inputDim {@code d}
   * @param options budget (NNGP at most {@code m}, NTK at most {@code 2m} features), seed, kind,
   *     degree (0: the smallest whose tail is below {@link #DEFAULT_TAIL})
   * @return the embedding
   */
  public static SubspaceEmbedding build(Architecture arch, int inputDim, SketchOptions options) {
    // each point's embedding and the tensor products it is built from: a few vectors of the budget
    options.checkFits("a subspace embedding (features of two points, twice)",
        4.0 * (options.ntk() ? 2 : 1) * options.dim());
    HomogeneousSeries series = HomogeneousSeries.of(arch, inputDim, SERIES_DEGREE);
    double[] full = options.ntk() ? series.ntk() : series.nngp();
    int q = options.degree() > 0 ? options.degree() : degreeFor(full, DEFAULT_TAIL);
    double[] c = refold(full, q);
    double[] share = shares(c);
    // the CountSketches hold a bucket (int) and a sign bit per input coordinate and leaf
    long tables = (long) (q + 1) * inputDim * (Integer.BYTES + 1);
    long free = Runtime.getRuntime().maxMemory() - (Runtime.getRuntime().totalMemory()
        - Runtime.getRuntime().freeMemory());
    if (tables > free / 2) {
      throw new org.nke.error.ResourceLimitException("the subspace embedding's CountSketch tables "
          + "for dimension " + inputDim + " and degree " + q, tables, free / 2, "check the largest "
          + "feature index of the input (it sets the dimension), lower --degree, or raise -Xmx");
    }
    BlockLayout layout = layout(share, options, q);
    long seed = options.seed();
    CountSketch lin = layout.linearWidth() > 0
        ? new CountSketch(inputDim, layout.linearWidth(), SketchRandom.derive(seed, 0, 1)) : null;
    int widest = 0;
    for (int k = 2; k <= q; k++) {
      widest = Math.max(widest, layout.polyWidths()[k]);
    }
    int leafDim = Fft.ceilPow2(Math.max(64, 2 * widest));
    CountSketch[] leaves = new CountSketch[widest > 0 ? q : 0];
    for (int j = 0; j < leaves.length; j++) {
      leaves[j] = new CountSketch(inputDim, leafDim, SketchRandom.derive(seed, 0, 2, j));
    }
    PolySketch poly = new PolySketch(leafDim, layout.polyWidths(), seed, 0, 3);
    return new SubspaceEmbedding(inputDim, series.homogeneity(), c, lin, leaves, poly, layout.total());
  }

  /** Smallest degree whose tail {@code Σ_{i>q} c_i} is at most {@code tol · Σ c_i}. */
  static int degreeFor(double[] c, double tol) {
    double total = 0;
    for (double v : c) {
      total += v;
    }
    double tail = total;
    for (int q = 0; q < c.length; q++) {
      tail -= c[q];
      if (q >= 2 && tail <= tol * total) {
        return Math.min(q, MAX_DEGREE);
      }
    }
    return MAX_DEGREE;
  }

  /** Truncates at {@code q}, moving the higher coefficients onto {@code q−1, q} by parity. */
  static double[] refold(double[] full, int q) {
    double[] c = java.util.Arrays.copyOf(full, q + 1);
    for (int i = q + 1; i < full.length; i++) {
      int target = (i - q) % 2 == 0 ? q : Math.max(q - 1, 0);
      c[target] += full[i];
    }
    for (int i = 0; i <= q; i++) {
      c[i] = Math.max(c[i], 0);
    }
    return c;
  }

  /** @return the number of features */
  public int outputDim() {
    return outputDim;
  }

  /** @return the truncation degree */
  public int degree() {
    return degree;
  }

  /** @return the input dimension {@code d} */
  public int inputDim() {
    return inputDim;
  }

  /** @return the folded series coefficients {@code c_0 … c_q} (copy) */
  public double[] coefficients() {
    return coef.clone();
  }

  /**
   * @param x a dense point of dimension {@code d}, not modified
   * @return its features
   */
  public double[] features(double[] x) {
    double sq = 0;
    for (double v : x) {
      sq += v * v;
    }
    return embed(sq, (cs, f, out) -> cs.apply(x, f, out));
  }

  /**
   * @param m sparse points of dimension {@code d}
   * @param row the row
   * @return its features, bit-identical to {@link #features(double[])} of the same point
   */
  public double[] features(SparseMatrix m, int row) {
    return embed(m.squaredNorm(row), (cs, f, out) -> cs.apply(m, row, f, out));
  }

  /** Applies a CountSketch to the point scaled by a factor. */
  private interface Stage {
    void apply(CountSketch cs, double factor, double[] out);
  }

  private double[] embed(double squaredNorm, Stage stage) {
    double[] out = new double[outputDim];
    double norm = Math.sqrt(squaredNorm);
    double scale = Math.pow(squaredNorm / inputDim, homogeneity / 2.0);
    if (norm == 0 && homogeneity > 0) {
      return out;
    }
    double inv = norm > 0 ? 1 / norm : 0;
    out[0] = scale * Math.sqrt(coef[0]);
    int at = 1;
    if (linear != null) {
      double[] s1 = new double[linear.outputs()];
      stage.apply(linear, inv, s1);
      double f = scale * Math.sqrt(coef[1]);
      for (int j = 0; j < s1.length; j++) {
        out[at + j] = f * s1[j];
      }
      at += s1.length;
    }
    if (leaves.length > 0) {
      double[][] inputs = new double[leaves.length][];
      for (int j = 0; j < leaves.length; j++) {
        inputs[j] = new double[leaves[j].outputs()];
        stage.apply(leaves[j], inv, inputs[j]);
      }
      double[][] powers = poly.applyLeaves(inputs);
      for (int k = 2; k <= degree; k++) {
        if (powers[k] != null) {
          double f = scale * Math.sqrt(coef[k]);
          for (int j = 0; j < powers[k].length; j++) {
            out[at + j] = f * powers[k][j];
          }
          at += powers[k].length;
        }
      }
    }
    return out;
  }
}

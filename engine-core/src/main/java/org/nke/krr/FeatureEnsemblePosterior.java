package org.nke.krr;

import java.io.Serializable;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.nke.error.InvalidInputException;

/**
 * {@link EnsemblePosterior} in the primal, for kernels given by features (sketch models): NNGP
 * features {@code F} ({@code n × p}, {@code K ≈ F Fᵀ}) and, for {@link EnsembleKind#NTK}, NTK features
 * {@code G} ({@code n × q}, {@code Θ ≈ G Gᵀ}). Training accumulates {@code p × p}/{@code q × q}/
 * {@code q × p} products block by block ({@link PosteriorSums}, time linear in {@code n}); predictions
 * cost time linear in the number of test points. The results equal {@link EnsemblePosterior}'s with
 * {@code K = F Fᵀ}, {@code Θ = G Gᵀ} and the test kernels {@code K_td = F_t Fᵀ},
 * {@code K_tt = F_t F_tᵀ}, {@code Θ_td = G_t Gᵀ}.
 *
 * <p><b>Derivation.</b> Let {@code D = E Eᵀ} be the kernel driving the dynamics ({@code E = F} for
 * NNGP, {@code E = G} for NTK), {@code EᵀE = U diag(σ) Uᵀ}, and the ridge relative to the mean
 * diagonal, {@code r = λ·mean(diag D) = λ·‖E‖_F²/n = λ·trace(EᵀE)/n}; {@code n_y = n k}. For any
 * function {@code g} analytic on the spectrum, the push-through identity
 * {@code Eᵀ g(E Eᵀ + rI) = g(EᵀE + rI) Eᵀ} (true for every power, hence for every power series)
 * moves every filter to the {@code p × p} side. With {@code A_t = φ_t(D_r)} (see
 * {@link EnsemblePosterior}, {@code φ_t(s) = (1 − e^{−s t/n_y})/s}) and {@code s_e = σ_e + r}:
 *
 * <pre>{@code μ_t = D_td A_t y = E_t Eᵀ φ_t(E Eᵀ + rI) y = E_t U diag(φ_t(s)) Uᵀ (Eᵀ y).}</pre>
 *
 * The eigenvalues {@code r} of {@code D_r} on the orthogonal complement of the span of {@code E} never
 * enter: {@code Eᵀ} annihilates that complement, so the primal is exact, not an approximation "on the
 * span".
 *
 * <p><b>NNGP covariance</b> ({@code E = F}): {@code Σ_t = K_tt − K_td A_{2t} K_dt
 * = F_t (I − FᵀF φ_{2t}(FᵀF + rI)) F_tᵀ = Z Zᵀ} with
 *
 * <pre>{@code Z = F_t U diag(√h),   h_e = 1 − σ_e φ_{2t}(s_e) = (r + σ_e e^{−2 s_e t/n_y}) / s_e ∈ [0, 1]}</pre>
 *
 * ({@code h = 1} at {@code t = 0}, {@code r/s} at {@code t = ∞}; the second form has no cancellation).
 *
 * <p><b>NTK covariance</b> ({@code E = G}): with {@code C_t = U diag(φ_t(s)) Uᵀ} ({@code q × q}),
 * {@code B_t = Θ_td A_t = G_t C_t Gᵀ}, and {@code H = GᵀF} ({@code q × p}):
 * {@code B_t K_dt = G_t C_t H F_tᵀ}, {@code B_t K_dd B_tᵀ = G_t C_t H Hᵀ C_t G_tᵀ}, so
 *
 * <pre>{@code Σ_t = K_tt − B_t K_dt − K_td B_tᵀ + B_t K_dd B_tᵀ = Z Zᵀ,   Z = F_t − G_t C_t H   (m × p)}</pre>
 *
 * — positive semi-definite by construction, and {@code FᵀF} is not needed. Variances are the squared
 * row norms of {@code Z}. Costs: building {@code O(n (p² + q p + q² ))} plus one {@code O(q³)}
 * eigendecomposition; per time {@code t}, {@code O(q² (p + k))}; per test point {@code O(q p)}.
 *
 * <p>A posterior and its {@link AtTime} are serializable (a distributed predictor ships one
 * {@link AtTime#prepared() prepared} {@code AtTime} to every worker).
 */
public final class FeatureEnsemblePosterior implements Serializable {
  private static final long serialVersionUID = 1L;

  private final EnsembleKind kind;
  private final double labelCount;
  private final double shift;
  private final GradientFlow.Spectrum spectrum;
  private final double[][] projectedTargets;
  private final double[][] projectedCross;

  FeatureEnsemblePosterior(PosteriorSums acc, double ridge) {
    this(acc, ridge, acc.points + 8 < (acc.kind == EnsembleKind.NTK ? acc.ntkGram : acc.nngpGram)
        .length / 2);
  }

  /**
   * @param onRange decompose {@code EᵀE} on its range only ({@link GradientFlow#rangeEigen}: rank
   *     at most {@code n}, so {@code O(d² n)} instead of {@code O(d³)} when there are fewer training
   *     points than features); the results are the same up to round-off
   */
  FeatureEnsemblePosterior(PosteriorSums acc, double ridge, boolean onRange) {
    GradientFlow.checkRidge(ridge);
    if (acc.points == 0) {
      throw new InvalidInputException("the training features must contain at least one point, got none");
    }
    double[][] gram = acc.kind == EnsembleKind.NTK ? acc.ntkGram : acc.nngpGram;
    Syrk.symmetrize(gram);
    double trace = 0;
    for (int i = 0; i < gram.length; i++) {
      trace += gram[i][i];
    }
    this.kind = acc.kind;
    this.labelCount = (double) acc.points * acc.outputs;
    this.shift = ridge * trace / acc.points;
    this.spectrum = onRange ? GradientFlow.rangeEigen(gram, (int) acc.points)
        : GradientFlow.eigen(gram, 0);
    this.projectedTargets = spectrum.project(acc.kind == EnsembleKind.NTK ? acc.ntkTargets
        : acc.nngpTargets);
    this.projectedCross = acc.kind == EnsembleKind.NTK ? spectrum.project(acc.cross) : null;
  }

  private FeatureEnsemblePosterior(State state) {
    this.kind = state.kind();
    this.labelCount = state.labelCount();
    this.shift = state.shift();
    this.spectrum = new GradientFlow.Spectrum(state.values(), state.vectors());
    this.projectedTargets = state.projectedTargets();
    this.projectedCross = state.projectedCross();
  }

  /**
   * What a posterior predicts from, for {@link ModelFile}: {@code n_y}, {@code r}, the eigenvalues
   * {@code σ} and eigenvectors {@code U} ({@code vectors[e] = u_e}) of {@code EᵀE}, {@code Uᵀ Eᵀ y}
   * ({@code q × k}) and, for NTK only, {@code Uᵀ GᵀF} ({@code q × p}).
   */
  record State(EnsembleKind kind, double labelCount, double shift, double[] values,
      double[][] vectors, double[][] projectedTargets, double[][] projectedCross) {
    /** @return the number of doubles held */
    long doubles() {
      long q = values.length;
      return q + q * vectors[0].length + q * projectedTargets[0].length
          + (projectedCross == null ? 0 : q * projectedCross[0].length);
    }
  }

  /** @return this posterior's state (shared arrays, not copies) */
  State state() {
    return new State(kind, labelCount, shift, spectrum.values(), spectrum.vectors(), projectedTargets,
        projectedCross);
  }

  /** @return the posterior a consistent {@link #state()} describes (not copied, not checked) */
  static FeatureEnsemblePosterior of(State state) {
    return new FeatureEnsemblePosterior(state);
  }

  /**
   * The posterior at one training time, with the {@code t}-dependent products computed once (for
   * the NTK covariance {@code C_t H}, {@code q × p}), so that many blocks of test points cost
   * {@code O(q p)} each.
   *
   * @param t training time {@code ≥ 0} or {@code +∞}
   * @return the posterior at {@code t}
   */
  public AtTime at(double t) {
    return new AtTime(t);
  }

  /**
   * The posterior at one training time ({@link #at}); its methods equal the outer ones at {@code t}.
   * Serializable with its posterior.
   */
  public final class AtTime implements Serializable {
    private static final long serialVersionUID = 1L;
    private final double t;
    private final double[][] meanWeights;
    private double[][] crossWeights;

    private AtTime(double t) {
      GradientFlow.checkTime(t);
      this.t = t;
      this.meanWeights = spectrum.apply(filters(t), projectedTargets);
    }

    /**
     * Computes now what {@link #variance}/{@link #covariance} would compute on first use (for NTK
     * the {@code q × p} product {@code C_t H}), e.g. before this object is shipped to many workers.
     *
     * @return this
     */
    public AtTime prepared() {
      if (kind == EnsembleKind.NTK && crossWeights == null && !onRange()) {
        crossWeights = spectrum.apply(filters(t), projectedCross);
      }
      return this;
    }

    /** @return {@link FeatureEnsemblePosterior#mean} at this time */
    public double[][] mean(double[][] testFeatures) {
      checkColumns("the test features", testFeatures, dim());
      return GradientFlow.multiply(testFeatures, meanWeights);
    }

    /** @return {@link FeatureEnsemblePosterior#variance} at this time */
    public double[] variance(double[][] testFeatures, double[][] nngpTestFeatures) {
      double[][] z = factor(testFeatures, nngpTestFeatures);
      double[] var = new double[z.length];
      for (int a = 0; a < z.length; a++) {
        var[a] = GradientFlow.dot(z[a], z[a]);
      }
      return var;
    }

    /** @return {@link FeatureEnsemblePosterior#covariance} at this time */
    public double[][] covariance(double[][] testFeatures, double[][] nngpTestFeatures) {
      double[][] z = factor(testFeatures, nngpTestFeatures);
      int m = z.length;
      double[][] cov = new double[m][m];
      for (int a = 0; a < m; a++) {
        for (int b = 0; b <= a; b++) {
          cov[a][b] = GradientFlow.dot(z[a], z[b]);
          cov[b][a] = cov[a][b];
        }
      }
      return cov;
    }

    private double[][] factor(double[][] testFeatures, double[][] nngpTestFeatures) {
      prepared();
      return FeatureEnsemblePosterior.this.factor(t, testFeatures, nngpTestFeatures, crossWeights);
    }
  }

  /**
   * @param kind which kernel drives the dynamics
   * @param nngpDim {@code p}, the number of NNGP features
   * @param ntkDim {@code q}, the number of NTK features (ignored for {@link EnsembleKind#NNGP})
   * @param outputs {@code k}, the number of target columns
   * @return an empty accumulator
   */
  public static PosteriorSums accumulator(EnsembleKind kind, int nngpDim, int ntkDim, int outputs) {
    return new PosteriorSums(kind, nngpDim, ntkDim, outputs);
  }

  /** @return which kernel drives the dynamics */
  public EnsembleKind kind() {
    return kind;
  }

  /**
   * @return a one-line description: kind, eigenbasis and projected sizes, doubles held and MiB
   */
  public String describe() {
    return SketchInference.describe(state());
  }

  /** @return the absolute ridge {@code r = λ·trace(EᵀE)/n} added to the training kernel */
  public double shift() {
    return shift;
  }

  /**
   * @param t training time {@code ≥ 0}, {@code +∞} for the converged (ridge) predictor
   * @param testFeatures {@code E_t} ({@code F_t} for NNGP, {@code G_t} for NTK), {@code m × p} or
   *     {@code m × q}, not modified
   * @return the mean {@code μ_t}, {@code m × k}
   */
  public double[][] mean(double t, double[][] testFeatures) {
    return at(t).mean(testFeatures);
  }

  /**
   * @param t training time {@code ≥ 0} or {@code +∞}
   * @param testFeatures {@code E_t}, not modified
   * @param nngpTestFeatures {@code F_t}, {@code m × p}, not modified (NTK only; ignored, may be
   *     {@code null}, for NNGP)
   * @return the covariance {@code Σ_t = Z Zᵀ}, {@code m × m}
   */
  public double[][] covariance(double t, double[][] testFeatures, double[][] nngpTestFeatures) {
    return at(t).covariance(testFeatures, nngpTestFeatures);
  }

  /**
   * The diagonal of {@link #covariance}, in time linear in the number of test points.
   *
   * @param t training time {@code ≥ 0} or {@code +∞}
   * @param testFeatures {@code E_t}, not modified
   * @param nngpTestFeatures {@code F_t}, not modified (NTK only; ignored, may be {@code null}, for NNGP)
   * @return the variances, length {@code m}
   */
  public double[] variance(double t, double[][] testFeatures, double[][] nngpTestFeatures) {
    return at(t).variance(testFeatures, nngpTestFeatures);
  }

  /** @return {@code Z} with {@code Σ_t = Z Zᵀ}; {@code ch} = {@code C_t H} (NTK) */
  private double[][] factor(double t, double[][] testFeatures, double[][] nngpTestFeatures,
      double[][] ch) {
    double[] sigma = spectrum.values();
    int pairs = sigma.length;
    checkColumns("the test features", testFeatures, dim());
    if (kind == EnsembleKind.NNGP) {
      // Z = F_t U diag(√h),  h_e = (r + σ_e e^{−2 s_e t/n_y}) / s_e
      double[][] z = spectrum.coordinates(testFeatures);
      double[][] rest = onRange() ? complement(z, testFeatures) : null;
      double[] root = new double[pairs];
      for (int e = 0; e < pairs; e++) {
        root[e] = Math.sqrt(retained(Math.max(sigma[e], 0), t));
      }
      for (double[] row : z) {
        for (int e = 0; e < pairs; e++) {
          row[e] *= root[e];
        }
      }
      if (rest != null) {
        for (int a = 0; a < z.length; a++) {
          double[] both = java.util.Arrays.copyOf(z[a], pairs + rest[a].length);
          System.arraycopy(rest[a], 0, both, pairs, rest[a].length);
          z[a] = both;
        }
      }
      return z;
    }
    int m = testFeatures.length;
    if (nngpTestFeatures == null || nngpTestFeatures.length != m) {
      throw new InvalidInputException("the NNGP test features must have " + m + " rows, got "
          + (nngpTestFeatures == null ? 0 : nngpTestFeatures.length));
    }
    checkColumns("the NNGP test features", nngpTestFeatures, projectedCross[0].length);
    // Z = F_t − G_t C_t H,  C_t H = U diag(φ_t(s)) (Uᵀ H); on a range basis (few points) as
    // ((G_t U) diag(φ_t(s))) (Uᵀ H), never forming the q × p matrix C_t H
    double[][] gch;
    if (onRange()) {
      double[][] coords = spectrum.coordinates(testFeatures);
      double[] phi = filters(t);
      for (double[] row : coords) {
        for (int e = 0; e < pairs; e++) {
          row[e] *= phi[e];
        }
      }
      gch = GradientFlow.multiply(coords, projectedCross);
    } else {
      gch = GradientFlow.multiply(testFeatures, ch);
    }
    double[][] z = new double[m][];
    for (int a = 0; a < m; a++) {
      z[a] = nngpTestFeatures[a].clone();
      for (int j = 0; j < z[a].length; j++) {
        z[a][j] -= gch[a][j];
      }
    }
    return z;
  }

  /** @return whether the eigenbasis spans the range of {@code EᵀE} only (fewer pairs than features) */
  private boolean onRange() {
    return spectrum.values().length < dim();
  }

  /** @return the number of features {@code p} (NNGP) or {@code q} (NTK) the posterior reads */
  private int dim() {
    return spectrum.vectors()[0].length;
  }

  /**
   * An eigenbasis on the range of {@code FᵀF} only ({@link GradientFlow#rangeEigen}) leaves out
   * directions with {@code σ = 0}, where {@code h = 1}: {@code Z = [F_t U diag(√h), F_t (I − U Uᵀ)]}
   * gives the same {@code Z Zᵀ}.
   *
   * @param coordinates {@code F_t U}, not modified
   * @param testFeatures {@code F_t}, not modified
   * @return {@code F_t (I − U Uᵀ)}
   */
  private double[][] complement(double[][] coordinates, double[][] testFeatures) {
    double[][] u = spectrum.vectors();
    double[][] out = new double[testFeatures.length][];
    for (int a = 0; a < out.length; a++) {
      double[] rest = testFeatures[a].clone();
      for (int e = 0; e < u.length; e++) {
        double c = coordinates[a][e];
        for (int i = 0; i < rest.length; i++) {
          rest[i] -= c * u[e][i];
        }
      }
      out[a] = rest;
    }
    return out;
  }

  /** @return {@code h = 1 − σ φ_{2t}(σ + r) = (r + σ e^{−2(σ+r)t/n_y}) / (σ + r)} */
  private double retained(double sigma, double t) {
    double s = sigma + shift;
    if (t == 0 || !(s > 0)) {
      return 1;
    }
    double decay = t == Double.POSITIVE_INFINITY ? 0 : Math.exp(-2 * s * t / labelCount);
    return (shift + sigma * decay) / s;
  }

  private double[] filters(double t) {
    double[] sigma = spectrum.values();
    double[] f = new double[sigma.length];
    for (int e = 0; e < f.length; e++) {
      f[e] = GradientFlow.filter(sigma[e] + shift, t, labelCount);
    }
    return f;
  }

  static void checkColumns(String what, double[][] a, int cols) {
    for (int i = 0; i < a.length; i++) {
      if (a[i].length != cols) {
        throw new InvalidInputException(what + " must have " + cols + " columns, got " + a[i].length
            + " at row " + (i + 1));
      }
    }
  }
}

package org.nke.testing;

import java.util.ArrayList;
import java.util.List;
import org.nke.arch.Activation;
import org.nke.arch.Architecture;
import org.nke.arch.AvgPool;
import org.nke.arch.Conv;
import org.nke.arch.Dense;
import org.nke.arch.FanIn;
import org.nke.arch.FanInConcat;
import org.nke.arch.FanInProd;
import org.nke.arch.FanInSum;
import org.nke.arch.FanOut;
import org.nke.arch.Flatten;
import org.nke.arch.GlobalAvgPool;
import org.nke.arch.Layer;
import org.nke.arch.LayerNorm;
import org.nke.arch.Padding;
import org.nke.arch.Parameterization;
import org.nke.arch.SumPool;
import org.nke.dual.DualActivation;

/**
 * A deliberately naive CNTK for one image pair, written from the formulas of neural-tangents' stax
 * and nothing of {@code org.nke.cntk}: 4-D arrays {@code K[ph][pw][qh][qw]} for the pair and for each
 * image with itself, loops over every pixel pair and every tap, the padding recomputed from XLA's
 * SAME rule, the duals called entry by entry through {@link DualActivation#value}/{@code derivative}.
 * The standard parameterization reads the widths as stax's shapes give them: the images' channels,
 * then each Conv's {@code out_chan} / Dense's {@code out_dim}, {@code H·W·C} after Flatten.
 */
public final class NaiveCntk {
  private NaiveCntk() {
  }

  /** NNGP and NTK of the three pairs (x, x), (y, y), (x, y) at one layer. */
  private static final class State {
    double[][][][][] k = new double[3][][][][];
    double[][][][][] t = new double[3][][][][];
    int h;
    int w;
    boolean spatial = true;
    double[] sk = new double[3];
    double[] st = new double[3];
    /** Width of the current layer's output (channels, or features after the readout). */
    int width;

    State copy() {
      State c = new State();
      for (int r = 0; r < 3; r++) {
        c.k[r] = deep(k[r]);
        c.t[r] = deep(t[r]);
      }
      c.h = h;
      c.w = w;
      c.spatial = spatial;
      c.sk = sk.clone();
      c.st = st.clone();
      c.width = width;
      return c;
    }

    private static double[][][][] deep(double[][][][] a) {
      double[][][][] out = new double[a.length][a[0].length][][];
      for (int i = 0; i < a.length; i++) {
        for (int j = 0; j < a[0].length; j++) {
          out[i][j] = new double[a[i][j].length][];
          for (int l = 0; l < a[i][j].length; l++) {
            out[i][j][l] = a[i][j][l].clone();
          }
        }
      }
      return out;
    }
  }

  /** One affine map: {@code σ_w²}, {@code σ_b²}, and under the standard parameterization its fan-in. */
  private record Affine(double w2, double b2, boolean standard, boolean bias) {
    static Affine of(double wStd, double bStd, boolean hasBias, Parameterization p) {
      return new Affine(wStd * wStd, bStd * bStd, p == Parameterization.STANDARD, hasBias);
    }
  }

  /**
   * @param arch the architecture
   * @param x image {@code [H][W][C]}
   * @param y image {@code [H][W][C]}
   * @return {NNGP, NTK} of the pair
   */
  public static double[] kernels(Architecture arch, double[][][] x, double[][][] y) {
    State s = new State();
    s.h = x.length;
    s.w = x[0].length;
    s.width = x[0][0].length;
    double[][][][][] img = {{x, x}, {y, y}, {x, y}};
    for (int r = 0; r < 3; r++) {
      s.k[r] = new double[s.h][s.w][s.h][s.w];
      s.t[r] = new double[s.h][s.w][s.h][s.w];
      for (int a = 0; a < s.h; a++) {
        for (int b = 0; b < s.w; b++) {
          for (int c = 0; c < s.h; c++) {
            for (int d = 0; d < s.w; d++) {
              double sum = 0;
              int ch = x[0][0].length;
              for (int e = 0; e < ch; e++) {
                sum += img[r][0][a][b][e] * img[r][1][c][d][e];
              }
              s.k[r][a][b][c][d] = sum / ch;
            }
          }
        }
      }
    }
    run(arch.layers(), s);
    return new double[] {s.sk[2], s.st[2]};
  }

  /** Runs a chain of layers; a fan-out runs each branch on its own deep copy, then joins them. */
  private static void run(List<Layer> layers, State s) {
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = layers.get(i);
      if (layer instanceof FanOut f) {
        List<List<Layer>> branches = f.branches(layers, i);
        i += FanOut.parallels(layers, i) + 1;
        List<State> ends = new ArrayList<>();
        for (List<Layer> b : branches) {
          State c = s.copy();
          run(b, c);
          ends.add(c);
        }
        join(s, ends, (FanIn) layers.get(i));
        continue;
      }
      if (layer instanceof LayerNorm n) {
        layerNorm(s, n);
        continue;
      }
      if (layer instanceof Conv c) {
        conv(s, c.filterHeight(), c.filterWidth(), c.strideHeight(), c.strideWidth(), c.padding(),
            Affine.of(c.wStd(), c.bStd(), c.hasBias(), c.parameterization()));
        s.width = c.channels();
      } else if (layer instanceof Dense d) {
        Affine f = Affine.of(d.wStd(), d.bStd(), d.hasBias(), d.parameterization());
        if (s.spatial) {
          conv(s, 1, 1, 1, 1, Padding.VALID, f);
        } else {
          for (int r = 0; r < 3; r++) {
            double k = f.w2 * s.sk[r] + f.b2;
            // stax Dense, standard: Θ' = N_in K + σ_w² Θ + [b_std given]
            s.st[r] = f.standard ? s.width * s.sk[r] + f.w2 * s.st[r] + (f.bias ? 1 : 0)
                : k + f.w2 * s.st[r];
            s.sk[r] = k;
          }
        }
        s.width = d.width();
      } else if (layer instanceof AvgPool p) {
        pool(s, p.windowHeight(), p.windowWidth(), p.strideHeight(), p.strideWidth(), p.padding(),
            Math.pow(p.windowHeight() * p.windowWidth(), 2));
      } else if (layer instanceof SumPool p) {
        pool(s, p.windowHeight(), p.windowWidth(), p.strideHeight(), p.strideWidth(), p.padding(), 1);
      } else if (layer instanceof Activation a) {
        activation(s, a.dual());
      } else if (layer instanceof Flatten && s.spatial) {
        s.width *= s.h * s.w;
        readout(s, true);
      } else if (layer instanceof GlobalAvgPool) {
        readout(s, false);
      }
    }
  }

  /** XLA SAME: out = ceil(n/s), pad_lo = floor(max((out−1)s + f − n, 0)/2); VALID: no padding. */
  private static int[] outAndPad(int n, int f, int stride, Padding padding) {
    if (padding == Padding.SAME) {
      int out = (int) Math.ceil(n / (double) stride);
      return new int[] {out, Math.max((out - 1) * stride + f - n, 0) / 2};
    }
    return new int[] {(int) Math.ceil((n - f + 1) / (double) stride), 0};
  }

  private static double at(double[][][][] k, int a, int b, int c, int d) {
    int h = k.length;
    int w = k[0].length;
    if (a < 0 || a >= h || b < 0 || b >= w || c < 0 || c >= h || d < 0 || d >= w) {
      return 0;
    }
    return k[a][b][c][d];
  }

  private static void conv(State s, int fh, int fw, int sh, int sw, Padding padding, Affine f) {
    int[] oh = outAndPad(s.h, fh, sh, padding);
    int[] ow = outAndPad(s.w, fw, sw, padding);
    for (int r = 0; r < 3; r++) {
      double[][][][] k = new double[oh[0]][ow[0]][oh[0]][ow[0]];
      double[][][][] t = new double[oh[0]][ow[0]][oh[0]][ow[0]];
      for (int a = 0; a < oh[0]; a++) {
        for (int b = 0; b < ow[0]; b++) {
          for (int c = 0; c < oh[0]; c++) {
            for (int d = 0; d < ow[0]; d++) {
              double sk = 0;
              double st = 0;
              for (int i = 0; i < fh; i++) {
                for (int j = 0; j < fw; j++) {
                  int pa = a * sh + i - oh[1];
                  int pb = b * sw + j - ow[1];
                  int qa = c * sh + i - oh[1];
                  int qb = d * sw + j - ow[1];
                  sk += at(s.k[r], pa, pb, qa, qb);
                  st += at(s.t[r], pa, pb, qa, qb);
                }
              }
              k[a][b][c][d] = f.w2 * sk / (fh * fw) + f.b2;
              // stax _Conv, standard: Θ' = (C_in F) S(K)/F + σ_w² S(Θ)/F + [b_std given]
              t[a][b][c][d] = f.standard ? s.width * sk + f.w2 * st / (fh * fw) + (f.bias ? 1 : 0)
                  : k[a][b][c][d] + f.w2 * st / (fh * fw);
            }
          }
        }
      }
      s.k[r] = k;
      s.t[r] = t;
    }
    s.h = oh[0];
    s.w = ow[0];
  }

  /** AvgPool ({@code norm = F²}) and SumPool ({@code norm = 1}): {@code Σ_{p∈P, q∈Q} K(p, q) / norm}. */
  private static void pool(State s, int fh, int fw, int sh, int sw, Padding padding, double norm) {
    int[] oh = outAndPad(s.h, fh, sh, padding);
    int[] ow = outAndPad(s.w, fw, sw, padding);
    for (int r = 0; r < 3; r++) {
      double[][][][][] in = {s.k[r], s.t[r]};
      for (int m = 0; m < 2; m++) {
        double[][][][] out = new double[oh[0]][ow[0]][oh[0]][ow[0]];
        for (int a = 0; a < oh[0]; a++) {
          for (int b = 0; b < ow[0]; b++) {
            for (int c = 0; c < oh[0]; c++) {
              for (int d = 0; d < ow[0]; d++) {
                double sum = 0;
                for (int i = 0; i < fh; i++) {
                  for (int j = 0; j < fw; j++) {
                    for (int i2 = 0; i2 < fh; i2++) {
                      for (int j2 = 0; j2 < fw; j2++) {
                        sum += at(in[m], a * sh + i - oh[1],
                            b * sw + j - ow[1], c * sh + i2 - oh[1],
                            d * sw + j2 - ow[1]);
                      }
                    }
                  }
                }
                out[a][b][c][d] = sum / norm;
              }
            }
          }
        }
        if (m == 0) {
          s.k[r] = out;
        } else {
          s.t[r] = out;
        }
      }
    }
    s.h = oh[0];
    s.w = ow[0];
  }

  private static void activation(State s, DualActivation dual) {
    if (!s.spatial) {
      double[] v = {s.sk[0], s.sk[1]};
      double[] vr = {v[0], v[1], v[0]};
      double[] vc = {v[0], v[1], v[1]};
      for (int r = 0; r < 3; r++) {
        s.st[r] *= dual.derivative(vr[r], vc[r], s.sk[r]);
        s.sk[r] = dual.value(vr[r], vc[r], s.sk[r]);
      }
      return;
    }
    double[][] vx = new double[s.h][s.w];
    double[][] vy = new double[s.h][s.w];
    for (int a = 0; a < s.h; a++) {
      for (int b = 0; b < s.w; b++) {
        vx[a][b] = s.k[0][a][b][a][b];
        vy[a][b] = s.k[1][a][b][a][b];
      }
    }
    double[][][] rowVar = {vx, vy, vx};
    double[][][] colVar = {vx, vy, vy};
    for (int r = 0; r < 3; r++) {
      for (int a = 0; a < s.h; a++) {
        for (int b = 0; b < s.w; b++) {
          for (int c = 0; c < s.h; c++) {
            for (int d = 0; d < s.w; d++) {
              double kxx = rowVar[r][a][b];
              double kyy = colVar[r][c][d];
              double kxy = s.k[r][a][b][c][d];
              s.t[r][a][b][c][d] *= dual.derivative(kxx, kyy, kxy);
              s.k[r][a][b][c][d] = dual.value(kxx, kyy, kxy);
            }
          }
        }
      }
    }
  }

  private static void readout(State s, boolean flatten) {
    for (int r = 0; r < 3; r++) {
      double k = 0;
      double t = 0;
      for (int a = 0; a < s.h; a++) {
        for (int b = 0; b < s.w; b++) {
          for (int c = 0; c < s.h; c++) {
            for (int d = 0; d < s.w; d++) {
              if (!flatten || (a == c && b == d)) {
                k += s.k[r][a][b][c][d];
                t += s.t[r][a][b][c][d];
              }
            }
          }
        }
      }
      int n = flatten ? s.h * s.w : s.h * s.w * s.h * s.w;
      s.sk[r] = k / n;
      s.st[r] = t / n;
    }
    s.spatial = false;
  }

  /**
   * stax's fan-ins on every pixel pair of the three pairs: FanInSum adds, FanInProd multiplies (NTK by
   * the product rule {@code Σ_b Θ_b Π_{c≠b} K_c}), FanInConcat (channels) averages weighted by each
   * branch's channel count (equal weights when one is not given).
   */
  private static void join(State s, List<State> ends, FanIn fanIn) {
    int n = ends.size();
    double[] weight = new double[n];
    boolean known = ends.stream().allMatch(e -> e.width >= 1);
    double total = known ? ends.stream().mapToDouble(e -> e.width).sum() : n;
    for (int b = 0; b < n; b++) {
      weight[b] = fanIn instanceof FanInConcat ? (known ? ends.get(b).width : 1) / total : 1;
    }
    State first = ends.get(0);
    s.h = first.h;
    s.w = first.w;
    for (int r = 0; r < 3; r++) {
      double[][][][] k = new double[s.h][s.w][s.h][s.w];
      double[][][][] t = new double[s.h][s.w][s.h][s.w];
      for (int a = 0; a < s.h; a++) {
        for (int b = 0; b < s.w; b++) {
          for (int c = 0; c < s.h; c++) {
            for (int d = 0; d < s.w; d++) {
              double kk = fanIn instanceof FanInProd ? 1 : 0;
              double tt = 0;
              for (int e = 0; e < n; e++) {
                double ke = ends.get(e).k[r][a][b][c][d];
                double te = ends.get(e).t[r][a][b][c][d];
                if (fanIn instanceof FanInProd) {
                  double others = 1;
                  for (int o = 0; o < n; o++) {
                    others *= o == e ? 1 : ends.get(o).k[r][a][b][c][d];
                  }
                  tt += te * others;
                  kk *= ke;
                } else {
                  kk += weight[e] * ke;
                  tt += weight[e] * te;
                }
              }
              k[a][b][c][d] = kk;
              t[a][b][c][d] = tt;
            }
          }
        }
      }
      s.k[r] = k;
      s.t[r] = t;
    }
    if (fanIn instanceof FanInConcat) {
      s.width = known ? (int) total : -1;
    } else if (fanIn instanceof FanInSum) {
      s.width = ends.stream().allMatch(e -> e.width == first.width) ? first.width : -1;
    } else {
      s.width = first.width;
    }
  }

  /**
   * stax's LayerNorm: every pair divided by {@code √(s_x(p) s_y(q))}, {@code s(p) = eps + K(p, p)}
   * over the channel axis, the mean over the pixels of {@code eps + K(p, p)} over {@code (1, 2, 3)}.
   */
  private static void layerNorm(State s, LayerNorm n) {
    boolean perImage = !n.axes().equals(List.of(-1)) && !n.axes().equals(List.of(3));
    double[][][] scale = new double[2][s.h][s.w];
    for (int i = 0; i < 2; i++) {
      double mean = 0;
      for (int a = 0; a < s.h; a++) {
        for (int b = 0; b < s.w; b++) {
          scale[i][a][b] = n.eps() + s.k[i][a][b][a][b];
          mean += scale[i][a][b];
        }
      }
      for (int a = 0; a < s.h && perImage; a++) {
        for (int b = 0; b < s.w; b++) {
          scale[i][a][b] = mean / (s.h * s.w);
        }
      }
    }
    int[][] sides = {{0, 0}, {1, 1}, {0, 1}};
    for (int r = 0; r < 3; r++) {
      for (int a = 0; a < s.h; a++) {
        for (int b = 0; b < s.w; b++) {
          for (int c = 0; c < s.h; c++) {
            for (int d = 0; d < s.w; d++) {
              double root = Math.sqrt(scale[sides[r][0]][a][b] * scale[sides[r][1]][c][d]);
              s.k[r][a][b][c][d] /= root;
              s.t[r][a][b][c][d] /= root;
            }
          }
        }
      }
    }
  }
}

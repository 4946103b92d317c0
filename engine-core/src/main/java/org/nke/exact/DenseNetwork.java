package org.nke.exact;

import java.util.ArrayList;
import java.util.List;
import org.nke.arch.Activation;
import org.nke.arch.Architecture;
import org.nke.arch.AvgPool;
import org.nke.arch.Conv;
import org.nke.arch.Dense;
import org.nke.arch.Flatten;
import org.nke.arch.GlobalAvgPool;
import org.nke.arch.Identity;
import org.nke.arch.Layer;
import org.nke.arch.Parameterization;
import org.nke.dual.DualActivation;
import org.nke.error.ArchException;
import org.nke.spi.Precision;

/**
 * An architecture compiled for vector inputs into kernel steps, checked once: activations follow an
 * affine layer (their input must be Gaussian, as stax requires), convolutional layers are rejected
 * (they need image inputs), and the standard parameterization knows each layer's input width.
 */
public final class DenseNetwork {
  /** One kernel step; {@code position} is the 1-based layer index for messages. */
  public sealed interface Step permits Affine, Nonlinear {
    /** @return 1-based index of the layer in the architecture */
    int position();

    /** @return the layer as written */
    String describe();
  }

  /**
   * {@code Θ ← a·K + b·Θ + c}, then {@code K ← w²K + β²}.
   *
   * @param w2 {@code σ_w²}
   * @param b2 {@code σ_b²}
   * @param ntkFromNngp {@code a}
   * @param ntkFromNtk {@code b}
   * @param ntkConstant {@code c}
   * @param position layer index
   * @param describe layer text
   */
  public record Affine(double w2, double b2, double ntkFromNngp, double ntkFromNtk,
      double ntkConstant, int position, String describe) implements Step {
  }

  /**
   * An activation.
   *
   * @param dual its dual
   * @param position layer index
   * @param describe layer text
   */
  public record Nonlinear(DualActivation dual, int position, String describe) implements Step {
  }

  private final List<Step> steps;

  private DenseNetwork(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  /**
   * @param arch the architecture
   * @param inputDim the input dimension {@code d} (the first layer's input width)
   * @return the compiled network
   * @throws ArchException if the architecture is not a valid fully connected network
   */
  public static DenseNetwork compile(Architecture arch, int inputDim) {
    List<Step> steps = new ArrayList<>();
    boolean gaussian = false;
    int width = inputDim;
    int position = 0;
    for (Layer layer : arch.layers()) {
      position++;
      if (layer instanceof Dense d) {
        double w2 = d.wStd() * d.wStd();
        double b2 = d.bStd() * d.bStd();
        if (d.parameterization() == Parameterization.NTK) {
          steps.add(new Affine(w2, b2, w2, w2, b2, position, d.describe()));
        } else {
          if (width < 1) {
            throw new ArchException("layer " + position + " (" + d.describe() + ") uses the standard "
                + "parameterization, which needs the width of its input: give the previous Dense a "
                + "width, e.g. Dense(512, ...)");
          }
          steps.add(new Affine(w2, b2, width, w2, d.hasBias() ? 1 : 0, position, d.describe()));
        }
        width = d.width();
        gaussian = true;
      } else if (layer instanceof Activation a) {
        if (!gaussian) {
          throw new ArchException("activation " + a.describe() + " at layer " + position + " must "
              + "follow Dense or Conv: its input must be Gaussian (stax's rule)");
        }
        steps.add(new Nonlinear(a.dual(), position, a.describe()));
        gaussian = false;
      } else if (layer instanceof Identity || layer instanceof Flatten) {
        continue;
      } else if (layer instanceof Conv || layer instanceof AvgPool || layer instanceof GlobalAvgPool) {
        throw new ArchException("layer " + position + " (" + layer.describe() + ") needs image "
            + "inputs (n, H, W, C): give images (Kernels.compute(ImageBatch, ...), or a 4-D .npy, "
            + "CIFAR .bin or IDX file on the command line) for the convolutional kernel (CNTK)");
      }
    }
    return new DenseNetwork(steps);
  }

  /**
   * Whether the pair angles can be carried through this network (see
   * {@code Backend.carriesAngles()}): it has an activation, every activation has an angle form
   * ({@link DualActivation#carriesAngles()}) and no affine layer adds a bias ({@code β² = 0}), which
   * would change the angle. The standard parameterization's NTK bias term does not matter.
   *
   * @return {@code true} for bias-free networks of the ReLU family
   */
  public boolean carriesAngles() {
    boolean any = false;
    for (Step s : steps) {
      if (s instanceof Affine a && a.b2() != 0) {
        return false;
      }
      if (s instanceof Nonlinear n) {
        if (!n.dual().carriesAngles()) {
          return false;
        }
        any = true;
      }
    }
    return any;
  }

  /** @return the steps, input first */
  public List<Step> steps() {
    return steps;
  }

  /**
   * The diagonal recursion's results for one point set.
   *
   * @param preActivation per {@link Nonlinear} step, in order, the variance of every point entering it
   * @param output the output NNGP diagonal {@code K(x, x)} per point
   */
  public record Diagonals(List<double[]> preActivation, double[] output) {
  }

  /**
   * The diagonal recursion: each point's variance through the network, computed once per point
   * (never per pair): {@code k ← σ_w²k + σ_b²} at affine layers, {@code k ← E[φ(u)²]} at activations.
   * With {@link Precision#F32} every value is rounded to single precision after each step, exactly as
   * a float32 block stores its diagonal, so that {@code ρ = 1} holds exactly on the diagonal (the
   * arc-cosine duals are not Lipschitz there).
   *
   * @param inputVariances {@code K⁰(x, x)} per point, not modified
   * @param precision the storage precision of the kernel block
   * @return the variances before each activation and at the output
   */
  public Diagonals diagonals(double[] inputVariances, Precision precision) {
    boolean f32 = precision == Precision.F32;
    List<double[]> pre = new ArrayList<>();
    double[] v = inputVariances.clone();
    round(v, f32);
    for (Step s : steps) {
      if (s instanceof Affine a) {
        for (int i = 0; i < v.length; i++) {
          v[i] = a.w2() * v[i] + a.b2();
        }
      } else if (s instanceof Nonlinear n) {
        pre.add(v.clone());
        for (int i = 0; i < v.length; i++) {
          v[i] = n.dual().diagonal(v[i]);
        }
      }
      round(v, f32);
    }
    return new Diagonals(pre, v);
  }

  private static void round(double[] v, boolean f32) {
    if (f32) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) v[i];
      }
    }
  }
}

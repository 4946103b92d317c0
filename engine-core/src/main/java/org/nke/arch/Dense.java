package org.nke.arch;

/**
 * A fully connected layer (stax {@code Dense}). Kernel map, NTK parameterization:
 *
 * <pre>{@code K' = σ_w² K + σ_b²,   Θ' = K' + σ_w² Θ}</pre>
 *
 * and under the standard parameterization {@code Θ' = N_in K + σ_w² Θ + [σ_b given]}, with
 * {@code N_in} the width of the layer's input.
 *
 * @param width output width ({@code out_dim}); {@code -1} when omitted. Ignored by the kernels under
 *     the NTK parameterization; under the standard one it is the next layer's {@code N_in}
 * @param wStd weight standard deviation {@code σ_w}
 * @param bStd bias standard deviation {@code σ_b} (0 when {@code b_std=None})
 * @param hasBias whether {@code b_std} was given (matters for the standard parameterization)
 * @param parameterization NTK or standard
 */
public record Dense(int width, double wStd, double bStd, boolean hasBias,
    Parameterization parameterization) implements Layer {

  /**
   * @param wStd {@code σ_w}
   * @param bStd {@code σ_b}
   * @return an NTK-parameterized dense layer of unspecified width
   */
  public static Dense of(double wStd, double bStd) {
    return new Dense(-1, wStd, bStd, bStd != 0, Parameterization.NTK);
  }

  @Override
  public String describe() {
    StringBuilder sb = new StringBuilder("Dense(");
    if (width >= 0) {
      sb.append(width).append(", ");
    }
    sb.append("W_std=").append(wStd);
    if (hasBias) {
      sb.append(", b_std=").append(bStd);
    }
    if (parameterization != Parameterization.NTK) {
      sb.append(", parameterization='").append(parameterization.stax()).append('\'');
    }
    return sb.append(')').toString();
  }

  /**
   * Binds stax's signature {@code Dense(out_dim, W_std=1., b_std=None, batch_axis=0,
   * channel_axis=-1, parameterization='ntk', s=(1, 1))} one parameter at a time.
   *
   * @param a the call's arguments
   * @return the layer
   * @throws org.nke.error.ArchSyntaxException for a bad argument, with a caret at it
   */
  public static Dense bind(Args a) {
    int width = a.integer(0, "out_dim", -1);
    double w = StaxParameters.positive(a, 1, "W_std", a.number(1, "W_std", 1.0));
    Double b = a.optionalNumber(2, "b_std");
    a.ignore(3, "batch_axis");
    a.ignore(4, "channel_axis");
    Parameterization p = StaxParameters.parameterization(a, 5);
    StaxParameters.scaling(a, 6);
    a.finish();
    return new Dense(width, w, b == null ? 0 : StaxParameters.positive(a, 2, "b_std", b), b != null,
        p);
  }
}

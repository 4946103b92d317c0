package org.nke.dual;

/**
 * {@code arccos x} for the arc-cosine kernels, in pure Java so that the JIT inlines it into the
 * per-entry loops: on OpenJDK 17 {@code Math.acos} and {@code Math.atan2} are not intrinsics but calls
 * into the native fdlibm (measured here: about 140 ns for {@code acos}, 24 ns for {@code atan2} per
 * call), which made them most of the cost of a ReLU CNTK layer.
 *
 * <p>The algorithm and the coefficients are fdlibm's {@code e_acos.c} (Sun Microsystems 1993, freely
 * redistributable; the same as {@code StrictMath.acos}): with {@code R(z) = P(z)/Q(z)} the (6, 4)
 * rational minimax approximation of {@code (asin √z − √z)/√z³} on {@code [0, 1/4]},
 *
 * <pre>{@code
 * |x| < 1/2:  acos x = π/2 − (x + x·R(x²))
 * x < −1/2:   acos x = π − 2(s + s·R(z)),   z = (1 + x)/2, s = √z
 * x > 1/2:    acos x = 2(s + s·R(z)),       z = (1 − x)/2, s = √z (split into a head and tail)
 * }</pre>
 *
 * with {@code π/2} and {@code π} in two parts. Error below 1 ulp (checked against
 * {@code StrictMath.acos} in {@code ArcCosineTest}); exactly 0 at {@code x = 1} and {@code π} at
 * {@code x = −1}.
 */
public final class ArcCosine {
  private static final double PI = Double.longBitsToDouble(0x400921FB54442D18L);
  private static final double PIO2_HI = Double.longBitsToDouble(0x3FF921FB54442D18L);
  private static final double PIO2_LO = Double.longBitsToDouble(0x3C91A62633145C07L);
  private static final double PS0 = Double.longBitsToDouble(0x3FC5555555555555L);
  private static final double PS1 = Double.longBitsToDouble(0xBFD4D61203EB6F7DL);
  private static final double PS2 = Double.longBitsToDouble(0x3FC9C1550E884455L);
  private static final double PS3 = Double.longBitsToDouble(0xBFA48228B5688F3BL);
  private static final double PS4 = Double.longBitsToDouble(0x3F49EFE07501B288L);
  private static final double PS5 = Double.longBitsToDouble(0x3F023DE10DFDF709L);
  private static final double QS1 = Double.longBitsToDouble(0xC0033A271C8A2D4BL);
  private static final double QS2 = Double.longBitsToDouble(0x40002AE59C598AC8L);
  private static final double QS3 = Double.longBitsToDouble(0xBFE6066C1B8D0159L);
  private static final double QS4 = Double.longBitsToDouble(0x3FB3B8C5B12E9282L);

  private ArcCosine() {
  }

  /** {@code R(z) = P(z)/Q(z) ≈ (asin √z − √z)/√z³}. */
  private static double r(double z) {
    double p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
    double q = 1.0 + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
    return p / q;
  }

  /**
   * @param x in {@code [−1, 1]} (values outside are clamped)
   * @return {@code arccos x ∈ [0, π]}
   */
  public static double acos(double x) {
    if (x >= 1.0) {
      return 0.0;
    }
    if (x <= -1.0) {
      return PI;
    }
    if (x < 0.5 && x > -0.5) {
      return PIO2_HI - (x - (PIO2_LO - x * r(x * x)));
    }
    if (x < 0) {
      double z = (1.0 + x) * 0.5;
      double s = Math.sqrt(z);
      double w = r(z) * s - PIO2_LO;
      return PI - 2.0 * (s + w);
    }
    double z = (1.0 - x) * 0.5;
    double s = Math.sqrt(z);
    // df = s with its low 32 bits cleared, c = (z − df²)/(s + df): √z = df + c to double-double accuracy
    double df = Double.longBitsToDouble(Double.doubleToRawLongBits(s) & 0xFFFFFFFF00000000L);
    double c = (z - df * df) / (s + df);
    double w = r(z) * s + c;
    return 2.0 * (df + w);
  }
}

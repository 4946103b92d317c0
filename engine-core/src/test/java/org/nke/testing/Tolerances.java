package org.nke.testing;

/** Named tolerances of the accuracy tests (cf. EJML's {@code UtilEjml.TEST_F64}). */
public final class Tolerances {
  /** Closed forms and exact kernels against independent float64 references. */
  public static final double F64_REFERENCE = 1e-9;
  /** Identities that hold up to rounding. */
  public static final double F64_IDENTITY = 1e-13;
  /** Float32 storage against float64. */
  public static final double F32_STORAGE = 1e-5;
  /** A GPU backend in float32 against the CPU in float64. */
  public static final double F32_GPU = 1e-5;
  /** A GPU backend in float64 against the CPU where the maths is the same. */
  public static final double F64_GPU = 1e-12;

  private Tolerances() {
  }
}

package org.nke.cuda;

/** The PTX parameter types the nke kernels use, spelled as in a {@code .param} declaration. */
public enum PtxType {
  /** {@code .u32}: sizes, flags. */
  U32,
  /** {@code .u64}: device pointers (0 for "none"). */
  U64,
  /** {@code .f32}. */
  F32,
  /** {@code .f64}. */
  F64;

  /** @return the PTX spelling without the dot, e.g. {@code u64} */
  public String ptx() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * @param ptx {@code u32}, {@code u64}, {@code f32} or {@code f64}
   * @return the type
   */
  public static PtxType parse(String ptx) {
    return valueOf(ptx.toUpperCase(java.util.Locale.ROOT));
  }
}

package org.nke.cuda;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The arguments of one launch, appended in order and checked against the entry's declared parameter
 * list ({@link PtxKernel#params()}) as they are appended: a launcher that passes the wrong number or
 * type of arguments fails before anything reaches the driver. Pure Java (no JCuda types), so the
 * launchers can be checked without a GPU.
 */
public final class KernelArgs {
  private final PtxKernel kernel;
  private final List<Object> values = new ArrayList<>();

  private KernelArgs(PtxKernel kernel) {
    this.kernel = kernel;
  }

  /**
   * @param kernel the entry the arguments are for
   * @return an empty argument list
   */
  public static KernelArgs of(PtxKernel kernel) {
    return new KernelArgs(kernel);
  }

  private PtxType next(PtxType expected, String what) {
    int k = values.size();
    if (k >= kernel.params().size()) {
      throw new IllegalStateException(kernel.entry() + " takes " + kernel.params().size()
          + " parameters, got more (" + what + ")");
    }
    PtxType declared = kernel.params().get(k).type();
    if (expected != null && declared != expected) {
      throw new IllegalStateException(kernel.entry() + " parameter " + k + " ("
          + kernel.params().get(k).name() + ") is ." + declared.ptx() + ", got " + what);
    }
    return declared;
  }

  /**
   * @param buffer a device buffer, or {@code null} for a null pointer
   * @return this
   */
  public KernelArgs ptr(DeviceBuffer buffer) {
    next(PtxType.U64, "a pointer");
    values.add(buffer == null ? 0L : buffer.address());
    return this;
  }

  /**
   * @param v an unsigned 32-bit value, at least 0
   * @return this
   */
  public KernelArgs u32(int v) {
    next(PtxType.U32, "u32 " + v);
    if (v < 0) {
      throw new IllegalArgumentException(kernel.entry() + ": u32 argument must be >= 0, got " + v);
    }
    values.add(v);
    return this;
  }

  /**
   * @param flag a boolean passed as u32 0 or 1
   * @return this
   */
  public KernelArgs flag(boolean flag) {
    return u32(flag ? 1 : 0);
  }

  /**
   * A floating-point argument in the parameter's declared type ({@code .f64} as is, {@code .f32}
   * rounded to float).
   *
   * @param v the value
   * @return this
   */
  public KernelArgs real(double v) {
    PtxType t = next(null, "real " + v);
    if (t == PtxType.F64) {
      values.add(v);
    } else if (t == PtxType.F32) {
      values.add((float) v);
    } else {
      throw new IllegalStateException(kernel.entry() + " parameter " + values.size() + " ("
          + kernel.params().get(values.size()).name() + ") is ." + t.ptx() + ", got a real");
    }
    return this;
  }

  /**
   * @return the values in order: {@code Long} (u64), {@code Integer} (u32), {@code Double},
   *     {@code Float}
   * @throws IllegalStateException if fewer arguments than declared were given
   */
  public List<Object> values() {
    if (values.size() != kernel.params().size()) {
      throw new IllegalStateException(kernel.entry() + " takes " + kernel.params().size()
          + " parameters, got " + values.size());
    }
    return Collections.unmodifiableList(values);
  }

  /** @return the entry */
  public PtxKernel kernel() {
    return kernel;
  }
}

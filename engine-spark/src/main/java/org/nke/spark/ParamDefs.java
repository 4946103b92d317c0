package org.nke.spark;

import java.io.Serializable;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import org.nke.arch.Architecture;
import scala.Function1;

/**
 * The parameter definitions shared by the stages (name, documentation, validator), so that each
 * stage only declares fields. Validators run when a value is set, so a malformed architecture or an
 * unknown kind fails at {@code setArch}/{@code setKind}, on the driver.
 */
final class ParamDefs {
  private ParamDefs() {
  }

  static Param<String> inputCol(Identifiable o) {
    return new Param<>(o, "inputCol", "column of points: a vector or an array of numbers "
        + "(nested arrays, e.g. images H×W×C, are flattened row-major)");
  }

  static Param<String> backend(Identifiable o) {
    return new Param<>(o, "backend", "backend on each executor: auto (the GPU where the executor "
        + "has one and engine-cuda is on its class path), cpu or cuda",
        ParamValidators.inArray(new String[] {"auto", "cpu", "cuda"}));
  }

  static IntParam threads(Identifiable o) {
    return new IntParam(o, "threads", "CPU threads per task (tasks already run in parallel, one per "
        + "executor core)", ParamValidators.gtEq(1));
  }

  static IntParam blockSize(Identifiable o) {
    return new IntParam(o, "blockSize", "points per feature block: an executor task holds at most "
        + "blockSize × features doubles at a time", ParamValidators.inRange(1, 1 << 16));
  }

  static Param<String> arch(Identifiable o) {
    return new Param<>(o, "arch", "architecture, as in stax, e.g. "
        + "'Dense(W_std=1.5, b_std=0.1), Gelu(), Dense()'",
        (Function1<String, Object> & Serializable) ParamDefs::validArchitecture);
  }

  static Param<String> kind(Identifiable o) {
    return new Param<>(o, "kind", "kernel the features approximate: nngp or ntk",
        ParamValidators.inArray(new String[] {"nngp", "ntk"}));
  }

  static IntParam dim(Identifiable o) {
    return new IntParam(o, "dim", "sketch budget m (even, at least 64): at most m NNGP features, "
        + "2m NTK features", (Function1<Object, Object> & Serializable) v -> (Integer) v >= 64
        && (Integer) v % 2 == 0);
  }

  static LongParam seed(Identifiable o) {
    return new LongParam(o, "seed", "seed of every random draw of the sketch");
  }

  static IntParam degree(Identifiable o) {
    return new IntParam(o, "degree", "Hermite truncation degree q (0 = automatic)",
        ParamValidators.inRange(0, 30));
  }

  static DoubleParam ridge(Identifiable o) {
    return new DoubleParam(o, "ridge", "relative ridge λ (W = (FᵀF + λ s I)⁻¹ FᵀY, s = mean ‖f‖²); "
        + "unset: chosen by leave-one-out on at most 2,000 evenly spaced rows", ParamValidators.gt(0));
  }

  private static Object validArchitecture(String s) {
    Architecture.parse(s);
    return Boolean.TRUE;
  }
}

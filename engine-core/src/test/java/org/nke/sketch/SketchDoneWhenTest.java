package org.nke.sketch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nke.Kernels;
import org.nke.Sketches;
import org.nke.arch.Architecture;
import org.nke.exact.ExactKernel.Kind;
import org.nke.exact.KernelPair;

/**
 * The sketch issue's accuracy criterion at full size (run with {@code mvn test -Pslow}): 2,000 points
 * in ℝ¹⁰⁰ with norms over a decade, 3 hidden layers with {@code Dense(W_std=1.5, b_std=0.1)} before
 * each activation, {@code m = 8192}: GeLU NNGP error ≤ 0.03 and NTK ≤ 0.05, and for GeLU, ReLU and Erf
 * both kernels within 1.6× the oblivious floor.
 */
@Tag("slow")
class SketchDoneWhenTest {
  @ParameterizedTest
  @ValueSource(strings = {"Gelu()", "Relu()", "Erf()"})
  void sketchMeetsTheIssuesAccuracyAtM8192(String act) {
    Architecture arch = Architecture.parse("Dense(W_std=1.5, b_std=0.1), " + act + ", Dense(W_std=1.5, "
        + "b_std=0.1), " + act + ", Dense(W_std=1.5, b_std=0.1), " + act + ", Dense()");
    double[][] x = SketchAccuracy.points(2000, 100, 1, 7);
    KernelPair exact = Kernels.of(arch).withBackend("cpu").compute(x, null, Kind.BOTH);
    double[][] fk = Sketches.of(arch).withDim(8192).withSeed(1).withBackend("cpu").nngp(x);
    double[][] ft = Sketches.of(arch).withDim(8192).withSeed(1).withBackend("cpu").ntk(x);
    assertTrue(fk[0].length <= 8192 && ft[0].length <= 16384);
    double[][] k = exact.nngp().toArray();
    double[][] t = exact.ntk().toArray();
    double ek = SketchAccuracy.gramError(k, fk);
    double et = SketchAccuracy.gramError(t, ft);
    double rk = ek / SketchAccuracy.obliviousFloor(k, fk[0].length);
    double rt = et / SketchAccuracy.obliviousFloor(t, ft[0].length);
    String report = act + ": NNGP " + ek + " (" + rk + "x floor), NTK " + et + " (" + rt + "x floor)";
    assertTrue(rk <= 1.6 && rt <= 1.6, report);
    if (act.equals("Gelu()")) {
      assertTrue(ek <= 0.03 && et <= 0.05, report);
    }
  }
}

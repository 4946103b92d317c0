package org.nke.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nke.dual.ABReluDual;
import org.nke.dual.DualCatalog;
import org.nke.hermite.FunctionHermiteSource;
import org.nke.hermite.NormalExpectation;
import org.nke.spi.Precision;

/**
 * {@code nke_hermite_abrelu_f64}, executed by the PTX interpreter, against the CPU's
 * {@link FunctionHermiteSource} (the same quadrature, node for node, with the CPU's weights): plain and
 * folded coefficients of φ and φ' at scales from 0 to 30, bit for bit.
 */
class HermiteEmulationTest {
  @ParameterizedTest
  @CsvSource({"Relu(), 6, true", "Relu(), 9, false", "LeakyRelu(alpha=0.2), 5, true", "Abs(), 4, true",
      "'ABRelu(a=-0.3, b=0.7)', 0, true", "Relu(), 1, true", "Relu(), 30, true"})
  void quadratureMatchesTheCpu(String activation, int q, boolean fold) {
    ABReluDual dual = (ABReluDual) DualCatalog.byName(activation);
    FunctionHermiteSource src = new FunctionHermiteSource(dual.function().orElseThrow());
    double[] var = {0, 1e-6, 0.25, 1, 1.7, 4, 100, 900};
    EmulatedDevice dev = new EmulatedDevice();
    double[] leg = NormalExpectation.legendre()[0];
    QuadratureWeights rules = QuadratureWeights.of(var);
    DeviceBuffer offsets = dev.allocate(4L * var.length);
    dev.copyIn(offsets, rules.offsets());
    DeviceBuffer c = dev.allocate(8L * var.length * (q + 1));
    DeviceBuffer d = dev.allocate(8L * var.length * (q + 1));
    new SrhtKernels(dev).hermiteAbRelu(dev.upload(var, Precision.F64, "v"), c, d, var.length, q, fold,
        dual.a(), dual.b(), dev.upload(leg, Precision.F64, "l"), dev.upload(rules.weights(),
        Precision.F64, "w"), offsets);
    double[] gc = dev.read(c, var.length * (q + 1), Precision.F64);
    double[] gd = dev.read(d, var.length * (q + 1), Precision.F64);
    for (int i = 0; i < var.length; i++) {
      double a = Math.sqrt(var[i]);
      for (int w = 0; w < 2; w++) {
        double[] want = src.coefficients(a, q, w == 1, fold);
        double[] got = w == 0 ? gc : gd;
        for (int k = 0; k <= q; k++) {
          assertEquals(want[k], got[i * (q + 1) + k], 0.0, activation + (w == 1 ? " derivative" : "")
              + " scale " + a + " degree " + k);
        }
      }
    }
  }
}

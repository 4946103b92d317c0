package org.nke.krr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nke.error.InvalidInputException;
import org.nke.testing.ReferenceJson;

/**
 * {@link EnsemblePosterior} against neural-tangents 0.6.6 ({@code predict_reference.json}, written by
 * {@code tools/reference/predict_reference.py}: {@code gradient_descent_mse_ensemble(..., diag_reg=1e-3)}
 * on a two-hidden-layer ReLU network, 12 training and 5 test points, 2 outputs), and its limits.
 */
class EnsemblePosteriorTest {
  /** Agreement with neural-tangents, relative to the largest entry of the reference. */
  static final double NT_REFERENCE = 1e-10;
  static final double[] TIMES = {0, 0.5, 1, 10, 1000, Double.POSITIVE_INFINITY};

  @SuppressWarnings("unchecked")
  static final Map<String, Object> REF =
      (Map<String, Object>) ReferenceJson.load("/org/nke/krr/predict_reference.json");

  static double[][] ref(String key) {
    return ReferenceJson.matrix(REF.get(key));
  }

  static EnsemblePosterior posterior(EnsembleKind kind) {
    double ridge = (Double) REF.get("ridge");
    return kind == EnsembleKind.NNGP ? EnsemblePosterior.nngp(ref("nngp_train"), ref("y_train"), ridge)
        : EnsemblePosterior.ntk(ref("ntk_train"), ref("nngp_train"), ref("y_train"), ridge);
  }

  static double[][] testTrain(EnsembleKind kind) {
    return kind == EnsembleKind.NNGP ? ref("nngp_test_train") : ref("ntk_test_train");
  }

  /** @return {@code max |a − e| / max |e|} (0 when both vanish) */
  static double scaledError(double[][] expected, double[][] actual) {
    return scaledError(expected, actual, 0);
  }

  /** @return {@code max |a − e| / max(max |e|, floor)} (0 when both vanish) */
  static double scaledError(double[][] expected, double[][] actual, double floor) {
    double err = 0;
    double scale = floor;
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i].length, actual[i].length);
      for (int j = 0; j < expected[i].length; j++) {
        err = Math.max(err, Math.abs(actual[i][j] - expected[i][j]));
        scale = Math.max(scale, Math.abs(expected[i][j]));
      }
    }
    return err == 0 ? 0 : err / scale;
  }

  static double time(Object t) {
    return t instanceof Double d ? d : Double.POSITIVE_INFINITY; // "inf" and "none" (t = None)
  }

  @SuppressWarnings("unchecked")
  static Stream<Arguments> neuralTangentsCases() {
    return ((List<Object>) REF.get("cases")).stream().map(o -> (Map<String, Object>) o)
        .map(c -> Arguments.of(c.get("get"), String.valueOf(c.get("time")), time(c.get("time")),
            ReferenceJson.matrix(c.get("mean")), ReferenceJson.matrix(c.get("covariance"))));
  }

  @ParameterizedTest(name = "{0} t={1}")
  @MethodSource("neuralTangentsCases")
  void meanAndCovarianceMatchNeuralTangents(String get, String label, double t, double[][] mean,
      double[][] cov) {
    EnsembleKind kind = EnsembleKind.valueOf(get.toUpperCase(java.util.Locale.ROOT));
    EnsemblePosterior p = posterior(kind);
    double[][] td = testTrain(kind);
    double[][] nngpTd = ref("nngp_test_train");
    double[][] tt = ref("nngp_test");
    double meanErr = scaledError(mean, p.mean(t, td));
    double covErr = scaledError(cov, p.covariance(t, td, nngpTd, tt));
    double[] diag = new double[tt.length];
    double[] refVar = new double[tt.length];
    for (int i = 0; i < diag.length; i++) {
      diag[i] = tt[i][i];
      refVar[i] = cov[i][i];
    }
    double varErr = scaledError(new double[][] {refVar}, new double[][] {p.variance(t, td, nngpTd,
        diag)});
    assertTrue(meanErr <= NT_REFERENCE, "mean error " + meanErr);
    assertTrue(covErr <= NT_REFERENCE, "covariance error " + covErr);
    assertTrue(varErr <= NT_REFERENCE, "variance error " + varErr);
  }

  @Test
  void infiniteTimeIsTheRidgePredictor() {
    double ridge = (Double) REF.get("ridge");
    double[][] y = ref("y_train");
    double[][] nngp = ExactRidge.scores(ref("nngp_test_train"),
        ExactRidge.fit(ref("nngp_train"), y, ridge));
    double[][] ntk = ExactRidge.scores(ref("ntk_test_train"),
        ExactRidge.fit(ref("ntk_train"), y, ridge));
    double inf = Double.POSITIVE_INFINITY;
    assertTrue(scaledError(nngp, posterior(EnsembleKind.NNGP).mean(inf, testTrain(EnsembleKind.NNGP)))
        <= 1e-10);
    assertTrue(scaledError(ntk, posterior(EnsembleKind.NTK).mean(inf, testTrain(EnsembleKind.NTK)))
        <= 1e-10);
  }

  @Test
  void infiniteTimeNngpCovarianceIsTheGpPosterior() {
    // K_tt − K_td K_r⁻¹ K_dt, with K_r⁻¹ K_dt by the Cholesky solver
    double ridge = (Double) REF.get("ridge");
    double[][] td = ref("nngp_test_train");
    double[][] solved = ExactRidge.fit(ref("nngp_train"), Syrk.transpose(td), ridge);
    double[][] expected = ref("nngp_test");
    double[][] kts = GradientFlow.multiply(td, solved);
    for (int a = 0; a < expected.length; a++) {
      for (int b = 0; b < expected.length; b++) {
        expected[a][b] -= kts[a][b];
      }
    }
    double[][] actual = posterior(EnsembleKind.NNGP).covariance(Double.POSITIVE_INFINITY, td, null,
        ref("nngp_test"));
    assertTrue(scaledError(expected, actual) <= 1e-10, "error " + scaledError(expected, actual));
  }

  @Test
  void zeroTimeIsThePrior() {
    for (EnsembleKind kind : EnsembleKind.values()) {
      EnsemblePosterior p = posterior(kind);
      double[][] mean = p.mean(0, testTrain(kind));
      for (double[] row : mean) {
        for (double v : row) {
          assertEquals(0.0, v);
        }
      }
      double[][] tt = ref("nngp_test");
      double[][] cov = p.covariance(0, testTrain(kind), ref("nngp_test_train"), tt);
      assertTrue(scaledError(tt, cov) == 0, kind + ": " + scaledError(tt, cov));
    }
  }

  @Test
  void varianceIsTheDiagonalOfTheCovariance() {
    double[][] tt = ref("nngp_test");
    double[] diag = new double[tt.length];
    for (int i = 0; i < diag.length; i++) {
      diag[i] = tt[i][i];
    }
    for (EnsembleKind kind : EnsembleKind.values()) {
      EnsemblePosterior p = posterior(kind);
      for (double t : TIMES) {
        double[][] cov = p.covariance(t, testTrain(kind), ref("nngp_test_train"), tt);
        double[] var = p.variance(t, testTrain(kind), ref("nngp_test_train"), diag);
        for (int i = 0; i < var.length; i++) {
          assertEquals(cov[i][i], var[i], 1e-13 * tt[i][i], kind + " t=" + t + " i=" + i);
        }
      }
    }
  }

  @Test
  void rejectsNegativeOrNanTimes() {
    EnsemblePosterior p = posterior(EnsembleKind.NNGP);
    assertThrows(InvalidInputException.class, () -> p.mean(-1, testTrain(EnsembleKind.NNGP)));
    assertThrows(InvalidInputException.class, () -> p.mean(Double.NaN, testTrain(EnsembleKind.NNGP)));
    assertThrows(InvalidInputException.class,
        () -> EnsemblePosterior.nngp(ref("nngp_train"), ref("y_train"), -1));
  }
}

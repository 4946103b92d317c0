package org.nke.cli.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.io.MatrixWriter;
import org.nke.spark.SyntheticData;
import org.nke.spi.Precision;

class SparkJobTest {
  private static final String ARCH = "Dense(W_std=1.5, b_std=0.1), Relu(), Dense()";
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("nke-tests")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }

  /** Exit code, stdout, stderr. */
  private record Result(int code, String out, String err) {
  }

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = SparkJob.run(spark, args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void csv(Path file, double[][] x, double[] y, boolean header) throws IOException {
    StringBuilder sb = new StringBuilder(header ? "a,b,c,d,class\n" : "");
    for (int i = 0; i < x.length; i++) {
      for (double v : x[i]) {
        sb.append(String.format(Locale.ROOT, "%.17g,", v));
      }
      sb.append(y[i] == y[i] ? String.valueOf((int) y[i]) : "nan").append('\n');
    }
    Files.writeString(file, sb.toString());
  }

  private static void npy(Path file, double[][] a) throws IOException {
    try (OutputStream os = Files.newOutputStream(file)) {
      MatrixWriter.write(os, file, Precision.F64, a.length, a[0].length,
          (i, row) -> System.arraycopy(a[i], 0, row, 0, a[i].length));
    }
  }

  @Test
  void fitOnCsvWithTestSetThenPredictWithTheSavedModel(@TempDir Path dir) throws IOException {
    double[][] x = SyntheticData.points(0, 900, 4, 1);
    double[] y = new double[x.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = SyntheticData.label(1, x[i], 3);
    }
    csv(dir.resolve("train.csv"), java.util.Arrays.copyOf(x, 700), y, true);
    csv(dir.resolve("test.csv"), java.util.Arrays.copyOfRange(x, 700, 900),
        java.util.Arrays.copyOfRange(y, 700, 900), true);
    Result fit = run("fit", "--arch", ARCH, "--x", dir.resolve("train.csv").toString(),
        "--label-col", "class", "--dim", "128", "--model", dir.resolve("model").toString(),
        "--nke-model", dir.resolve("model.zip").toString(), "--test",
        dir.resolve("test.csv").toString(), "--out", dir.resolve("pred.parquet").toString());
    assertEquals(0, fit.code(), fit.err());
    assertTrue(fit.out().matches("(?s).*\\bridge [0-9.eE+-]+ \\(chosen by leave-one-out on 700 points.*"),
        fit.out());
    assertTrue(fit.out().contains("test accuracy "), fit.out());
    double accuracy = Double.parseDouble(fit.out().replaceAll("(?s).*test accuracy (\\S+).*", "$1"));
    assertTrue(accuracy > 0.7, fit.out());

    for (String model : List.of("model", "model.zip")) {
      Result p = run("predict", "--model", dir.resolve(model).toString(), "--x",
          dir.resolve("test.csv").toString(), "--label-col", "5", "--out",
          dir.resolve("p-" + model + ".parquet").toString());
      assertEquals(0, p.code(), p.err());
      assertTrue(p.out().contains(String.format(Locale.ROOT, "accuracy %.6g on 200 rows", accuracy)),
          p.out() + " vs " + accuracy);
      List<Row> a = spark.read().parquet(dir.resolve("pred.parquet").toString()).sort("row")
          .select("prediction", "rawPrediction").collectAsList();
      List<Row> b = spark.read().parquet(dir.resolve("p-" + model + ".parquet").toString())
          .sort("row").select("prediction", "rawPrediction").collectAsList();
      assertEquals(a, b);
    }
  }

  @Test
  void uncertaintyGivesTheMeanAtATimeAndAVarianceColumn(@TempDir Path dir) throws IOException {
    double[][] x = SyntheticData.points(3, 400, 4, 1);
    double[] y = new double[x.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = x[i][0] - 0.5 * x[i][1];
    }
    StringBuilder[] text = {new StringBuilder(), new StringBuilder()};
    for (int i = 0; i < x.length; i++) {
      StringBuilder sb = text[i < 300 ? 0 : 1];
      for (double v : x[i]) {
        sb.append(String.format(Locale.ROOT, "%.17g,", v));
      }
      sb.append(String.format(Locale.ROOT, "%.17g%n", y[i]));
    }
    Files.writeString(dir.resolve("train.csv"), text[0]);
    Files.writeString(dir.resolve("test.csv"), text[1]);
    String train = dir.resolve("train.csv").toString();
    String test = dir.resolve("test.csv").toString();
    Result fit = run("fit", "--arch", ARCH, "--x", train, "--label-col", "5", "--dim", "128",
        "--uncertainty",
        "--model", dir.resolve("model").toString(), "--test", test, "--time", "5", "--variance",
        "--out", dir.resolve("fit.parquet").toString());
    assertEquals(0, fit.code(), fit.err());
    List<Row> atFit = spark.read().parquet(dir.resolve("fit.parquet").toString()).sort("row")
        .select("prediction", "variance").collectAsList();
    assertEquals(100, atFit.size());
    for (Row r : atFit) {
      assertTrue(r.getDouble(1) > 0 && Double.isFinite(r.getDouble(1)), r.toString());
    }
    // the saved model gives the same mean and variance, and the mean at t = 5 is not the ridge's
    Result p = run("predict", "--model", dir.resolve("model").toString(), "--x", test, "--label-col", "5", "--time", "5",
        "--variance", "--out", dir.resolve("p5.parquet").toString());
    assertEquals(0, p.code(), p.err());
    assertEquals(atFit, spark.read().parquet(dir.resolve("p5.parquet").toString()).sort("row")
        .select("prediction", "variance").collectAsList());
    Result ridge = run("predict", "--model", dir.resolve("model").toString(), "--x", test, "--label-col", "5", "--out",
        dir.resolve("pinf.parquet").toString());
    assertEquals(0, ridge.code(), ridge.err());
    List<Row> atInf = spark.read().parquet(dir.resolve("pinf.parquet").toString()).sort("row")
        .select("prediction").collectAsList();
    double diff = 0;
    for (int i = 0; i < atInf.size(); i++) {
      diff = Math.max(diff, Math.abs(atInf.get(i).getDouble(0) - atFit.get(i).getDouble(0)));
    }
    assertTrue(diff > 1e-6, "the mean at t = 5 differs from the ridge mean (t = inf)");
    assertEquals(2, run("predict", "--model", dir.resolve("model").toString(), "--x", test, "--label-col", "5",
        "--time", "-1", "--out", dir.resolve("bad.parquet").toString()).code());
    // a model fitted without --uncertainty cannot give a variance: a named input error
    Result plain = run("fit", "--arch", ARCH, "--x", train, "--label-col", "5", "--dim", "128",
        "--model",
        dir.resolve("plain").toString());
    assertEquals(0, plain.code(), plain.err());
    Result refused = run("predict", "--model", dir.resolve("plain").toString(), "--x", test, "--label-col", "5",
        "--variance", "--out", dir.resolve("no.parquet").toString());
    assertEquals(4, refused.code(), refused.err());
    assertTrue(refused.err().contains("ncertainty"), refused.err());
  }

  @Test
  void featuresFromNpyAndLibsvmAndSyntheticRegression(@TempDir Path dir) throws IOException {
    double[][] x = SyntheticData.points(0, 300, 6, 2);
    npy(dir.resolve("x.npy"), x);
    Result f = run("features", "--arch", ARCH, "--x", dir.resolve("x.npy").toString(), "--kind",
        "nngp", "--dim", "64", "--dtype", "float32", "--out", dir.resolve("f.parquet").toString());
    assertEquals(0, f.code(), f.err());
    assertTrue(f.out().startsWith("nke-spark features: 300 rows, "), f.out());
    assertEquals(300, spark.read().parquet(dir.resolve("f.parquet").toString()).count());

    Files.writeString(dir.resolve("d.libsvm"), "1 1:0.5 3:-1.25\n0 2:2.0\n1 1:1.5 2:0.25 3:0.75\n"
        .repeat(20));
    Result l = run("fit", "--arch", ARCH, "--x", dir.resolve("d.libsvm").toString(), "--dim", "64",
        "--ridge", "0.01", "--model", dir.resolve("m").toString());
    assertEquals(0, l.code(), l.err());
    assertTrue(l.out().contains("ridge 0.01 (given)"), l.out());

    Result r = run("fit", "--arch", ARCH, "--x", "synthetic:1500,5,0,4", "--partitions", "3",
        "--kind", "nngp", "--dim", "64", "--model", dir.resolve("r").toString(), "--test",
        "synthetic:200,5,0,4,1500");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("test MSE "), r.out());
  }

  @Test
  void usageAndBadDataGiveTheCliExitCodes(@TempDir Path dir) throws IOException {
    Result u = run("fit", "--arch", ARCH, "--frobnicate", "1");
    assertEquals(2, u.code());
    assertTrue(u.err().contains("unknown option '--frobnicate' for fit"), u.err());
    Result none = run("fit", "--x", "synthetic:10,2,2", "--model", dir.resolve("m").toString());
    assertEquals(2, none.code());
    assertTrue(none.err().contains("fit must have --arch, got none"), none.err());

    double[][] x = SyntheticData.points(0, 400, 4, 3);
    double[] y = new double[x.length];
    y[300] = Double.NaN;
    csv(dir.resolve("bad.csv"), x, y, false);
    Result bad = run("fit", "--arch", ARCH, "--x", dir.resolve("bad.csv").toString(), "--label-col",
        "5", "--dim", "64", "--model", dir.resolve("m").toString());
    assertEquals(4, bad.code(), bad.err());
    assertTrue(bad.err().contains("column 'label' labels must be finite numbers, got NaN at row 301"),
        bad.err());
  }
}

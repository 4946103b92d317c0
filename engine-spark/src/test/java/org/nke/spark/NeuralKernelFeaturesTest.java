package org.nke.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nke.Sketches;
import org.nke.error.InvalidInputException;
import org.nke.sketch.SketchPlan;

class NeuralKernelFeaturesTest {
  private static final String ARCH = "Dense(W_std=1.5, b_std=0.1), Gelu(), Dense(W_std=1.2), "
      + "Relu(), Dense()";
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkTests.local();
  }

  private static double[][] collect(Dataset<Row> out, String column, int n) {
    double[][] f = new double[n][];
    for (Row r : out.select("id", column).collectAsList()) {
      f[(int) r.getLong(0)] = ((Vector) r.get(1)).toArray();
    }
    return f;
  }

  @ParameterizedTest
  @CsvSource({"ntk, 1", "ntk, 3", "nngp, 7"})
  void featuresAreBitIdenticalToTheLocalApiWhateverThePartitioning(String kind, int partitions) {
    double[][] x = SparkTests.points(700, 12, 5);
    Dataset<Row> df = SparkTests.frame(spark, x, null, partitions);
    if (partitions == 7) {
      // shuffle rows across partitions too, after fixing the plan on the data in row order
      NeuralKernelFeatures stage = new NeuralKernelFeatures().setArch(ARCH).setKind(kind).setDim(128)
          .setSeed(42).setBlockSize(50).withPlanSampleFrom(df);
      df = df.repartition(7);
      assertLocal(x, kind, true, collect(stage.transform(df), "nkeFeatures", x.length));
      return;
    }
    Dataset<Row> out = new NeuralKernelFeatures().setArch(ARCH).setKind(kind).setDim(128).setSeed(42)
        .setBlockSize(50).transform(df);
    // no plan sample: the data-free plan, whatever the data
    assertLocal(x, kind, false, collect(out, "nkeFeatures", x.length));
  }

  private static void assertLocal(double[][] x, String kind, boolean adapted, double[][] got) {
    Sketches local = Sketches.of(ARCH).withDim(128).withSeed(42).withBackend("cpu").withThreads(2);
    SketchPlan plan = adapted ? local.plan(x, kind.equals("ntk"))
        : local.plan(x[0].length, kind.equals("ntk"));
    double[][] want = local.features(plan, x);
    for (int i = 0; i < x.length; i++) {
      assertArrayEquals(want[i], got[i], 0.0, "row " + i);
    }
  }

  @Test
  void float32GivesAnArrayOfFloatsAndSaveLoadKeepsTheParameters(@TempDir Path dir) throws Exception {
    double[][] x = SparkTests.points(300, 6, 9);
    Dataset<Row> df = SparkTests.frame(spark, x, null, 2);
    NeuralKernelFeatures stage = new NeuralKernelFeatures().setArch(ARCH).setKind("nngp").setDim(64)
        .setSeed(3).setDtype("float32").setOutputCol("f").withPlanSampleFrom(df);
    String path = dir.resolve("stage").toString();
    stage.write().save(path);
    NeuralKernelFeatures loaded = NeuralKernelFeatures.load(path);
    assertEquals(stage.uid(), loaded.uid());
    assertEquals("float32", loaded.getOrDefault(loaded.dtype()));
    List<Row> a = stage.transform(df).select("id", "f").sort("id").collectAsList();
    List<Row> b = loaded.transform(df.repartition(3)).select("id", "f").sort("id").collectAsList();
    double[][] want = Sketches.of(ARCH).withDim(64).withSeed(3).withBackend("cpu").nngp(x);
    for (int i = 0; i < x.length; i++) {
      List<Float> fa = a.get(i).getList(1);
      assertEquals(fa, b.get(i).getList(1));
      for (int j = 0; j < want[i].length; j++) {
        assertEquals((float) want[i][j], fa.get(j), 0.0f);
      }
    }
  }

  @Test
  void badInputNamesTheColumnAndTheRow() {
    double[][] x = SparkTests.points(400, 5, 1);
    x[333][2] = Double.NaN;
    Dataset<Row> df = SparkTests.frame(spark, x, null, 2);
    NeuralKernelFeatures stage = new NeuralKernelFeatures().setArch(ARCH).setDim(64);
    Exception e = assertThrows(Exception.class, () -> stage.transform(df).collect());
    assertTrue(message(e).contains("column 'features' values must be finite, got NaN at row 134 of "
        + "partition 1, element 3"), message(e));
    x[33][4] = Double.POSITIVE_INFINITY;
    x[333][2] = 0;
    // the data-free plan reads only the first row on the driver; the executors name the bad one
    Exception inf = assertThrows(Exception.class,
        () -> stage.transform(SparkTests.frame(spark, x, null, 2)).collect());
    assertTrue(message(inf).contains("column 'features' values must be finite, got Infinity at row "
        + "34 of partition 0, element 5"), message(inf));
    InvalidInputException sample = assertThrows(InvalidInputException.class,
        () -> stage.withPlanSampleFrom(SparkTests.frame(spark, x, null, 2)));
    assertEquals("column 'features' values must be finite, got Infinity at row 34, element 5",
        sample.getMessage());

    InvalidInputException type = assertThrows(InvalidInputException.class,
        () -> stage.setInputCol("label").transform(df));
    assertEquals("column 'label' must be a vector or an array of numbers, got double",
        type.getMessage());

    double[][] y = SparkTests.points(20, 5, 1);
    NeuralKernelFeatures fixed = new NeuralKernelFeatures().setArch(ARCH).setDim(64)
        .setPlanSample(SparkTests.points(4, 6, 2));
    Exception dim = assertThrows(Exception.class,
        () -> fixed.transform(SparkTests.frame(spark, y, null, 2)).collect());
    // both partitions are wrong; whichever task fails first is reported
    assertTrue(java.util.regex.Pattern.compile("column 'features' must hold points of dimension 6, "
        + "got 5 values at row 1 of partition [01]").matcher(message(dim)).find(), message(dim));
  }

  static String message(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t.getMessage()).append(" | ");
    }
    return sb.toString();
  }
}

package org.nke.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.nke.Sketches;
import org.nke.krr.SketchModel;

/**
 * Executors in separate JVMs: Spark's {@code local-cluster[2,1,1024]} mode starts a standalone
 * master and two workers in this JVM, and each worker launches its executor as a child JVM — the
 * same code path as a real standalone cluster, so closures, broadcasts and results are serialized
 * and every executor builds its own plan and opens its own backend. The executors' class path is
 * this test's class path ({@code spark.executor.extraClassPath}); the worker's launcher wants a
 * {@code SPARK_HOME} with a {@code jars} folder and a Scala version, which surefire provides
 * (engine-spark/pom.xml: an empty {@code target/spark-home/jars}, {@code SPARK_SCALA_VERSION}).
 * Everything binds to the loopback interface.
 */
class SeparateJvmTest {
  @Test
  void executorJvmsRebuildThePlanOpenTheBackendOnceAndMatchTheLocalApi() throws Exception {
    String home = System.getenv("SPARK_HOME");
    assumeTrue(home != null && System.getenv("SPARK_SCALA_VERSION") != null,
        "SPARK_HOME and SPARK_SCALA_VERSION must be set (surefire sets them; see engine-spark/pom.xml)");
    SparkSession spark = SparkTests.cluster("nke-separate-jvms", 2, 1024);
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      double[][] x = SparkTests.points(2000, 10, 51);
      double[] y = SparkTests.classes(x);
      double[][] test = SparkTests.points(300, 10, 52);

      NeuralKernelRidgeModel model = new NeuralKernelRidge().setArch(NeuralKernelRidgeTest.ARCH)
          .setDim(128).setSeed(9).setRidge(1e-3).setBackend("auto").setBlockSize(128)
          .fit(SparkTests.frame(spark, x, y, 6));
      double[] predicted = new double[test.length];
      double[][] got = NeuralKernelRidgeTest.sparkScores(
          model.transform(SparkTests.frame(spark, test, null, 4)), test.length, predicted);
      SketchModel[] local = new SketchModel[1];
      double[][] want = NeuralKernelRidgeTest.localScores(local, true, 128, 9, x, y, 1e-3, test);
      double diff = NeuralKernelRidgeTest.maxDiff(want, got);
      assertTrue(diff <= 1e-9, "max difference " + diff);

      List<Row> rows = new NeuralKernelFeatures().setArch(NeuralKernelRidgeTest.ARCH)
          .setKind("nngp")
          .setDim(64).setSeed(2).transform(SparkTests.frame(spark, test, null, 5))
          .select("id", "nkeFeatures").collectAsList();
      double[][] f = Sketches.of(NeuralKernelRidgeTest.ARCH).withDim(64).withSeed(2)
          .withBackend("cpu").nngp(test);
      for (Row r : rows) {
        assertArrayEquals(f[(int) r.getLong(0)], ((Vector) r.get(1)).toArray(), 0.0);
      }

      Map<Long, ExecutorResources.Stats> byPid = new TreeMap<>();
      for (ExecutorResources.Stats s : jsc.parallelize(IntStream.range(0, 16).boxed().toList(), 16)
          .mapPartitions(it -> {
            Thread.sleep(100);
            return List.of(ExecutorResources.stats()).iterator();
          }).collect()) {
        byPid.put(s.pid(), s);
      }
      assertEquals(2, byPid.size(), "executor JVMs: " + byPid);
      assertTrue(!byPid.containsKey(ProcessHandle.current().pid()),
          "an executor ran in the driver");
      for (ExecutorResources.Stats s : byPid.values()) {
        assertEquals(1, s.backendOpens(), "backend opened once per executor JVM: " + s);
        assertTrue(s.planBuilds() >= 1 && s.planBuilds() <= 2, "plans built per JVM: " + s);
        assertTrue(s.backends().get(0).contains("chose cpu"), s.backends().toString());
      }
    } finally {
      spark.stop();
    }
  }
}

package org.nke.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.MountableFile;

/**
 * The job on a real Spark standalone cluster in containers (Apache's {@code apache/spark} image,
 * the Spark and Java versions this module builds against): a master and a worker on a private
 * Docker network, {@code spark-submit} in client mode inside the master container, executors in the
 * worker container. Skipped, with the reason, where no Docker engine runs (this project's machines
 * and CI); the separate-JVM test covers the same code paths without Docker.
 */
class SparkStandaloneContainerTest {
  static final String IMAGE = "apache/spark:3.5.7-scala2.12-java17-ubuntu";

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  @Test
  void fitAndPredictOnAStandaloneClusterInContainers(@TempDir Path dir) throws Exception {
    assumeTrue(dockerAvailable(), "no Docker engine is reachable here (Testcontainers found none), so "
        + "the containerised Spark cluster cannot start; SeparateJvmTest covers executors in "
        + "separate JVMs without Docker");
    Path jar = JobJar.build(dir);
    try (Network net = Network.newNetwork();
        GenericContainer<?> master = new GenericContainer<>(IMAGE).withNetwork(net)
            .withNetworkAliases("master")
            .withCommand("/opt/spark/bin/spark-class", "org.apache.spark.deploy.master.Master",
                "--host", "master", "--port", "7077")
            .waitingFor(Wait.forLogMessage(".*I have been elected leader.*\\n", 1)
                .withStartupTimeout(Duration.ofMinutes(3)));
        GenericContainer<?> worker = new GenericContainer<>(IMAGE).withNetwork(net)
            .withNetworkAliases("worker")
            .withCommand("/opt/spark/bin/spark-class", "org.apache.spark.deploy.worker.Worker",
                "--cores", "2", "--memory", "2g", "spark://master:7077")
            .waitingFor(Wait.forLogMessage(".*Successfully registered with master.*\\n", 1)
                .withStartupTimeout(Duration.ofMinutes(3)))) {
      master.start();
      worker.start();
      master.copyFileToContainer(MountableFile.forHostPath(jar), "/tmp/nke-spark.jar");
      ExecResult r = master.execInContainer("/opt/spark/bin/spark-submit",
          "--master", "spark://master:7077", "--conf", "spark.driver.host=master",
          "--conf", "spark.executor.memory=1g", "--class", "org.nke.cli.spark.SparkJob",
          "/tmp/nke-spark.jar", "fit", "--arch", "Dense(W_std=1.5, b_std=0.1), Gelu(), Dense()",
          "--x", "synthetic:4000,8,3,1", "--partitions", "4", "--dim", "128", "--ridge", "0.001",
          "--test", "synthetic:500,8,3,1,4000");
      assertEquals(0, r.getExitCode(), r.getStdout() + r.getStderr());
      assertTrue(r.getStdout().contains("primal (4000 points"), r.getStdout());
      double accuracy = Double.parseDouble(
          r.getStdout().replaceAll("(?s).*test accuracy (\\S+).*", "$1"));
      assertTrue(accuracy > 0.6, r.getStdout());
    }
  }
}

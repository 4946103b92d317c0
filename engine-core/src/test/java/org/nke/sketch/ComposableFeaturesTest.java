package org.nke.sketch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nke.Sketches;
import org.nke.arch.Architecture;
import org.nke.error.InvalidInputException;
import org.nke.ir.ChannelStats;
import org.nke.ir.ImageBatch;

/**
 * Features compose across runs ({@code shared/spec/cli.md}, "Features that compose"): the features
 * of a point depend on the architecture, the options and the point, not on what else is sketched
 * with it; a plan adapted to data is kept in a {@link PlanFile} and gives the same features after a
 * round trip.
 */
class ComposableFeaturesTest {
  private static final String GELU = "Dense(W_std=1.5, b_std=0.1), Gelu(), Dense(W_std=1.5, "
      + "b_std=0.1), Tanh(), Dense()";
  private static final String CONV = "Conv(4, (3, 3), padding='SAME', W_std=1.4, b_std=0.1), Gelu(), "
      + "AvgPool((2, 2), strides=(2, 2)), Conv(4, (3, 3), padding='SAME', W_std=1.4), Relu(), "
      + "Flatten(), Dense()";

  @TempDir
  Path dir;

  private static double[][] concat(double[][] a, double[][] b) {
    double[][] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void denseFeaturesOfTwoHalvesInTwoRunsEqualOneRunBitForBit() {
    // halves with very different scales: a data-adapted plan would differ between them
    double[][] first = SketchAccuracy.points(30, 12, 0.2, 1);
    double[][] second = SketchAccuracy.points(30, 12, 0.2, 2);
    for (double[] row : second) {
      for (int j = 0; j < row.length; j++) {
        row[j] *= 9;
      }
    }
    double[][] all = concat(first, second);
    for (boolean ntk : new boolean[] {false, true}) {
      Sketches s = Sketches.of(GELU).withDim(256).withSeed(5).withBackend("cpu");
      double[][] joint = ntk ? s.ntk(all) : s.nngp(all);
      double[][] a = ntk ? s.ntk(first) : s.nngp(first);
      double[][] b = ntk ? s.ntk(second) : s.nngp(second);
      assertArrayEquals(joint, concat(a, b), ntk ? "NTK" : "NNGP");
    }
  }

  @Test
  void imageFeaturesOfTwoHalvesInTwoRunsEqualOneRunBitForBit() {
    ImageBatch all = CntkSketchAccuracy.images(8, 6, 6, 2, 3);
    ImageBatch first = all.slice(0, 3);
    ImageBatch second = all.slice(3, 8);
    for (boolean ntk : new boolean[] {false, true}) {
      Sketches s = Sketches.of(CONV).withDim(128).withSeed(2).withBackend("cpu");
      double[][] joint = ntk ? s.ntk(all) : s.nngp(all);
      assertArrayEquals(joint, concat(ntk ? s.ntk(first) : s.nngp(first),
          ntk ? s.ntk(second) : s.nngp(second)), ntk ? "NTK" : "NNGP");
    }
  }

  @Test
  void subspaceFeaturesDependOnlyOnThePoint() {
    double[][] x = SketchAccuracy.points(10, 20, 1, 4);
    PlanSpec spec = PlanSpec.reference(PlanMethod.SUBSPACE, Architecture.parse("Dense(W_std=1.4), Relu(), "
        + "Dense(W_std=1.4), Relu(), Dense()"), SketchOptions.of(256, 3, true), 20);
    SubspaceEmbedding one = spec.embedding();
    SubspaceEmbedding two = spec.embedding();
    for (double[] p : x) {
      assertArrayEquals(one.features(p), two.features(p));
    }
  }

  @Test
  void planFilesRoundTripAndGiveTheSameFeatures() throws IOException {
    double[][] x = SketchAccuracy.points(20, 8, 1, 6);
    Architecture arch = Architecture.parse(GELU);
    PlanSpec reference = PlanSpec.reference(PlanMethod.SKETCH, arch,
        new SketchOptions(256, 9, true, 5, 3e-3), 8);
    PlanSpec adapted = reference.adaptedTo(x, 16);
    for (PlanSpec spec : new PlanSpec[] {reference, adapted}) {
      Path f = dir.resolve("plan-" + spec.adapted() + ".zip");
      try (OutputStream os = Files.newOutputStream(f)) {
        PlanFile.write(spec, os);
      }
      PlanSpec back = PlanFile.read(f);
      assertEquals(spec, back);
      assertEquals(3e-3, back.options().tailTolerance());
      SketchPlan p1 = spec.densePlan();
      SketchPlan p2 = back.densePlan();
      for (double[] point : x) {
        assertArrayEquals(p1.features(point), p2.features(point));
      }
    }
    assertFalse(Arrays.equals(reference.densePlan().features(x[0]), adapted.densePlan().features(x[0]))
        && reference.densePlan().layers().equals(adapted.densePlan().layers()),
        "an adapted plan may differ from the reference; both must round-trip");
  }

  @Test
  void imagePlanFilesKeepTheirStandardizationAndSample() throws IOException {
    ImageBatch images = CntkSketchAccuracy.images(4, 6, 6, 2, 1);
    ChannelStats stats = images.channelStats();
    PlanSpec spec = PlanSpec.reference(PlanMethod.SKETCH, Architecture.parse(CONV),
        SketchOptions.of(128, 1, false), 6, 6, 2).adaptedTo(images.toPoints(), 8)
        .withStandardization(stats);
    Path f = dir.resolve("images.plan");
    try (OutputStream os = Files.newOutputStream(f)) {
      PlanFile.write(spec, os);
    }
    PlanSpec back = PlanFile.read(f);
    assertEquals(spec, back);
    assertArrayEquals(stats.mean(), back.standardization().mean());
    double[] image = new double[images.imageSize()];
    images.copyImage(2, image);
    assertArrayEquals(spec.cntkPlan().features(image), back.cntkPlan().features(image));
    assertThrows(InvalidInputException.class, () -> back.checkShape("X", 8, 8, 2));
  }

  /**
   * The exact diagonal is saved as {@code "diagonal": "exact"}; a file without the field (every file
   * written before it existed) is the sketched diagonal, whose features are those of before.
   */
  @Test
  void imagePlanFilesKeepTheirDiagonal() throws IOException {
    ImageBatch images = CntkSketchAccuracy.images(3, 6, 6, 2, 4);
    PlanSpec exact = PlanSpec.reference(PlanMethod.SKETCH, Architecture.parse(CONV), SketchOptions.of(128, 2,
        true), 6, 6, 2);
    assertTrue(exact.exactDiagonal(), "the default for images");
    assertFalse(PlanSpec.reference(PlanMethod.SKETCH, Architecture.parse(GELU),
        SketchOptions.of(128, 2, true), 8).exactDiagonal(), "points keep the sketched diagonal");
    PlanSpec sketched = exact.withExactDiagonal(false);
    double[] image = new double[images.imageSize()];
    images.copyImage(1, image);
    for (PlanSpec spec : new PlanSpec[] {exact, sketched}) {
      Path f = dir.resolve("diagonal-" + spec.exactDiagonal() + ".plan");
      try (OutputStream os = Files.newOutputStream(f)) {
        PlanFile.write(spec, os);
      }
      PlanSpec back = PlanFile.read(f);
      assertEquals(spec, back);
      // the exact diagonal is a new version, which an older nke refuses instead of ignoring
      String json = new String(org.nke.io.FlatJson.entries(f, "plan", "").get("plan.json"),
          java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(json.contains("\"version\": " + (spec.exactDiagonal() ? 2 : 1)), json);
      assertTrue(back.describe().endsWith(spec.exactDiagonal() ? "exact diagonal)"
          : "sketched diagonal)"), back.describe());
      assertArrayEquals(spec.cntkPlan().features(image), back.cntkPlan().features(image));
    }
    assertFalse(Arrays.equals(exact.cntkPlan().features(image), sketched.cntkPlan().features(image)));
    // a file of before: no diagonal field
    Path old = dir.resolve("old.plan");
    String json = "{\n  \"format\": \"nke-plan\",\n  \"version\": 1,\n  \"method\": \"sketch\",\n"
        + "  \"architecture\": \"" + exact.architecture() + "\",\n  \"kernel\": \"ntk\",\n"
        + "  \"sketch_dim\": 128,\n  \"seed\": 2,\n  \"degree\": 0,\n  \"tail_tolerance\": "
        + SketchOptions.DEFAULT_TAIL + ",\n  \"plan_shape\": [6, 6, 2],\n  \"plan_widths\": "
        + "\"reference\"%s\n}\n";
    writePlan(old, String.format(json, ""));
    assertEquals(sketched, PlanFile.read(old));
    assertArrayEquals(sketched.cntkPlan().features(image), PlanFile.read(old).cntkPlan()
        .features(image));
    Path bad = dir.resolve("bad.plan");
    writePlan(bad, String.format(json, ",\n  \"diagonal\": \"approximate\""));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> PlanFile.read(bad));
    assertTrue(e.getMessage().contains("diagonal must be \"exact\" or \"sketched\", got "
        + "\"approximate\""), e.getMessage());
    // not an option of points
    assertThrows(IllegalArgumentException.class, () -> PlanSpec.reference(PlanMethod.SKETCH,
        Architecture.parse(GELU), SketchOptions.of(128, 2, true), 8).withExactDiagonal(true));
  }

  private static void writePlan(Path f, String json) throws IOException {
    try (java.util.zip.ZipOutputStream zip = org.nke.io.FlatJson.zip(Files.newOutputStream(f))) {
      org.nke.io.FlatJson.putText(zip, "plan.json", json);
    }
  }

  @Test
  void aPlanFileThatIsNotOneIsNamed() throws IOException {
    Path f = dir.resolve("junk.zip");
    Files.writeString(f, "not a zip");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> PlanFile.read(f));
    assertTrue(e.getMessage().contains("junk.zip"), e.getMessage());
    InvalidInputException missing = assertThrows(InvalidInputException.class,
        () -> PlanFile.read(dir.resolve("none.zip")));
    assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
  }
}

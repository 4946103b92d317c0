package org.nke.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nke.error.ArchException;
import org.nke.error.ArchSyntaxException;

/** The branching layers and LayerNorm: stax syntax and defaults, nesting, round trips, errors. */
class BranchingParserTest {
  private static final String RESIDUAL = "Dense(W_std=1.5), FanOut(2), parallel(Identity(), "
      + "serial(Relu(), Dense(W_std=1.5))), FanInSum(), LayerNorm(), Relu(), Dense()";

  @Test
  void residualBlockParsesToATree() {
    Architecture a = Architecture.parse(RESIDUAL);
    assertEquals(7, a.layers().size());
    assertEquals(new FanOut(2), a.layers().get(1));
    Parallel p = assertInstanceOf(Parallel.class, a.layers().get(2));
    assertEquals(List.of(new Identity()), p.branches().get(0).layers());
    assertEquals(2, p.branches().get(1).layers().size());
    assertEquals(Dense.of(1.5, 0), p.branches().get(1).layers().get(1));
    assertEquals(new FanInSum(), a.layers().get(3));
    assertEquals(LayerNorm.channels(), a.layers().get(4));
    assertTrue(a.isBranching());
    assertFalse(a.isConvolutional());
  }

  @Test
  void everyNewLayerHasStaxDefaultsAndArguments() {
    Architecture a = Architecture.parse("stax.FanOut(3), stax.parallel(Dense(), Dense(), Dense()), "
        + "stax.FanInConcat(), LayerNorm(axis=-1, eps=1e-5), FanOut(num=2), FanInProd(), Dense(), "
        + "FanOut(2), FanInConcat(axis=1), LayerNorm((1, 2, 3))");
    assertEquals(new FanOut(3), a.layers().get(0));
    assertEquals(new FanInConcat(-1), a.layers().get(2));
    assertEquals(new LayerNorm(List.of(-1), 1e-5), a.layers().get(3));
    assertEquals(new FanOut(2), a.layers().get(4));
    assertEquals(new FanInProd(), a.layers().get(5));
    assertEquals(new FanInConcat(1), a.layers().get(8));
    assertEquals(new LayerNorm(List.of(1, 2, 3), LayerNorm.DEFAULT_EPS), a.layers().get(9));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      RESIDUAL,
      "Dense(), FanOut(2), FanInSum()",
      "Dense(), FanOut(2), parallel(Dense(2.0), Dense(W_std=0.5, b_std=0.1)), FanInProd(), Dense()",
      "Dense(), FanOut(2), parallel(serial(Dense(), FanOut(2), parallel(Identity(), serial(Erf(), "
          + "Dense())), FanInSum()), Identity()), FanInConcat(), LayerNorm(eps=0.001), Dense()",
      "Dense(), LayerNorm(axis=(1, 2, 3), eps=0.5), FanOut(3), parallel(Dense(), Dense(), "
          + "serial()), FanInConcat(axis=2)"})
  void describeRoundTrips(String source) {
    Architecture a = Architecture.parse(source);
    Architecture b = Architecture.parse(a.describe());
    assertEquals(a.describe(), b.describe());
    assertEquals(a.layers().size(), b.layers().size());
  }

  @Test
  void nestedSerialFragmentsMayCarryBranches() {
    // stax: serial(FanOut(2), parallel(...)) is a layer whose output is two branches
    Architecture a = Architecture.parse("Dense(), serial(FanOut(2), parallel(Identity(), Dense())), "
        + "FanInSum()");
    Architecture b = Architecture.parse("Dense(), FanOut(2), parallel(Identity(), Dense()), "
        + "FanInSum()");
    assertEquals(b.describe(), a.describe());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Dense(), FanOut(2), parallel(Dense(), Dense(), Dense()), FanInSum()|parallel(...) has 3 "
          + "branches but its input has 2 (from FanOut(2))|20",
      "Dense(), FanOut(2), Relu(), FanInSum()|Relu() cannot take the 2 unjoined branches of FanOut(2)|20",
      "Dense(), FanInSum()|FanInSum() must join at least 2 branches, got 1|9",
      "Dense(), FanOut(1), FanInProd()|FanInProd() must join at least 2 branches, got 1|20",
      "Dense(), FanOut(2), parallel(Identity(), Dense())|the network ends with 2 unjoined branches|20",
      "Dense(), parallel(Identity(), Dense())|parallel(...) has 2 branches but its input has 1: put "
          + "FanOut(2) before it|9",
      "FanOut(2), FanOut(2)|FanOut(2) must take one input, got 2 unjoined branches|11",
      "FanOut(0)|num must be at least 1, got 0|7",
      "FanOut()|missing argument 'num' in FanOut|7",
      "FanOut(2), parallel(Dense(), W_std=1), FanInSum()|parallel takes layers, not keyword "
          + "arguments|29",
      "LayerNorm(eps=-1)|eps must be a finite number >= 0, got -1.0|14",
      "LayerNorm(channel_axis=1)|LayerNorm supports batch_axis=0 and channel_axis=-1|0",
      "FanOut(2), parallel(Dense(), serial(FanOut(2), parallel(Dense(), Dense()))), FanInSum()|branch 2 "
          + "of parallel(...) ends with 2 unjoined branches|29"})
  void malformedBranchingIsAUsageErrorWithACaret(String source, String message, int position) {
    ArchSyntaxException e = assertThrows(ArchSyntaxException.class, () -> Architecture.parse(source));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
    assertEquals(position, e.position(), e.getMessage());
    assertEquals(2, e.exitCode());
  }

  @Test
  void javaBuiltTreesFollowTheSameRules() {
    ArchException e = assertThrows(ArchException.class, () -> Architecture.serial(Dense.of(1, 0),
        new FanOut(2), Dense.of(1, 0)));
    assertTrue(e.getMessage().startsWith("Dense(W_std=1.0) cannot take the 2 unjoined branches of FanOut(2)"),
        e.getMessage());
    Architecture ok = Architecture.serial(Dense.of(1, 0), new FanOut(2),
        Parallel.of(Architecture.serial(new Identity()), Architecture.serial(Dense.of(2, 0))),
        new FanInSum());
    assertEquals(Architecture.parse("Dense(), FanOut(2), parallel(Identity(), Dense(W_std=2)), "
        + "FanInSum()").describe(), ok.describe());
  }

  @Test
  void convolutionInsideABranchMakesTheNetworkConvolutional() {
    assertTrue(Architecture.parse("Conv(8, (3, 3), padding='SAME'), FanOut(2), parallel(Identity(), "
        + "Conv(8, (3, 3), padding='SAME')), FanInSum(), Flatten(), Dense()").isConvolutional());
  }
}

package org.nke.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nke.dual.ErfDual;
import org.nke.dual.HermiteSeriesDual;
import org.nke.dual.QuadratureDual;
import org.nke.error.ArchSyntaxException;
import org.nke.error.UnknownLayerException;

class ArchParserTest {
  @Test
  void parsesTheSpecExample() {
    Architecture a = Architecture.parse("serial(Dense(512, W_std=1.5, b_std=0.05), Relu(), "
        + "Dense(512, W_std=1.5, b_std=0.05), Erf(), Dense(1, W_std=1.5))");
    assertEquals(5, a.layers().size());
    Dense d = (Dense) a.layers().get(0);
    assertEquals(512, d.width());
    assertEquals(1.5, d.wStd());
    assertEquals(0.05, d.bStd());
    assertTrue(d.hasBias());
    assertEquals("Relu()", a.layers().get(1).describe());
    Dense last = (Dense) a.layers().get(4);
    assertEquals(0.0, last.bStd());
    assertTrue(!last.hasBias());
  }

  @Test
  void staxPrefixAndSerialAreOptionalAndNestable() {
    Architecture a = Architecture.parse("stax.serial(stax.Dense(10), serial(stax.Relu(), Dense()))");
    Architecture b = Architecture.parse("Dense(10), Relu(), Dense()");
    assertEquals(b.describe(), a.describe());
  }

  @Test
  void bareNamesAndTrailingCommasAreAccepted() {
    Architecture a = Architecture.parse("Dense, Relu, Dense(),");
    assertEquals(3, a.layers().size());
  }

  @Test
  void numbersMayBePythonExpressions() {
    Architecture a = Architecture.parse("Dense(W_std=2**0.5, b_std=np.sqrt(0.01)), Erf(a=1/2, c=-1e-1)");
    Dense d = (Dense) a.layers().get(0);
    assertEquals(Math.sqrt(2), d.wStd(), 1e-15);
    assertEquals(0.1, d.bStd(), 1e-15);
    assertEquals(ErfDual.of(0.5, 1, -0.1).describe(), a.layers().get(1).describe());
  }

  @Test
  void positionalArgumentsFollowStaxSignatures() {
    Architecture a = Architecture.parse("Dense(64, 2.0, 0.5, parameterization='standard'), "
        + "LeakyRelu(0.1), Conv(32, (3, 3), (1, 1), 'SAME')");
    Dense d = (Dense) a.layers().get(0);
    assertEquals(2.0, d.wStd());
    assertEquals(Parameterization.STANDARD, d.parameterization());
    assertEquals("LeakyRelu(alpha=0.1)", a.layers().get(1).describe());
    Conv c = (Conv) a.layers().get(2);
    assertEquals(Padding.SAME, c.padding());
    assertEquals(3, c.filterHeight());
  }

  @Test
  void numericalActivationsUseTheSeriesAndElementwiseNumericalTheQuadrature() {
    Architecture a = Architecture.parse("Dense(), Tanh(), Dense(), ElementwiseNumerical(fn=jnp.tanh, deg=30)");
    assertInstanceOf(HermiteSeriesDual.class, ((Activation) a.layers().get(1)).dual());
    assertInstanceOf(QuadratureDual.class, ((Activation) a.layers().get(3)).dual());
    assertEquals("ElementwiseNumerical(fn=Tanh, deg=30)", a.layers().get(3).describe());
  }

  @Test
  void myrtlePresetsExpandAsInNeuralTangents() {
    List<Layer> m5 = Architecture.parse("Myrtle5").layers();
    long convs = m5.stream().filter(l -> l instanceof Conv).count();
    long pools = m5.stream().filter(l -> l instanceof AvgPool).count();
    assertEquals(4, convs);
    assertEquals(5, pools);
    assertInstanceOf(Flatten.class, m5.get(m5.size() - 2));
    assertInstanceOf(Dense.class, m5.get(m5.size() - 1));
    assertEquals(6 * 2 + 5 + 2, Architecture.parse("Myrtle7(W_std=1.0)").layers().size());
    assertEquals(9 * 2 + 5 + 2, Architecture.parse("Myrtle10").layers().size());
    assertTrue(Architecture.parse("Myrtle5").isConvolutional());
  }

  @Test
  void malformedStringShowsACaretUnderTheFirstBadToken() {
    ArchSyntaxException e = assertThrows(ArchSyntaxException.class,
        () -> Architecture.parse("Dense(W_std=1.5 Relu()"));
    assertEquals(16, e.position());
    assertTrue(e.getMessage().contains("Dense(W_std=1.5 Relu()\n  " + " ".repeat(16) + "^"),
        e.getMessage());
    assertEquals(2, e.exitCode());
  }

  @Test
  void unknownLayerListsCloseMatches() {
    UnknownLayerException e = assertThrows(UnknownLayerException.class,
        () -> Architecture.parse("Dense(), Rleu(), Dense()"));
    assertTrue(e.getMessage().contains("'Rleu'") && e.getMessage().contains("Relu"), e.getMessage());
    assertEquals(2, e.exitCode());
  }

  @Test
  void namesAreMatchedCaseInsensitivelyAsAFallback() {
    assertEquals("Relu()", Architecture.parse("Dense(), relu()").layers().get(1).describe());
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertThrows(ArchSyntaxException.class, () -> Architecture.parse("Dense(W_sd=1.0)"));
    assertThrows(ArchSyntaxException.class, () -> Architecture.parse("Dense(W_std='a')"));
    assertThrows(ArchSyntaxException.class, () -> Architecture.parse("Dense(W_std=-1)"));
    assertThrows(ArchSyntaxException.class, () -> Architecture.parse("Dense(1, 2, 3, 4, 5, 'ntk', (1, 1), 9)"));
    assertThrows(ArchSyntaxException.class, () -> Architecture.parse("Dense(parameterization='mup')"));
    assertThrows(ArchSyntaxException.class, () -> Architecture.parse("Monomial()"));
    assertThrows(ArchSyntaxException.class, () -> Architecture.parse(""));
    assertThrows(ArchSyntaxException.class, () -> Architecture.parse("Dense(), 3"));
    assertThrows(ArchSyntaxException.class, () -> Architecture.parse("Dense((1, 2]"));
    assertThrows(ArchSyntaxException.class, () -> Architecture.parse("Tanh(tol=2)"));
  }

  @Test
  void describeRoundTrips() {
    String s = "Dense(W_std=1.5, b_std=0.1), Gelu(), Dense(W_std=1.5), Tanh(), Dense(), "
        + "Polynomial(coef=[0.5, 1, 0.25]), Sin(a=2, c=0.3)";
    Architecture a = Architecture.parse(s);
    assertEquals(a.describe(), Architecture.parse(a.describe()).describe());
  }

  @Test
  void sumPoolFollowsStaxsSignature() {
    Layer l = Architecture.parse("stax.SumPool((2, 3), (1, 2), 'SAME')").layers().get(0);
    assertEquals(new SumPool(2, 3, 1, 2, Padding.SAME), l);
    assertEquals("SumPool((2, 3), strides=(1, 2), padding='SAME')", l.describe());
    assertEquals(l, Architecture.parse(l.describe()).layers().get(0), "describe() parses back");
    // stax: strides=None is (1, 1), padding VALID
    assertEquals(new SumPool(2, 2, 1, 1, Padding.VALID),
        Architecture.parse("SumPool((2, 2))").layers().get(0));
    ArchSyntaxException none = assertThrows(ArchSyntaxException.class,
        () -> Architecture.parse("Conv(4, (3, 3)), SumPool()"));
    assertTrue(none.getMessage().contains("SumPool needs window_shape, e.g. SumPool((2, 2))"),
        none.getMessage());
    // no normalize_edges (stax's SumPool has none): the fourth positional is batch_axis
    assertThrows(ArchSyntaxException.class,
        () -> Architecture.parse("SumPool((2, 2), normalize_edges=True)"));
    UnknownLayerException typo = assertThrows(UnknownLayerException.class,
        () -> Architecture.parse("SumPol((2, 2))"));
    assertTrue(typo.getMessage().contains("SumPool"), typo.getMessage());
  }
}

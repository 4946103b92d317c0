package org.nke.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nke.error.ArchSyntaxException;

/** However deeply an architecture string nests, it ends in a usage error, never a stack overflow. */
class ArchNestingTest {
  private static ArchSyntaxException refused(String source) {
    return assertThrows(ArchSyntaxException.class, () -> ArchParser.parse(source));
  }

  @Test
  void fiveThousandSerialsAreAUsageError() {
    String s = "serial(".repeat(5000) + "Dense()" + ")".repeat(5000);
    ArchSyntaxException e = refused(s);
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().startsWith("nesting must be at most " + SyntaxParser.MAX_DEPTH
        + " levels deep"), e.getMessage());
    assertTrue(e.getMessage().length() < 500, "the message shows an excerpt of the string");
  }

  @Test
  void threeThousandParenthesesInANumberAreAUsageError() {
    refused("Dense(W_std=" + "(".repeat(3000) + "1" + ")".repeat(3000) + ")");
    refused("Dense(W_std=" + "-".repeat(5000) + "1)");
    refused("Dense(W_std=2" + "**2".repeat(5000) + ")");
    refused("[".repeat(5000));
  }

  @Test
  void ordinaryNestingStillParses() {
    String s = "serial(".repeat(20) + "Dense(W_std=((2**0.5))), Relu()" + ")".repeat(20);
    assertEquals(2, ArchParser.parse(s).layers().size());
  }
}

package org.nke.arch;

import java.util.Objects;
import java.util.function.Function;

/**
 * One layer type as the parser sees it: its stax name and the binding of its stax signature (a layer
 * record's {@code bind}, e.g. {@link SumPool#bind}).
 *
 * @param name the name as written in an architecture string, e.g. {@code SumPool}
 * @param bind builds the layer from a call's arguments one parameter at a time, throwing an
 *     {@link org.nke.error.ArchSyntaxException} with a caret for a bad argument
 */
public record LayerSignature(String name, Function<Args, Layer> bind) {
  /**
   * @param name the stax name
   * @param bind the signature's binding
   */
  public LayerSignature {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bind, "bind");
  }
}

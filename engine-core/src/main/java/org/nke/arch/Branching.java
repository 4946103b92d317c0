package org.nke.arch;

import java.util.List;

/**
 * The rules of stax's branching syntax, in one place for the parser (which reports them with a caret)
 * and for {@link Architecture} (which refuses a malformed tree built in Java). A serial list of layers
 * carries either one input or, after {@code FanOut(n)}, {@code n} unjoined branches:
 * {@code parallel(f1, …, fn)} needs exactly {@code n}, a fan-in needs at least two, and every other
 * layer needs one. A network (and each branch of a {@code parallel}) ends with one output.
 */
final class Branching {
  private Branching() {
  }

  /**
   * @param streams the branches before the layer (1 for a single input)
   * @param layer the layer
   * @return the branches after it
   * @throws IllegalArgumentException naming the problem
   */
  static int after(int streams, Layer layer) {
    if (layer instanceof FanOut f) {
      if (streams != 1) {
        throw new IllegalArgumentException(f.describe() + " must take one input, got " + streams
            + " unjoined branches: join them first with FanInSum(), FanInProd() or FanInConcat()");
      }
      return f.n();
    }
    if (layer instanceof Parallel p) {
      int n = p.branches().size();
      if (streams != n) {
        throw new IllegalArgumentException("parallel(...) has " + n + " branch" + (n == 1 ? "" : "es")
            + " but its input has " + streams + (streams == 1 ? ": put FanOut(" + n + ") before it"
            : " (from FanOut(" + streams + "))"));
      }
      return n;
    }
    if (layer instanceof FanIn j) {
      if (streams < 2) {
        throw new IllegalArgumentException(j.describe() + " must join at least 2 branches, got "
            + streams + ": put FanOut(n) (and parallel(...)) before it");
      }
      return 1;
    }
    if (streams != 1) {
      throw new IllegalArgumentException(layer.describe() + " cannot take the " + streams
          + " unjoined branches of FanOut(" + streams + "): give each branch its layers with "
          + "parallel(...), or join the branches first with FanInSum(), FanInProd() or FanInConcat()");
    }
    return 1;
  }

  /**
   * @param streams the branches at the end of a serial list
   * @param what the list, e.g. {@code "the network"} or {@code "branch 2 of parallel(...)"}
   * @throws IllegalArgumentException if they were not joined into one
   */
  static void end(int streams, String what) {
    if (streams != 1) {
      throw new IllegalArgumentException(what + " ends with " + streams + " unjoined branches: "
          + "join them with FanInSum(), FanInProd() or FanInConcat()");
    }
  }

  /**
   * @param layers a serial list
   * @throws IllegalArgumentException at the first layer that breaks the rules
   */
  static void check(List<Layer> layers) {
    int streams = 1;
    for (Layer l : layers) {
      streams = after(streams, l);
    }
    end(streams, "the network");
  }
}

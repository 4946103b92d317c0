package org.nke.arch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.nke.arch.Syntax.Call;
import org.nke.arch.Syntax.CallValue;
import org.nke.arch.Syntax.Value;
import org.nke.dual.DualCatalog;
import org.nke.error.ArchSyntaxException;
import org.nke.error.UnknownLayerException;

/**
 * Parses stax-like architecture strings ({@code shared/spec/architecture.md}) into an
 * {@link Architecture}: an optional {@code stax.} prefix on any name, an optional {@code serial(…)}
 * around the list (nesting allowed), stax signatures and defaults, widths accepted and ignored,
 * presets {@code Myrtle5/7/10} and {@code WideResnet(block_size, k, num_classes)}, and stax's
 * branching layers {@code FanOut(n)},
 * {@code parallel(f1, …, fn)} (each {@code fi} a layer or a {@code serial(…)}) and
 * {@code FanInSum/FanInProd/FanInConcat}, nested freely.
 */
public final class ArchParser {
  /** The names this parser knows besides {@link LayerFactory#names()} and the activations. */
  private static final List<String> STRUCTURE = List.of("serial", "parallel", "Myrtle5", "Myrtle7",
      "Myrtle10", "WideResnet");

  private ArchParser() {
  }

  /**
   * @param source the architecture string
   * @return the architecture
   * @throws ArchSyntaxException for a malformed string or bad arguments
   * @throws UnknownLayerException for an unknown layer or activation name
   */
  public static Architecture parse(String source) {
    if (source == null || source.isBlank()) {
      throw new ArchSyntaxException("architecture is empty", source == null ? "" : source, 0);
    }
    List<Layer> layers = serial(new SyntaxParser(source).topLevel(), source, 0, "the network");
    if (layers.isEmpty()) {
      throw new ArchSyntaxException("architecture has no layers", source, 0);
    }
    return new Architecture(layers);
  }

  /**
   * Parses a serial list into one chain (one input, one output), checking stax's branching rules
   * ({@link Branching}) with a caret at the first layer that breaks them, or at {@code end} when the
   * branches are not joined by the end.
   */
  private static List<Layer> serial(List<Value> values, String source, int end, String what) {
    Chain chain = new Chain(source);
    int last = end;
    for (Value v : values) {
      addLayers(v, source, chain);
      last = v.pos();
    }
    try {
      Branching.end(chain.streams, what);
    } catch (IllegalArgumentException e) {
      throw new ArchSyntaxException(e.getMessage(), source, last);
    }
    return chain.layers;
  }

  /** A serial list being parsed, with the number of unjoined branches at its end. */
  private static final class Chain {
    final List<Layer> layers = new ArrayList<>();
    final String source;
    int streams = 1;

    Chain(String source) {
      this.source = source;
    }

    void add(Layer layer, int pos) {
      try {
        streams = Branching.after(streams, layer);
      } catch (IllegalArgumentException e) {
        throw new ArchSyntaxException(e.getMessage(), source, pos);
      }
      layers.add(layer);
    }
  }

  private static List<Value> layerArguments(Call call, String source) {
    List<Value> values = new ArrayList<>();
    for (Syntax.Arg a : call.args()) {
      if (a.keyword() != null) {
        throw new ArchSyntaxException(call.name() + " takes layers, not keyword arguments", source,
            a.pos());
      }
      values.add(a.value());
    }
    return values;
  }

  private static void addLayers(Value v, String source, Chain out) {
    if (!(v instanceof CallValue cv)) {
      throw new ArchSyntaxException("expected a layer", source, v.pos());
    }
    Call call = cv.call();
    Args args = new Args(call, source);
    int at = call.pos();
    switch (call.name()) {
      case "serial" -> {
        for (Value inner : layerArguments(call, source)) {
          addLayers(inner, source, out);
        }
      }
      case "parallel" -> {
        List<Architecture> branches = new ArrayList<>();
        for (Value branch : layerArguments(call, source)) {
          branches.add(new Architecture(serial(List.of(branch), source, branch.pos(),
              "branch " + (branches.size() + 1) + " of parallel(...)")));
        }
        if (branches.isEmpty()) {
          throw new ArchSyntaxException("parallel needs at least one branch", source, call.pos());
        }
        out.add(new Parallel(branches), at);
      }
      case "Myrtle5", "Myrtle7", "Myrtle10" -> {
        double w = args.number(0, "W_std", Math.sqrt(2));
        double b = args.number(1, "b_std", 0.0);
        args.finish();
        for (Layer l : Presets.myrtle(Integer.parseInt(call.name().substring(6)), w, b)) {
          out.add(l, at);
        }
      }
      case "WideResnet" -> {
        int blockSize = args.requiredInteger(0, "block_size");
        Double k = args.optionalNumber(1, "k");
        int classes = args.requiredInteger(2, "num_classes");
        args.finish();
        if (k == null) {
          throw args.callError("WideResnet needs k (the widening factor): WideResnet(block_size, k, "
              + "num_classes), e.g. WideResnet(1, 1, 10)");
        }
        try {
          for (Layer l : Presets.wideResnet(blockSize, k, classes)) {
            out.add(l, at);
          }
        } catch (IllegalArgumentException e) {
          throw args.callError(e.getMessage());
        }
      }
      default -> {
        Layer layer = LayerFactory.create(call.name(), args);
        if (layer != null) {
          out.add(layer, at);
          return;
        }
        if (DualCatalog.resolve(call.name()) == null) {
          throw new UnknownLayerException(call.qualified(), suggestions(call.name()), source,
              call.pos());
        }
        out.add(new Activation(DualCatalog.create(args)), at);
      }
    }
  }

  /** Known names within edit distance 2, or sharing a 3-letter prefix, closest first. */
  static List<String> suggestions(String name) {
    List<String> all = new ArrayList<>(STRUCTURE);
    all.addAll(LayerFactory.names());
    all.addAll(DualCatalog.names());
    String n = name.toLowerCase(Locale.ROOT);
    return all.stream()
        .filter(k -> {
          String l = k.toLowerCase(Locale.ROOT);
          return distance(l, n) <= 2 || (n.length() >= 3 && l.startsWith(n.substring(0, 3)));
        })
        .sorted(Comparator.comparingInt(k -> distance(k.toLowerCase(Locale.ROOT), n)))
        .limit(4)
        .toList();
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}

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
 * presets {@code Myrtle5/7/10}.
 */
public final class ArchParser {
  private static final List<String> LAYERS = List.of("serial", "Dense", "Conv", "AvgPool",
      "GlobalAvgPool", "Flatten", "Identity", "Myrtle5", "Myrtle7", "Myrtle10");

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
    List<Layer> layers = new ArrayList<>();
    for (Value v : new SyntaxParser(source).topLevel()) {
      addLayers(v, source, layers);
    }
    if (layers.isEmpty()) {
      throw new ArchSyntaxException("architecture has no layers", source, 0);
    }
    return new Architecture(layers);
  }

  private static void addLayers(Value v, String source, List<Layer> out) {
    if (!(v instanceof CallValue cv)) {
      throw new ArchSyntaxException("expected a layer", source, v.pos());
    }
    Call call = cv.call();
    Args args = new Args(call, source);
    switch (call.name()) {
      case "serial" -> {
        for (Syntax.Arg a : call.args()) {
          if (a.keyword() != null) {
            throw new ArchSyntaxException("serial takes layers, not keyword arguments", source,
                a.pos());
          }
          addLayers(a.value(), source, out);
        }
      }
      case "Dense" -> out.add(LayerFactory.dense(args));
      case "Conv" -> out.add(LayerFactory.conv(args));
      case "AvgPool" -> out.add(LayerFactory.avgPool(args));
      case "GlobalAvgPool" -> {
        args.ignore(0, "batch_axis");
        args.ignore(1, "channel_axis");
        args.finish();
        out.add(new GlobalAvgPool());
      }
      case "Flatten" -> {
        args.ignore(0, "batch_axis");
        args.ignore(1, "batch_axis_out");
        args.finish();
        out.add(new Flatten());
      }
      case "Identity" -> {
        args.finish();
        out.add(new Identity());
      }
      case "Myrtle5", "Myrtle7", "Myrtle10" -> {
        double w = args.number(0, "W_std", Math.sqrt(2));
        double b = args.number(1, "b_std", 0.0);
        args.finish();
        out.addAll(Presets.myrtle(Integer.parseInt(call.name().substring(6)), w, b));
      }
      default -> {
        if (DualCatalog.resolve(call.name()) == null) {
          throw new UnknownLayerException(call.qualified(), suggestions(call.name()), source,
              call.pos());
        }
        out.add(new Activation(DualCatalog.create(args)));
      }
    }
  }

  /** Known names within edit distance 2, or sharing a 3-letter prefix, closest first. */
  static List<String> suggestions(String name) {
    List<String> all = new ArrayList<>(LAYERS);
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

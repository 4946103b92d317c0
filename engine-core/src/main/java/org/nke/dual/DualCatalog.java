package org.nke.dual;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nke.arch.Args;
import org.nke.error.ArchSyntaxException;

/**
 * Activation names of architecture strings and the duals they build, with stax's signatures and
 * defaults. Names are matched exactly first, then case-insensitively ({@code relu} is {@code Relu}).
 *
 * <p>Closed forms: {@code Relu, LeakyRelu(alpha), Abs, ABRelu(a, b), Erf(a, b, c), Sigmoid_like,
 * Gelu(approximate), Sin(a, b, c), Cos(a, b, c), Rbf(gamma), Exp(a, b), ExpNormalized(gamma, shift,
 * do_clip), Gaussian(a, b), Sign, Monomial(degree), RectifiedMonomial(degree), Polynomial(coef),
 * Hermite(degree)}. Numerical ({@link HermiteSeriesDual}, optional {@code tol}): {@code Tanh, Sigmoid,
 * Softplus, Swish, Silu, Elu(alpha), Selu, Mish}. {@code ElementwiseNumerical(fn, deg)} forces direct
 * 2-D quadrature ({@link QuadratureDual}) for any named activation.
 */
public final class DualCatalog {
  /** Default points per dimension of {@code ElementwiseNumerical} (stax's suggested start). */
  public static final int DEFAULT_QUADRATURE_DEGREE = 25;

  private static final Map<String, Function<Args, DualActivation>> FACTORIES = build();

  private DualCatalog() {
  }

  private static Map<String, Function<Args, DualActivation>> build() {
    Map<String, Function<Args, DualActivation>> m = new LinkedHashMap<>();
    m.put("Relu", a -> {
      a.ignore(0, "do_stabilize");
      return ABReluDual.relu();
    });
    m.put("LeakyRelu", a -> {
      double alpha = a.number(0, "alpha", Double.NaN);
      if (Double.isNaN(alpha)) {
        throw a.callError("LeakyRelu needs alpha");
      }
      a.ignore(1, "do_stabilize");
      return ABReluDual.leakyRelu(alpha);
    });
    m.put("Abs", a -> {
      a.ignore(0, "do_stabilize");
      return ABReluDual.abs();
    });
    m.put("ABRelu", a -> {
      double x = a.number(0, "a", Double.NaN);
      double y = a.number(1, "b", Double.NaN);
      if (Double.isNaN(x) || Double.isNaN(y)) {
        throw a.callError("ABRelu needs a and b");
      }
      a.ignore(2, "do_stabilize");
      return new ABReluDual(x, y, "ABRelu(a=" + x + ", b=" + y + ")");
    });
    m.put("Erf", a -> ErfDual.of(a.number(0, "a", 1), a.number(1, "b", 1), a.number(2, "c", 0)));
    m.put("Sigmoid_like", a -> ErfDual.sigmoidLike());
    m.put("Gelu", a -> new GeluDual(a.bool(0, "approximate", false)));
    m.put("Sin", a -> TrigDual.sin(a.number(0, "a", 1), a.number(1, "b", 1), a.number(2, "c", 0)));
    m.put("Cos", a -> TrigDual.cos(a.number(0, "a", 1), a.number(1, "b", 1), a.number(2, "c", 0)));
    m.put("Rbf", a -> new RbfDual(a.number(0, "gamma", 1)));
    m.put("Exp", a -> new ExpDual(a.number(0, "a", 1), a.number(1, "b", 1)));
    m.put("ExpNormalized", a -> new ExpNormalizedDual(a.number(0, "gamma", 1),
        a.number(1, "shift", -1), a.bool(2, "do_clip", false)));
    m.put("Gaussian", a -> new GaussianDual(a.number(0, "a", 1), a.number(1, "b", -1)));
    m.put("Sign", a -> new SignDual());
    m.put("Monomial", a -> PolynomialDual.monomial(degree(a, 60)));
    m.put("RectifiedMonomial", a -> new RectifiedMonomialDual(degree(a, 30)));
    m.put("Hermite", a -> PolynomialDual.hermite(degree(a, 60)));
    m.put("Polynomial", a -> PolynomialDual.of(a.numbers(0, "coef")));
    numerical(m, "Tanh", a -> Activations.tanh());
    numerical(m, "Sigmoid", a -> Activations.sigmoid());
    numerical(m, "Softplus", a -> Activations.softplus());
    numerical(m, "Swish", a -> Activations.swish());
    numerical(m, "Silu", a -> Activations.swish());
    numerical(m, "Selu", a -> Activations.selu());
    numerical(m, "Mish", a -> Activations.mish());
    m.put("Elu", a -> {
      double alpha = a.number(0, "alpha", 1.0);
      double tol = a.number(1, "tol", HermiteSeriesDual.DEFAULT_TOL);
      String name = alpha == 1.0 ? "Elu()" : "Elu(alpha=" + alpha + ")";
      return new HermiteSeriesDual(name, Activations.elu(alpha), tolerance(a, tol));
    });
    m.put("ElementwiseNumerical", DualCatalog::elementwiseNumerical);
    return Collections.unmodifiableMap(m);
  }

  private static void numerical(Map<String, Function<Args, DualActivation>> m, String name,
      Function<Args, ActivationFunction> fn) {
    m.put(name, a -> {
      double tol = a.number(0, "tol", HermiteSeriesDual.DEFAULT_TOL);
      String shown = tol == HermiteSeriesDual.DEFAULT_TOL ? name + "()" : name + "(tol=" + tol + ")";
      return new HermiteSeriesDual(shown, fn.apply(a), tolerance(a, tol));
    });
  }

  private static double tolerance(Args a, double tol) {
    if (!(tol > 0 && tol < 1)) {
      throw new ArchSyntaxException("tol must be in (0, 1), got " + tol + " in " + a.layer(),
          a.source(), a.position(0, "tol"));
    }
    return tol;
  }

  private static int degree(Args a, int max) {
    int d = a.requiredInteger(0, "degree");
    if (d < 0 || d > max) {
      throw new ArchSyntaxException("degree must be in [0, " + max + "], got " + d + " in "
          + a.layer(), a.source(), a.position(0, "degree"));
    }
    return d;
  }

  private static DualActivation elementwiseNumerical(Args a) {
    String fnName = a.functionName(0, "fn");
    if (fnName == null) {
      throw a.callError("ElementwiseNumerical needs fn, e.g. ElementwiseNumerical(fn=Tanh, deg=25)");
    }
    int deg = a.integer(1, "deg", DEFAULT_QUADRATURE_DEGREE);
    a.ignore(2, "df");
    if (deg < 1 || deg > 1000) {
      throw new ArchSyntaxException("deg must be in [1, 1000], got " + deg, a.source(),
          a.position(1, "deg"));
    }
    String key = resolve(fnName);
    if (key == null) {
      throw new ArchSyntaxException("unknown activation '" + fnName + "' for fn", a.source(),
          a.position(0, "fn"));
    }
    DualActivation base;
    try {
      base = byName(key);
    } catch (ArchSyntaxException e) {
      throw new ArchSyntaxException("fn=" + key + " needs parameters, which ElementwiseNumerical "
          + "cannot pass on", a.source(), a.position(0, "fn"));
    }
    ActivationFunction fn = base.function().orElseThrow(() -> new ArchSyntaxException(
        key + " has no pointwise function to integrate", a.source(), a.position(0, "fn")));
    return new QuadratureDual("ElementwiseNumerical(fn=" + key + ", deg=" + deg + ")", fn, deg);
  }

  /**
   * @param name an activation name as written
   * @return the catalog's spelling, or {@code null} when unknown
   */
  public static String resolve(String name) {
    if (FACTORIES.containsKey(name)) {
      return name;
    }
    String found = null;
    for (String k : FACTORIES.keySet()) {
      if (k.equalsIgnoreCase(name)) {
        found = k;
      }
    }
    return found;
  }

  /**
   * Builds the dual of an activation call.
   *
   * @param args the call's arguments; {@link Args#finish()} is called here
   * @return the dual
   * @throws IllegalArgumentException if the name is unknown (check {@link #resolve} first)
   */
  public static DualActivation create(Args args) {
    String key = resolve(args.layer());
    if (key == null) {
      throw new IllegalArgumentException("unknown activation " + args.layer());
    }
    DualActivation d = FACTORIES.get(key).apply(args);
    args.finish();
    return d;
  }

  /** @return every activation name, in catalog order */
  public static List<String> names() {
    return new ArrayList<>(FACTORIES.keySet());
  }

  /**
   * @param source one activation as the architecture syntax writes it, e.g. {@code "Gelu"},
   *     {@code "Tanh()"} or {@code "Erf(a=2)"}
   * @return its dual
   * @throws org.nke.error.ArchException if the text is not exactly one activation
   */
  public static DualActivation byName(String source) {
    List<org.nke.arch.Layer> layers = org.nke.arch.Architecture.parse(source).layers();
    if (layers.size() != 1 || !(layers.get(0) instanceof org.nke.arch.Activation a)) {
      throw new org.nke.error.ArchException("'" + source + "' is not one activation (e.g. Gelu or 'Erf(a=2)'; "
          + "activations: " + String.join(", ", names()) + ")");
    }
    return a.dual();
  }
}

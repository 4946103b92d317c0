package org.nke.cuda;

import java.util.Set;

/**
 * The instruction semantics of {@link PtxMachine} (the subset the nke kernels use), on raw register
 * bits: 32-bit integer results are kept zero-extended, floats as their IEEE bit patterns.
 */
final class PtxArith {
  /** Type suffixes. */
  static final Set<String> TYPES = Set.of("u32", "s32", "b32", "u64", "s64", "b64", "f32", "f64",
      "pred");

  private PtxArith() {
  }

  /** A three-operand function on bits. */
  @FunctionalInterface
  interface Fn {
    long apply(long a, long b, long c);
  }

  private static double d(long bits) {
    return Double.longBitsToDouble(bits);
  }

  private static float f(long bits) {
    return Float.intBitsToFloat((int) bits);
  }

  private static long bits(double v) {
    return Double.doubleToRawLongBits(v);
  }

  private static long bits(float v) {
    return Float.floatToRawIntBits(v) & 0xFFFFFFFFL;
  }

  private static long u32(long v) {
    return v & 0xFFFFFFFFL;
  }

  /**
   * @param s an immediate: {@code 0d…} (f64 bits), {@code 0f…} (f32 bits), {@code 0x…} or decimal
   * @param type the operand's type (decimals convert to it)
   * @return its bits
   */
  static long immediate(String s, String type) {
    if (s.startsWith("0d")) {
      return Long.parseUnsignedLong(s.substring(2), 16);
    }
    if (s.startsWith("0f")) {
      return Long.parseLong(s.substring(2), 16);
    }
    long v = s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    return switch (type) {
      case "f64" -> bits((double) v);
      case "f32" -> bits((float) v);
      case "u32", "s32", "b32" -> u32(v);
      default -> v;
    };
  }

  private static boolean has(String[] mods, String m) {
    for (String x : mods) {
      if (x.equals(m)) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param op the opcode
   * @param mods its modifiers
   * @param ty its type
   * @return the operation
   */
  static Fn function(String op, String[] mods, String ty) {
    switch (ty) {
      case "f64":
        return f64(op);
      case "f32":
        return f32(op);
      case "pred":
        return switch (op) {
          case "and" -> (a, b, c) -> a & b;
          case "or" -> (a, b, c) -> a | b;
          case "not" -> (a, b, c) -> a ^ 1;
          case "mov" -> (a, b, c) -> a;
          default -> throw new UnsupportedOperationException(op + ".pred");
        };
      default:
        return integer(op, mods, ty);
    }
  }

  private static Fn f64(String op) {
    return switch (op) {
      case "mov" -> (a, b, c) -> a;
      case "add" -> (a, b, c) -> bits(d(a) + d(b));
      case "sub" -> (a, b, c) -> bits(d(a) - d(b));
      case "mul" -> (a, b, c) -> bits(d(a) * d(b));
      case "div" -> (a, b, c) -> bits(d(a) / d(b));
      case "rcp" -> (a, b, c) -> bits(1.0 / d(a));
      case "fma" -> (a, b, c) -> bits(Math.fma(d(a), d(b), d(c)));
      case "sqrt" -> (a, b, c) -> bits(Math.sqrt(d(a)));
      case "neg" -> (a, b, c) -> bits(-d(a));
      case "abs" -> (a, b, c) -> bits(Math.abs(d(a)));
      case "min" -> (a, b, c) -> Double.isNaN(d(a)) ? b : Double.isNaN(d(b)) ? a : bits(Math.min(d(a), d(b)));
      case "max" -> (a, b, c) -> Double.isNaN(d(a)) ? b : Double.isNaN(d(b)) ? a : bits(Math.max(d(a), d(b)));
      case "selp" -> (a, b, c) -> c != 0 ? a : b;
      case "copysign" -> (a, b, c) -> bits(Math.copySign(d(b), d(a)));
      default -> throw new UnsupportedOperationException(op + ".f64");
    };
  }

  private static Fn f32(String op) {
    return switch (op) {
      case "mov" -> (a, b, c) -> a;
      case "add" -> (a, b, c) -> bits(f(a) + f(b));
      case "sub" -> (a, b, c) -> bits(f(a) - f(b));
      case "mul" -> (a, b, c) -> bits(f(a) * f(b));
      case "div" -> (a, b, c) -> bits(f(a) / f(b));
      case "rcp" -> (a, b, c) -> bits(1.0f / f(a));
      case "fma" -> (a, b, c) -> bits(Math.fma(f(a), f(b), f(c)));
      case "sqrt" -> (a, b, c) -> bits((float) Math.sqrt(f(a)));
      case "neg" -> (a, b, c) -> bits(-f(a));
      case "abs" -> (a, b, c) -> bits(Math.abs(f(a)));
      case "min" -> (a, b, c) -> Float.isNaN(f(a)) ? b : Float.isNaN(f(b)) ? a : bits(Math.min(f(a), f(b)));
      case "max" -> (a, b, c) -> Float.isNaN(f(a)) ? b : Float.isNaN(f(b)) ? a : bits(Math.max(f(a), f(b)));
      case "selp" -> (a, b, c) -> c != 0 ? a : b;
      case "copysign" -> (a, b, c) -> bits(Math.copySign(f(b), f(a)));
      case "ex2" -> (a, b, c) -> bits((float) Math.pow(2, f(a)));
      default -> throw new UnsupportedOperationException(op + ".f32");
    };
  }

  private static Fn integer(String op, String[] mods, String ty) {
    boolean w64 = ty.endsWith("64");
    boolean signed = ty.startsWith("s");
    boolean wide = has(mods, "wide");
    Fn r = switch (op) {
      case "mov" -> (a, b, c) -> a;
      case "add" -> (a, b, c) -> a + b;
      case "sub" -> (a, b, c) -> a - b;
      case "mul" -> wide ? (signed ? (a, b, c) -> (long) (int) a * (int) b : (a, b, c) -> u32(a) * u32(b))
          : (a, b, c) -> a * b;
      case "mad" -> wide ? (signed ? (a, b, c) -> (long) (int) a * (int) b + c
          : (a, b, c) -> u32(a) * u32(b) + c) : (a, b, c) -> a * b + c;
      case "div" -> signed ? (w64 ? (a, b, c) -> a / b : (a, b, c) -> (int) a / (int) b)
          : (w64 ? (a, b, c) -> Long.divideUnsigned(a, b) : (a, b, c) -> u32(a) / u32(b));
      case "rem" -> signed ? (w64 ? (a, b, c) -> a % b : (a, b, c) -> (int) a % (int) b)
          : (w64 ? (a, b, c) -> Long.remainderUnsigned(a, b) : (a, b, c) -> u32(a) % u32(b));
      case "neg" -> (a, b, c) -> -a;
      case "not" -> (a, b, c) -> ~a;
      case "shl" -> (a, b, c) -> b >= (w64 ? 64 : 32) ? 0 : a << b;
      case "shr" -> signed ? (w64 ? (a, b, c) -> a >> Math.min(b, 63) : (a, b, c) -> (int) a >> Math.min(b, 31))
          : (w64 ? (a, b, c) -> b >= 64 ? 0 : a >>> b : (a, b, c) -> b >= 32 ? 0 : u32(a) >>> b);
      case "and" -> (a, b, c) -> a & b;
      case "or" -> (a, b, c) -> a | b;
      case "xor" -> (a, b, c) -> a ^ b;
      case "min" -> signed ? (w64 ? (a, b, c) -> Math.min(a, b) : (a, b, c) -> Math.min((int) a, (int) b))
          : (w64 ? (a, b, c) -> Long.compareUnsigned(a, b) <= 0 ? a : b
          : (a, b, c) -> Math.min(u32(a), u32(b)));
      case "max" -> signed ? (w64 ? (a, b, c) -> Math.max(a, b) : (a, b, c) -> Math.max((int) a, (int) b))
          : (w64 ? (a, b, c) -> Long.compareUnsigned(a, b) >= 0 ? a : b
          : (a, b, c) -> Math.max(u32(a), u32(b)));
      case "selp" -> (a, b, c) -> c != 0 ? a : b;
      default -> throw new UnsupportedOperationException(op + "." + ty);
    };
    if (w64 || wide) {
      return r;
    }
    return (a, b, c) -> u32(r.apply(a, b, c));
  }

  /**
   * @param cmp {@code lt, le, gt, ge, eq, ne, nan}
   * @param ty the operand type
   * @param a bits
   * @param b bits
   * @return the comparison (ordered: false on NaN, {@code ne} included)
   */
  static boolean compare(String cmp, String ty, long a, long b) {
    if (ty.startsWith("f")) {
      double x = ty.equals("f64") ? d(a) : f(a);
      double y = ty.equals("f64") ? d(b) : f(b);
      return switch (cmp) {
        case "lt" -> x < y;
        case "le" -> x <= y;
        case "gt" -> x > y;
        case "ge" -> x >= y;
        case "eq" -> x == y;
        case "ne" -> x != y && !Double.isNaN(x) && !Double.isNaN(y);
        case "nan" -> Double.isNaN(x) || Double.isNaN(y);
        default -> throw new UnsupportedOperationException("setp." + cmp);
      };
    }
    boolean signed = ty.startsWith("s");
    long x = ty.endsWith("64") ? a : signed ? (int) a : u32(a);
    long y = ty.endsWith("64") ? b : signed ? (int) b : u32(b);
    int k = signed ? Long.compare(x, y) : Long.compareUnsigned(x, y);
    return switch (cmp) {
      case "lt" -> k < 0;
      case "le" -> k <= 0;
      case "gt" -> k > 0;
      case "ge" -> k >= 0;
      case "eq" -> k == 0;
      case "ne" -> k != 0;
      default -> throw new UnsupportedOperationException("setp." + cmp);
    };
  }

  /**
   * {@code cvt[.mode].dst.src}.
   *
   * @param mode {@code rn, rni, rzi} or empty
   * @param dst destination type
   * @param src source type
   * @param a source bits
   * @return destination bits
   */
  static long convert(String mode, String dst, String src, long a) {
    boolean srcInt = !src.startsWith("f");
    boolean dstInt = !dst.startsWith("f");
    if (srcInt && dstInt) {
      long v = switch (src) {
        case "u32", "b32" -> u32(a);
        case "s32" -> (int) a;
        default -> a;
      };
      return dst.endsWith("32") ? u32(v) : v;
    }
    if (srcInt) {
      double v = switch (src) {
        case "u32" -> u32(a);
        case "s32" -> (int) a;
        case "s64" -> a;
        default -> a >= 0 ? a : (double) (a >>> 1) * 2 + (a & 1);
      };
      return dst.equals("f64") ? bits(v) : bits((float) v);
    }
    double v = src.equals("f64") ? d(a) : f(a);
    double r = switch (mode) {
      case "rni" -> Math.rint(v);
      case "rzi" -> v < 0 ? Math.ceil(v) : Math.floor(v);
      default -> v;
    };
    return switch (dst) {
      case "f64" -> bits(r);
      case "f32" -> bits((float) r);
      case "s32" -> u32(Double.isNaN(r) ? 0 : (long) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, r)));
      case "u32" -> Double.isNaN(r) ? 0 : (long) Math.max(0, Math.min(4294967295.0, r));
      case "s64" -> Double.isNaN(r) ? 0 : (long) r;
      default -> throw new UnsupportedOperationException("cvt to " + dst);
    };
  }
}

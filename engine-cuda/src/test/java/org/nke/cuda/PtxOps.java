package org.nke.cuda;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The instruction semantics of {@link PtxMachine} (the subset used by the nke kernels). */
final class PtxOps {
  private static final Set<String> TYPES = Set.of("u32", "s32", "b32", "u64", "s64", "b64", "f32",
      "f64", "pred");

  private PtxOps() {
  }

  private static String type(String[] mods) {
    for (int k = mods.length - 1; k >= 0; k--) {
      if (TYPES.contains(mods[k])) {
        return mods[k];
      }
    }
    throw new IllegalStateException("no type in " + String.join(".", mods));
  }

  private static boolean has(String[] mods, String m) {
    for (String x : mods) {
      if (x.equals(m)) {
        return true;
      }
    }
    return false;
  }

  /** Reads an operand as bits of the given type (registers, special registers, immediates). */
  private static long read(String s, String type, Map<String, Long> regs, PtxMachine.Thread t) {
    switch (s) {
      case "%ctaid.x": return t.ctaidX();
      case "%ctaid.y": return t.ctaidY();
      case "%ntid.x": return t.ntidX();
      case "%ntid.y": return t.ntidY();
      case "%tid.x": return t.tidX();
      case "%tid.y": return t.tidY();
      default: break;
    }
    if (s.startsWith("%")) {
      return PtxMachine.intOperand(s, regs);
    }
    if (s.startsWith("0d")) {
      return Long.parseUnsignedLong(s.substring(2), 16);
    }
    if (s.startsWith("0f")) {
      return Long.parseLong(s.substring(2), 16);
    }
    long v = Long.parseLong(s);
    return switch (type) {
      case "f64" -> Double.doubleToRawLongBits(v);
      case "f32" -> Float.floatToRawIntBits(v) & 0xFFFFFFFFL;
      default -> v;
    };
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

  static void execute(PtxMachine m, PtxProgram.Insn in, Map<String, Long> regs,
      Map<String, Long> params, PtxMachine.Thread t) {
    String[] mods = in.mods();
    List<String> o = in.operands();
    String op = in.op();
    if (op.equals("ld") || op.equals("st") || op.equals("atom")) {
      memory(m, in, regs, params, t);
      return;
    }
    if (op.equals("cvt")) {
      regs.put(o.get(0), convert(mods, read(o.get(1), mods[mods.length - 1], regs, t)));
      return;
    }
    if (op.equals("cvta")) {
      regs.put(o.get(0), read(o.get(1), "u64", regs, t));
      return;
    }
    String ty = type(mods);
    if (op.equals("setp")) {
      regs.put(o.get(0), setp(mods, ty, o, regs, t) ? 1L : 0L);
      return;
    }
    if (op.equals("testp")) {
      double v = ty.equals("f64") ? d(read(o.get(1), ty, regs, t)) : f(read(o.get(1), ty, regs, t));
      regs.put(o.get(0), Double.isFinite(v) ? 1L : 0L);
      return;
    }
    long a = o.size() > 1 ? read(o.get(1), ty, regs, t) : 0;
    long b = o.size() > 2 ? read(o.get(2), ty, regs, t) : 0;
    long c = o.size() > 3 ? read(o.get(3), ty, regs, t) : 0;
    long r = switch (ty) {
      case "f64" -> f64(op, mods, a, b, c);
      case "f32" -> f32(op, mods, a, b, c);
      case "pred" -> switch (op) {
        case "and" -> a & b;
        case "or" -> a | b;
        case "not" -> a ^ 1;
        default -> throw unsupported(in);
      };
      default -> integer(op, mods, ty, a, b, c, in);
    };
    regs.put(o.get(0), r);
  }

  private static UnsupportedOperationException unsupported(PtxProgram.Insn in) {
    return new UnsupportedOperationException("PTX instruction not emulated: " + in.text());
  }

  private static long f64(String op, String[] mods, long a, long b, long c) {
    double x = d(a);
    double y = d(b);
    return switch (op) {
      case "mov" -> a;
      case "add" -> bits(x + y);
      case "sub" -> bits(x - y);
      case "mul" -> bits(x * y);
      case "div" -> bits(x / y);
      case "fma" -> bits(Math.fma(x, y, d(c)));
      case "sqrt" -> bits(Math.sqrt(x));
      case "neg" -> bits(-x);
      case "abs" -> bits(Math.abs(x));
      case "min" -> Double.isNaN(x) ? b : Double.isNaN(y) ? a : bits(Math.min(x, y));
      case "max" -> Double.isNaN(x) ? b : Double.isNaN(y) ? a : bits(Math.max(x, y));
      case "selp" -> c != 0 ? a : b;
      case "copysign" -> bits(Math.copySign(y, x));
      default -> throw new UnsupportedOperationException(op + ".f64");
    };
  }

  private static long f32(String op, String[] mods, long a, long b, long c) {
    float x = f(a);
    float y = f(b);
    return switch (op) {
      case "mov" -> a;
      case "add" -> bits(x + y);
      case "sub" -> bits(x - y);
      case "mul" -> bits(x * y);
      case "div" -> bits(x / y);
      case "fma" -> bits(Math.fma(x, y, f(c)));
      case "sqrt" -> bits((float) Math.sqrt(x));
      case "neg" -> bits(-x);
      case "abs" -> bits(Math.abs(x));
      case "min" -> Float.isNaN(x) ? b : Float.isNaN(y) ? a : bits(Math.min(x, y));
      case "max" -> Float.isNaN(x) ? b : Float.isNaN(y) ? a : bits(Math.max(x, y));
      case "selp" -> c != 0 ? a : b;
      case "copysign" -> bits(Math.copySign(y, x));
      case "ex2" -> bits((float) Math.pow(2, x));
      default -> throw new UnsupportedOperationException(op + ".f32");
    };
  }

  private static long integer(String op, String[] mods, String ty, long a, long b, long c,
      PtxProgram.Insn in) {
    boolean wide64 = ty.endsWith("64");
    long r = switch (op) {
      case "mov" -> a;
      case "add" -> a + b;
      case "sub" -> a - b;
      case "mul" -> has(mods, "wide") ? u32(a) * u32(b) : a * b;
      case "neg" -> -a;
      case "shl" -> a << b;
      case "shr" -> ty.startsWith("s") ? (wide64 ? a >> b : ((long) (int) a) >> b) : (wide64 ? a >>> b
          : u32(a) >>> b);
      case "and" -> a & b;
      case "or" -> a | b;
      case "div" -> ty.startsWith("s") ? (wide64 ? a / b : (long) ((int) a / (int) b))
          : (wide64 ? Long.divideUnsigned(a, b) : u32(a) / u32(b));
      case "rem" -> ty.startsWith("s") ? (wide64 ? a % b : (long) ((int) a % (int) b))
          : (wide64 ? Long.remainderUnsigned(a, b) : u32(a) % u32(b));
      case "selp" -> c != 0 ? a : b;
      default -> throw unsupported(in);
    };
    return wide64 || has(mods, "wide") ? r : u32(r);
  }

  private static boolean setp(String[] mods, String ty, List<String> o, Map<String, Long> regs,
      PtxMachine.Thread t) {
    String cmp = mods[0];
    long a = read(o.get(1), ty, regs, t);
    long b = read(o.get(2), ty, regs, t);
    boolean r;
    if (ty.startsWith("f")) {
      double x = ty.equals("f64") ? d(a) : f(a);
      double y = ty.equals("f64") ? d(b) : f(b);
      r = switch (cmp) {
        case "lt" -> x < y;
        case "le" -> x <= y;
        case "gt" -> x > y;
        case "ge" -> x >= y;
        case "eq" -> x == y;
        case "ne" -> x != y && !Double.isNaN(x) && !Double.isNaN(y);
        case "nan" -> Double.isNaN(x) || Double.isNaN(y);
        default -> throw new UnsupportedOperationException("setp." + cmp);
      };
    } else {
      boolean signed = ty.startsWith("s");
      long x = ty.endsWith("64") || signed ? a : u32(a);
      long y = ty.endsWith("64") || signed ? b : u32(b);
      if (signed && !ty.endsWith("64")) {
        x = (int) a;
        y = (int) b;
      }
      int k = signed ? Long.compare(x, y) : Long.compareUnsigned(x, y);
      r = switch (cmp) {
        case "lt" -> k < 0;
        case "le" -> k <= 0;
        case "gt" -> k > 0;
        case "ge" -> k >= 0;
        case "eq" -> k == 0;
        case "ne" -> k != 0;
        default -> throw new UnsupportedOperationException("setp." + cmp);
      };
    }
    if (mods.length > 2 && (mods[1].equals("and") || mods[1].equals("or"))) {
      boolean c = PtxMachine.intOperand(o.get(3), regs) != 0;
      r = mods[1].equals("and") ? r && c : r || c;
    }
    return r;
  }

  private static long convert(String[] mods, long a) {
    String dst = mods[mods.length - 2];
    String src = mods[mods.length - 1];
    String mode = mods.length > 2 ? mods[0] : "";
    double v = switch (src) {
      case "f64" -> d(a);
      case "f32" -> f(a);
      case "u32" -> u32(a);
      case "s32" -> (int) a;
      default -> a;
    };
    if (src.startsWith("u") || src.startsWith("s")) {
      long iv = src.equals("u32") ? u32(a) : src.equals("s32") ? (int) a : a;
      return dst.equals("u32") ? u32(iv) : iv;
    }
    double rounded = switch (mode) {
      case "rni" -> Math.rint(v);
      case "rzi" -> v < 0 ? Math.ceil(v) : Math.floor(v);
      default -> v;
    };
    return switch (dst) {
      case "f64" -> bits(rounded);
      case "f32" -> bits((float) rounded);
      case "s32" -> u32(Double.isNaN(rounded) ? 0 : (long) Math.max(Integer.MIN_VALUE,
          Math.min(Integer.MAX_VALUE, rounded)));
      default -> throw new UnsupportedOperationException("cvt to " + dst);
    };
  }

  private static void memory(PtxMachine m, PtxProgram.Insn in, Map<String, Long> regs,
      Map<String, Long> params, PtxMachine.Thread t) {
    String ty = type(in.mods());
    int width = ty.endsWith("64") ? 8 : 4;
    List<String> o = in.operands();
    if (in.op().equals("ld") && in.mods()[0].equals("param")) {
      String name = o.get(1).substring(1, o.get(1).length() - 1);
      Long v = params.get(name);
      if (v == null) {
        throw new IllegalStateException("no parameter " + name + " in " + in.text());
      }
      regs.put(o.get(0), width == 8 ? v : u32(v));
    } else if (in.op().equals("ld")) {
      regs.put(o.get(0), m.load(address(o.get(1), regs), width));
    } else if (in.op().equals("st")) {
      m.store(address(o.get(0), regs), width, read(o.get(1), ty, regs, t));
    } else {
      long addr = address(o.get(1), regs);
      long old = m.load(addr, 8);
      long v = read(o.get(2), ty, regs, t);
      regs.put(o.get(0), old);
      m.store(addr, 8, Long.compareUnsigned(v, old) < 0 ? v : old);
    }
  }

  private static long address(String operand, Map<String, Long> regs) {
    return PtxMachine.intOperand(operand.substring(1, operand.length() - 1), regs);
  }
}

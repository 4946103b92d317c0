package org.nke.cuda;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a parsed PTX function ({@link PtxProgram}) for {@link PtxMachine}: registers become indices
 * into a {@code long[]}, immediates are parsed once, labels become instruction indices, and every
 * instruction becomes an {@link Op} closure (semantics in {@link PtxArith}). About ten times faster
 * than interpreting the text, which the CNTK and sketch emulations need.
 */
final class PtxCompiler {
  private PtxCompiler() {
  }

  /** One compiled instruction: executes and returns the next instruction index ({@code -1}: return). */
  @FunctionalInterface
  interface Op {
    int exec(Frame f, int pc);
  }

  /** An operand read. */
  @FunctionalInterface
  interface Src {
    long get(Frame f);
  }

  /**
   * A compiled function.
   *
   * @param name its name
   * @param entry whether it is a kernel entry (parameters in param space) or a {@code .func}
   * @param registers size of the register file
   * @param params register indices of a {@code .func}'s parameters
   * @param returns register indices of its return values
   * @param names register names, for messages
   * @param ops the body
   */
  record Function(String name, boolean entry, int registers, int[] params, int[] returns,
      String[] names, Op[] ops) {
  }

  /** The state of one invocation. */
  static final class Frame {
    final long[] r;
    final boolean[] set;
    final long[] params;
    final PtxMachine.Thread t;
    final PtxMachine m;
    private final Function f;

    Frame(Function f, long[] args, PtxMachine.Thread t, PtxMachine m) {
      this.f = f;
      this.r = new long[f.registers()];
      this.set = new boolean[f.registers()];
      this.t = t;
      this.m = m;
      if (f.entry()) {
        this.params = args;
      } else {
        this.params = null;
        for (int k = 0; k < f.params().length; k++) {
          put(f.params()[k], args[k]);
        }
      }
    }

    long get(int reg) {
      if (!set[reg]) {
        throw new IllegalStateException("register " + f.names()[reg] + " read before it was written in "
            + f.name());
      }
      return r[reg];
    }

    void put(int reg, long v) {
      r[reg] = v;
      set[reg] = true;
    }
  }

  /** Compile-time state of one function. */
  private static final class Ctx {
    final Map<String, Integer> regs = new HashMap<>();
    final Map<String, Integer> labels;
    final Map<String, Integer> paramIndex = new HashMap<>();
    final PtxProgram program;

    Ctx(PtxProgram.Function fn, PtxProgram program) {
      this.labels = fn.labels();
      this.program = program;
    }

    int reg(String name) {
      return regs.computeIfAbsent(name, k -> regs.size());
    }
  }

  /**
   * @param program the module
   * @param name a function or entry of it (calls resolve within the same program)
   * @return the compiled function
   */
  static Function compile(PtxProgram program, String name) {
    PtxProgram.Function fn = program.functions.get(name);
    Ctx c = new Ctx(fn, program);
    int[] params = new int[fn.params().size()];
    for (int k = 0; k < params.length; k++) {
      if (fn.entry()) {
        c.paramIndex.put(fn.params().get(k), k);
      } else {
        params[k] = c.reg(fn.params().get(k));
      }
    }
    int[] returns = new int[fn.returns().size()];
    for (int k = 0; k < returns.length; k++) {
      returns[k] = c.reg(fn.returns().get(k));
    }
    Op[] ops = new Op[fn.body().size()];
    for (int k = 0; k < ops.length; k++) {
      ops[k] = guarded(fn.body().get(k), c);
    }
    String[] names = new String[c.regs.size()];
    c.regs.forEach((n, i) -> names[i] = n);
    return new Function(name, fn.entry(), names.length, fn.entry() ? new int[0] : params, returns,
        names, ops);
  }

  private static Op guarded(PtxProgram.Insn in, Ctx c) {
    Op op;
    try {
      op = instruction(in, c);
    } catch (RuntimeException e) {
      throw new UnsupportedOperationException("PTX instruction not emulated: " + in.text(), e);
    }
    if (in.guard() == null) {
      return op;
    }
    int g = c.reg(in.guard());
    boolean neg = in.negated();
    return (f, pc) -> (f.get(g) != 0) == neg ? pc + 1 : op.exec(f, pc);
  }

  private static String type(String[] mods) {
    for (int k = mods.length - 1; k >= 0; k--) {
      if (PtxArith.TYPES.contains(mods[k])) {
        return mods[k];
      }
    }
    throw new IllegalStateException("no type in " + String.join(".", mods));
  }

  /** An operand as a reader of bits of the given type. */
  static Src src(String s, String type, Ctx c) {
    switch (s) {
      case "%ctaid.x": return f -> f.t.ctaidX();
      case "%ctaid.y": return f -> f.t.ctaidY();
      case "%ntid.x": return f -> f.t.ntidX();
      case "%ntid.y": return f -> f.t.ntidY();
      case "%tid.x": return f -> f.t.tidX();
      case "%tid.y": return f -> f.t.tidY();
      default: break;
    }
    if (s.startsWith("%")) {
      int r = c.reg(s);
      return f -> f.get(r);
    }
    long v = PtxArith.immediate(s, type);
    return f -> v;
  }

  private static Op instruction(PtxProgram.Insn in, Ctx c) {
    String[] mods = in.mods();
    List<String> o = in.operands();
    switch (in.op()) {
      case "ret":
        return (f, pc) -> -1;
      case "bra": {
        Integer target = c.labels.get(o.get(0));
        if (target == null) {
          throw new IllegalStateException("no label " + o.get(0));
        }
        int t = target;
        return (f, pc) -> t;
      }
      case "call":
        return call(in, c);
      case "ld":
      case "st":
      case "atom":
        return memory(in, c);
      default:
        break;
    }
    int d = c.reg(o.get(0));
    if (in.op().equals("cvta")) {
      Src a = src(o.get(1), "u64", c);
      return (f, pc) -> {
        f.put(d, a.get(f));
        return pc + 1;
      };
    }
    if (in.op().equals("cvt")) {
      String dst = mods[mods.length - 2];
      String from = mods[mods.length - 1];
      String mode = mods.length > 2 ? mods[0] : "";
      Src a = src(o.get(1), from, c);
      return (f, pc) -> {
        f.put(d, PtxArith.convert(mode, dst, from, a.get(f)));
        return pc + 1;
      };
    }
    String ty = type(mods);
    if (in.op().equals("setp")) {
      String cmp = mods[0];
      String combine = mods.length > 2 && (mods[1].equals("and") || mods[1].equals("or")) ? mods[1] : null;
      Src a = src(o.get(1), ty, c);
      Src b = src(o.get(2), ty, c);
      Src p = combine == null ? null : src(o.get(3), "pred", c);
      return (f, pc) -> {
        boolean r = PtxArith.compare(cmp, ty, a.get(f), b.get(f));
        if (p != null) {
          r = combine.equals("and") ? r && p.get(f) != 0 : r || p.get(f) != 0;
        }
        f.put(d, r ? 1 : 0);
        return pc + 1;
      };
    }
    if (in.op().equals("testp")) {
      Src a = src(o.get(1), ty, c);
      boolean f64 = ty.equals("f64");
      return (f, pc) -> {
        long v = a.get(f);
        f.put(d, Double.isFinite(f64 ? Double.longBitsToDouble(v) : Float.intBitsToFloat((int) v))
            ? 1 : 0);
        return pc + 1;
      };
    }
    Src a = o.size() > 1 ? src(o.get(1), ty, c) : f -> 0;
    Src b = o.size() > 2 ? src(o.get(2), ty.equals("pred") ? "pred" : shiftType(in.op(), ty), c)
        : f -> 0;
    Src x = o.size() > 3 ? src(o.get(3), in.op().equals("selp") ? "pred" : wideType(mods, ty), c)
        : f -> 0;
    PtxArith.Fn fn = PtxArith.function(in.op(), mods, ty);
    return (f, pc) -> {
      f.put(d, fn.apply(a.get(f), b.get(f), x.get(f)));
      return pc + 1;
    };
  }

  private static String shiftType(String op, String ty) {
    return op.equals("shl") || op.equals("shr") ? "u32" : ty;
  }

  private static String wideType(String[] mods, String ty) {
    for (String m : mods) {
      if (m.equals("wide")) {
        return ty.startsWith("s") ? "s64" : "u64";
      }
    }
    return ty;
  }

  private static Op call(PtxProgram.Insn in, Ctx c) {
    Src[] args = new Src[in.args().size()];
    for (int k = 0; k < args.length; k++) {
      args[k] = src(in.args().get(k), "u64", c);
    }
    int[] rets = new int[in.returns().size()];
    for (int k = 0; k < rets.length; k++) {
      rets[k] = c.reg(in.returns().get(k));
    }
    String callee = in.callee();
    PtxProgram program = c.program;
    Function[] resolved = new Function[1];
    return (f, pc) -> {
      if (resolved[0] == null) {
        resolved[0] = program.compile(callee);
      }
      long[] a = new long[args.length];
      for (int k = 0; k < a.length; k++) {
        a[k] = args[k].get(f);
      }
      long[] r = f.m.execute(resolved[0], a, f.t);
      for (int k = 0; k < rets.length; k++) {
        f.put(rets[k], r[k]);
      }
      return pc + 1;
    };
  }

  /** {@code [%reg]}, {@code [%reg+imm]}. */
  private static Src address(String operand, Ctx c) {
    String inner = operand.substring(1, operand.length() - 1).strip();
    int plus = inner.indexOf('+');
    if (plus < 0) {
      return src(inner, "u64", c);
    }
    Src base = src(inner.substring(0, plus).strip(), "u64", c);
    long off = Long.parseLong(inner.substring(plus + 1).strip());
    return f -> base.get(f) + off;
  }

  private static Op memory(PtxProgram.Insn in, Ctx c) {
    String ty = type(in.mods());
    int width = ty.endsWith("64") ? 8 : 4;
    List<String> o = in.operands();
    if (in.op().equals("ld") && in.mods()[0].equals("param")) {
      String name = o.get(1).substring(1, o.get(1).length() - 1);
      Integer idx = c.paramIndex.get(name);
      if (idx == null) {
        throw new IllegalStateException("no parameter " + name);
      }
      int d = c.reg(o.get(0));
      int i = idx;
      return (f, pc) -> {
        long v = f.params[i];
        f.put(d, width == 8 ? v : v & 0xFFFFFFFFL);
        return pc + 1;
      };
    }
    if (in.op().equals("ld")) {
      int d = c.reg(o.get(0));
      Src a = address(o.get(1), c);
      return (f, pc) -> {
        f.put(d, f.m.load(a.get(f), width));
        return pc + 1;
      };
    }
    if (in.op().equals("st")) {
      Src a = address(o.get(0), c);
      Src v = src(o.get(1), ty, c);
      return (f, pc) -> {
        f.m.store(a.get(f), width, v.get(f));
        return pc + 1;
      };
    }
    if (!in.mods()[1].equals("min") || !ty.equals("u64")) {
      throw new IllegalStateException("only atom.global.min.u64 is emulated");
    }
    int d = c.reg(o.get(0));
    Src a = address(o.get(1), c);
    Src v = src(o.get(2), ty, c);
    return (f, pc) -> {
      long addr = a.get(f);
      long old = f.m.load(addr, 8);
      long nv = v.get(f);
      f.put(d, old);
      f.m.store(addr, 8, Long.compareUnsigned(nv, old) < 0 ? nv : old);
      return pc + 1;
    };
  }
}

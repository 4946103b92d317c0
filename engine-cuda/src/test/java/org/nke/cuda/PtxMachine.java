package org.nke.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Executes a {@link PtxProgram} one thread at a time over flat little-endian memory (the nke kernels
 * use no shared memory and no barriers, so thread order cannot matter; the one atomic is a minimum).
 * Every register holds raw bits in a {@code long}; each instruction interprets them by its type
 * suffix. Floating-point semantics follow PTX: {@code .rn} arithmetic is Java's IEEE arithmetic,
 * {@code fma} is {@link Math#fma}, {@code min/max} return the non-NaN operand, ordered comparisons
 * are false on NaN, {@code cvt.rzi} saturates and maps NaN to 0. {@code ex2.approx} is computed
 * exactly (it stands for the hardware's approximation, within 2^-22).
 */
final class PtxMachine {
  private final PtxProgram program;
  private final TreeMap<Long, ByteBuffer> memory = new TreeMap<>();
  private long next = 1L << 32;
  private long steps;

  PtxMachine(PtxProgram program) {
    this.program = program;
  }

  /** @return a new zeroed allocation's address */
  long allocate(long bytes) {
    long base = next;
    ByteBuffer b = ByteBuffer.allocate((int) Math.max(bytes, 8)).order(ByteOrder.LITTLE_ENDIAN);
    memory.put(base, b);
    next += ((bytes >> 20) + 1) << 32;
    return base;
  }

  private ByteBuffer at(long address, int width) {
    Map.Entry<Long, ByteBuffer> e = memory.floorEntry(address);
    if (e == null || address - e.getKey() + width > e.getValue().capacity()) {
      throw new IllegalStateException("out-of-bounds access of " + width + " bytes at 0x"
          + Long.toHexString(address));
    }
    return e.getValue();
  }

  long load(long address, int width) {
    ByteBuffer b = at(address, width);
    int off = (int) (address - memory.floorKey(address));
    return width == 8 ? b.getLong(off) : b.getInt(off) & 0xFFFFFFFFL;
  }

  void store(long address, int width, long bits) {
    ByteBuffer b = at(address, width);
    int off = (int) (address - memory.floorKey(address));
    if (width == 8) {
      b.putLong(off, bits);
    } else {
      b.putInt(off, (int) bits);
    }
  }

  /** @return instructions executed so far */
  long steps() {
    return steps;
  }

  /** Thread coordinates. */
  record Thread(int ctaidX, int ctaidY, int ntidX, int ntidY, int tidX, int tidY) {
  }

  /**
   * Runs a function (or an entry) for one thread.
   *
   * @param name the function
   * @param args raw bits of the parameters, in order
   * @param t thread coordinates
   * @return raw bits of the return values
   */
  long[] run(String name, long[] args, Thread t) {
    PtxProgram.Function f = program.functions.get(name);
    if (f == null) {
      throw new IllegalArgumentException("no function " + name);
    }
    Map<String, Long> regs = new HashMap<>();
    Map<String, Long> params = new HashMap<>();
    for (int k = 0; k < f.params().size(); k++) {
      (f.entry() ? params : regs).put(f.params().get(k), args[k]);
    }
    int pc = 0;
    List<PtxProgram.Insn> body = f.body();
    while (pc < body.size()) {
      PtxProgram.Insn in = body.get(pc++);
      steps++;
      if (in.guard() != null && (regs.getOrDefault(in.guard(), 0L) != 0) == in.negated()) {
        continue;
      }
      switch (in.op()) {
        case "ret" -> pc = body.size();
        case "bra" -> pc = f.labels().get(in.operands().get(0));
        case "call" -> {
          long[] a = new long[in.args().size()];
          for (int k = 0; k < a.length; k++) {
            a[k] = intOperand(in.args().get(k), regs);
          }
          long[] r = run(in.callee(), a, t);
          for (int k = 0; k < in.returns().size(); k++) {
            regs.put(in.returns().get(k), r[k]);
          }
        }
        default -> PtxOps.execute(this, in, regs, params, t);
      }
    }
    long[] out = new long[f.returns().size()];
    for (int k = 0; k < out.length; k++) {
      out[k] = regs.getOrDefault(f.returns().get(k), 0L);
    }
    return out;
  }

  /** An operand that is a register or a plain integer. */
  static long intOperand(String s, Map<String, Long> regs) {
    if (s.startsWith("%")) {
      Long v = regs.get(s);
      if (v == null) {
        throw new IllegalStateException("register " + s + " read before it was written");
      }
      return v;
    }
    return Long.parseLong(s);
  }
}

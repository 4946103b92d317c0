package org.nke.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Executes {@link PtxProgram}s one thread at a time over flat little-endian memory (the nke kernels
 * use no shared memory and no barriers, so thread order cannot matter; the one atomic is a minimum).
 * Functions are compiled once ({@link PtxCompiler}) into operations on a {@code long[]} register file
 * holding raw bits; each instruction interprets them by its type suffix. Floating-point semantics
 * follow PTX: {@code .rn} arithmetic is Java's IEEE arithmetic, {@code fma} is {@link Math#fma},
 * {@code min/max} return the non-NaN operand, ordered comparisons are false on NaN, {@code cvt.rzi}
 * saturates and maps NaN to 0. {@code ex2.approx} is computed exactly (it stands for the hardware's
 * approximation, within 2^-22). Reading a register before it was written is an error.
 *
 * <p>Memory: allocation {@code k} lives at addresses {@code (k + 1)·2^32 + offset} (at most 2 GiB
 * each), so an access finds its allocation in O(1); freed allocations fault on access.
 */
final class PtxMachine {
  private final List<PtxProgram> programs;
  private final List<ByteBuffer> memory = new ArrayList<>();
  private long steps;

  /** @param programs the modules; entries are looked up by name across all of them */
  PtxMachine(List<PtxProgram> programs) {
    this.programs = List.copyOf(programs);
  }

  /** @return a new zeroed allocation's address */
  long allocate(long bytes) {
    if (bytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("emulated allocations hold at most 2 GiB, got " + bytes);
    }
    memory.add(ByteBuffer.allocate((int) Math.max(bytes, 8)).order(ByteOrder.LITTLE_ENDIAN));
    return (long) memory.size() << 32;
  }

  /** @param address the start of an allocation; its memory is released */
  void free(long address) {
    memory.set((int) (address >>> 32) - 1, null);
  }

  private ByteBuffer at(long address, int width) {
    int k = (int) (address >>> 32) - 1;
    ByteBuffer b = k >= 0 && k < memory.size() ? memory.get(k) : null;
    long off = address & 0xFFFFFFFFL;
    if (b == null || off + width > b.capacity()) {
      throw new IllegalStateException("out-of-bounds access of " + width + " bytes at 0x"
          + Long.toHexString(address));
    }
    return b;
  }

  long load(long address, int width) {
    ByteBuffer b = at(address, width);
    int off = (int) (address & 0xFFFFFFFFL);
    return width == 8 ? b.getLong(off) : b.getInt(off) & 0xFFFFFFFFL;
  }

  void store(long address, int width, long bits) {
    ByteBuffer b = at(address, width);
    int off = (int) (address & 0xFFFFFFFFL);
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

  /** @return the compiled function {@code name} (the first program that defines it) */
  PtxCompiler.Function function(String name) {
    for (PtxProgram p : programs) {
      if (p.functions.containsKey(name)) {
        return p.compile(name);
      }
    }
    throw new IllegalArgumentException("no function " + name);
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
    return execute(function(name), args, t);
  }

  /** Runs a compiled function: the interpreter loop. */
  long[] execute(PtxCompiler.Function f, long[] args, Thread t) {
    PtxCompiler.Frame frame = new PtxCompiler.Frame(f, args, t, this);
    PtxCompiler.Op[] ops = f.ops();
    int pc = 0;
    long n = 0;
    while (pc >= 0 && pc < ops.length) {
      n++;
      pc = ops[pc].exec(frame, pc);
    }
    steps += n;
    long[] out = new long[f.returns().length];
    for (int k = 0; k < out.length; k++) {
      out[k] = frame.get(f.returns()[k]);
    }
    return out;
  }
}

package org.nke.cuda;

import java.util.List;
import org.nke.spi.Precision;

/**
 * A stand-in device for tests: kernels are executed by {@link PtxMachine} from the real PTX
 * resources of every family, buffers live in its memory. Lets the typed launchers, the host-side
 * preparation of {@link CudaDualOps}, the whole {@link CudaBackend} and the PTX itself be checked
 * against the CPU without a GPU. The Gram product stands in for cuBLAS (fused multiply-adds in index
 * order, scaled by alpha afterwards). What it cannot check: the driver, the JIT, cuBLAS itself,
 * timing and the hardware's own arithmetic (e.g. {@code ex2.approx}).
 */
final class EmulatedDevice implements DeviceRuntime, DeviceUploads {
  final PtxMachine machine = new PtxMachine(PtxProgram.all());
  private final long memory;

  /** A device with unlimited memory. */
  EmulatedDevice() {
    this(Long.MAX_VALUE);
  }

  /** @param memory the free memory it reports */
  EmulatedDevice(long memory) {
    this.memory = memory;
  }

  @Override
  public String deviceName() {
    return "PTX interpreter";
  }

  @Override
  public long freeMemory() {
    return memory;
  }

  @Override
  public DeviceBuffer allocate(long bytes, String what) {
    if (bytes > memory) {
      throw new org.nke.error.ResourceLimitException(what + " on " + deviceName(), bytes, memory,
          "use --dtype float32, fewer points, or --backend cpu");
    }
    return allocate(bytes);
  }

  @Override
  public void copyIn(DeviceBuffer dst, Precision p, long at, double[] src, int count) {
    dst.checkRange((long) count * p.bytes(), at * p.bytes());
    for (int k = 0; k < count; k++) {
      store(dst.address() + (at + k) * p.bytes(), src[k], p);
    }
  }

  @Override
  public void copyIn(DeviceBuffer dst, int[] src) {
    dst.checkRange(4L * src.length, 0);
    for (int k = 0; k < src.length; k++) {
      machine.store(dst.address() + 4L * k, 4, src[k] & 0xFFFFFFFFL);
    }
  }

  @Override
  public void copyOut(DeviceBuffer src, Precision p, long at, double[] dst, int count) {
    src.checkRange((long) count * p.bytes(), at * p.bytes());
    for (int k = 0; k < count; k++) {
      dst[k] = load(src.address() + (at + k) * p.bytes(), p);
    }
  }

  @Override
  public void gather(DeviceBuffer src, Precision p, long stride, double[] dst) {
    for (int k = 0; k < dst.length; k++) {
      dst[k] = load(src.address() + k * stride * p.bytes(), p);
    }
  }

  @Override
  public void zero(DeviceBuffer b) {
    for (long a = 0; a + 4 <= b.bytes(); a += 4) {
      machine.store(b.address() + a, 4, 0);
    }
  }

  @Override
  public void copy(DeviceBuffer dst, DeviceBuffer src) {
    dst.checkRange(src.bytes(), 0);
    for (long a = 0; a + 4 <= src.bytes(); a += 4) {
      machine.store(dst.address() + a, 4, machine.load(src.address() + a, 4));
    }
  }

  @Override
  public void gram(Precision p, DeviceBuffer x, DeviceBuffer y, DeviceBuffer c, int n, int m, int d,
      double alpha) {
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double s = 0;
        float sf = 0;
        for (int k = 0; k < d; k++) {
          double a = load(x.address() + ((long) i * d + k) * p.bytes(), p);
          double b = load(y.address() + ((long) j * d + k) * p.bytes(), p);
          s = Math.fma(a, b, s);
          sf = Math.fma((float) a, (float) b, sf);
        }
        store(c.address() + ((long) i * m + j) * p.bytes(), p == Precision.F64 ? alpha * s
            : (float) alpha * sf, p);
      }
    }
  }
  @Override
  public void outer(Precision p, DeviceBuffer a, int dA, int aStride, DeviceBuffer b, int dB,
      int bStride, DeviceBuffer c, int cStride, int rows) {
    // cuBLAS checks no bounds; here the last row of each operand must lie inside its buffer
    a.checkRange(((rows - 1L) * aStride + dA) * p.bytes(), 0);
    b.checkRange(((rows - 1L) * bStride + dB) * p.bytes(), 0);
    c.checkRange(((rows - 1L) * cStride + (long) dA * dB) * p.bytes(), 0);
    for (long r = 0; r < rows; r++) {
      for (int i = 0; i < dA; i++) {
        double x = load(a.address() + (r * aStride + i) * p.bytes(), p);
        for (int j = 0; j < dB; j++) {
          double y = load(b.address() + (r * bStride + j) * p.bytes(), p);
          // one rounded product in the element type (a float32 product of floats is exact in double)
          store(c.address() + (r * cStride + (long) i * dB + j) * p.bytes(), x * y, p);
        }
      }
    }
  }


  @Override
  public String fftUnavailable() {
    return null;
  }

  /** JTransforms stands in for cuFFT (the CPU sketches' own FFT, {@code org.nke.sketch.Fft}). */
  @Override
  public void fft(Precision p, boolean real, int n, int batch, DeviceBuffer in, DeviceBuffer out) {
    org.nke.sketch.Fft fft = new org.nke.sketch.Fft(n);
    int inLen = real ? n : 2 * n;
    int outLen = real ? 2 * (n / 2 + 1) : 2 * n;
    double[] v = new double[2 * n];
    for (int b = 0; b < batch; b++) {
      java.util.Arrays.fill(v, 0.0);
      copyOut(in, p, (long) b * inLen, v, inLen);
      if (real) {
        fft.forwardReal(v);
      } else {
        fft.forward(v);
      }
      copyIn(out, p, (long) b * outLen, v, outLen);
    }
  }

  @Override
  public void synchronize(String after) {
  }

  @Override
  public void makeCurrent() {
  }

  @Override
  public void close() {
  }

  private void store(long address, double v, Precision p) {
    if (p == Precision.F64) {
      machine.store(address, 8, Double.doubleToRawLongBits(v));
    } else {
      machine.store(address, 4, Float.floatToRawIntBits((float) v));
    }
  }

  private double load(long address, Precision p) {
    return p == Precision.F64 ? Double.longBitsToDouble(machine.load(address, 8))
        : Float.intBitsToFloat((int) machine.load(address, 4));
  }

  DeviceBuffer allocate(long bytes) {
    long address = machine.allocate(bytes);
    return new DeviceBuffer(new DevicePointer(), address, bytes, p -> machine.free(address));
  }

  @Override
  public DeviceBuffer upload(double[] values, Precision precision, String what) {
    DeviceBuffer b = allocate((long) Math.max(values.length, 1) * precision.bytes());
    write(b, values, precision);
    return b;
  }

  void write(DeviceBuffer b, double[] values, Precision p) {
    for (int k = 0; k < values.length; k++) {
      if (p == Precision.F64) {
        machine.store(b.address() + 8L * k, 8, Double.doubleToRawLongBits(values[k]));
      } else {
        machine.store(b.address() + 4L * k, 4, Float.floatToRawIntBits((float) values[k]));
      }
    }
  }

  double[] read(DeviceBuffer b, int n, Precision p) {
    double[] out = new double[n];
    for (int k = 0; k < n; k++) {
      out[k] = p == Precision.F64 ? Double.longBitsToDouble(machine.load(b.address() + 8L * k, 8))
          : Float.intBitsToFloat((int) machine.load(b.address() + 4L * k, 4));
    }
    return out;
  }

  @Override
  public void launch(Shape s, KernelArgs args) {
    List<Object> values = args.values();
    long[] bits = new long[values.size()];
    for (int k = 0; k < bits.length; k++) {
      Object v = values.get(k);
      bits[k] = v instanceof Double d ? Double.doubleToRawLongBits(d)
          : v instanceof Float f ? Float.floatToRawIntBits(f) & 0xFFFFFFFFL
          : v instanceof Integer i ? i & 0xFFFFFFFFL : (Long) v;
    }
    for (int by = 0; by < s.gridY(); by++) {
      for (int bx = 0; bx < s.gridX(); bx++) {
        for (int ty = 0; ty < s.blockY(); ty++) {
          for (int tx = 0; tx < s.blockX(); tx++) {
            machine.run(args.kernel().entry(), bits,
                new PtxMachine.Thread(bx, by, s.blockX(), s.blockY(), tx, ty));
          }
        }
      }
    }
  }
}

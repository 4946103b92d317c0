package org.nke.cuda;

import java.util.List;
import org.nke.spi.Precision;

/**
 * A stand-in device for tests: kernels are executed by {@link PtxMachine} from the real
 * {@code dual.ptx} resource, buffers live in its memory. Lets the typed launchers, the host-side
 * preparation of {@link CudaDualOps} and the PTX itself be checked against the CPU duals without a
 * GPU (what it cannot check: the driver, JIT, cuBLAS, timing and the hardware's own arithmetic).
 */
final class EmulatedDevice implements KernelLauncher, DeviceUploads {
  final PtxMachine machine = new PtxMachine(new PtxProgram(PtxModule.source("dual")));

  DeviceBuffer allocate(long bytes) {
    long address = machine.allocate(bytes);
    return new DeviceBuffer(new DevicePointer(), address, bytes, p -> { });
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

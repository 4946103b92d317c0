package org.nke.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.nke.spi.Precision;

/**
 * Without a GPU: every {@code .entry} of every PTX family matches its {@link PtxKernel} constant
 * (name, parameter count, types and names), and every typed launcher ({@link DualKernels},
 * {@link CntkKernels}, {@link SrhtKernels}, {@link PatchKernels}) passes exactly the declared arguments.
 */
class PtxManifestTest {
  private static final Pattern ENTRY = Pattern.compile("\\.visible\\s+\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)");
  private static final Pattern PARAM = Pattern.compile("\\.param\\s+\\.(\\w+)\\s+(\\w+)");

  /** @return entry name → declared parameters, in file order */
  static Map<String, List<PtxKernel.Param>> entries(String ptx) {
    Map<String, List<PtxKernel.Param>> out = new LinkedHashMap<>();
    Matcher m = ENTRY.matcher(ptx);
    while (m.find()) {
      List<PtxKernel.Param> params = new ArrayList<>();
      Matcher p = PARAM.matcher(m.group(2));
      while (p.find()) {
        params.add(new PtxKernel.Param(PtxType.parse(p.group(1)), p.group(2)));
      }
      out.put(m.group(1), params);
    }
    return out;
  }

  private static Set<String> families() {
    Set<String> f = new TreeSet<>();
    for (PtxKernel k : PtxKernel.values()) {
      f.add(k.family());
    }
    return f;
  }

  @Test
  void everyEntryHasExactlyOneConstantWithTheSameSignature() {
    for (String family : families()) {
      Map<String, List<PtxKernel.Param>> inFile = entries(PtxModule.source(family));
      Map<String, List<PtxKernel.Param>> declared = new LinkedHashMap<>();
      for (PtxKernel k : PtxKernel.values()) {
        if (k.family().equals(family)) {
          declared.put(k.entry(), k.params());
        }
      }
      assertEquals(new TreeSet<>(declared.keySet()), new TreeSet<>(inFile.keySet()),
          family + ".ptx entries vs PtxKernel");
      for (Map.Entry<String, List<PtxKernel.Param>> e : declared.entrySet()) {
        assertEquals(e.getValue(), inFile.get(e.getKey()), e.getKey() + " parameters");
      }
    }
  }

  @Test
  void entryNamesFollowTheConvention() {
    for (PtxKernel k : PtxKernel.values()) {
      String suffix = k.precision() == Precision.F64 ? "_f64" : "_f32";
      assertTrue(k.entry().matches("nke_" + k.family() + "_[a-z0-9]+" + suffix), k.entry());
    }
  }

  @Test
  void ptxDeclaresABroadTarget() {
    for (String family : families()) {
      String ptx = PtxModule.source(family);
      assertTrue(ptx.contains(".version 7.0") && ptx.contains(".target sm_60")
          && ptx.contains(".address_size 64"), family + ".ptx header");
    }
  }

  /** Records launches instead of reaching the driver, checking value types against the signature. */
  static final class Recorder implements KernelLauncher {
    final Set<PtxKernel> launched = EnumSet.noneOf(PtxKernel.class);

    @Override
    public void launch(Shape shape, KernelArgs args) {
      List<Object> values = args.values();
      List<PtxKernel.Param> params = args.kernel().params();
      for (int k = 0; k < values.size(); k++) {
        Class<?> want = switch (params.get(k).type()) {
          case U32 -> Integer.class;
          case U64 -> Long.class;
          case F32 -> Float.class;
          case F64 -> Double.class;
        };
        assertEquals(want, values.get(k).getClass(), args.kernel().entry() + " argument " + k);
      }
      assertTrue(shape.blockX() * shape.blockY() <= 1024 && shape.gridX() > 0 && shape.gridY() > 0);
      launched.add(args.kernel());
    }
  }

  private static DeviceBuffer fake(long address) {
    return new DeviceBuffer(new DevicePointer(), address, 1 << 20, p -> { });
  }

  @Test
  void everyLauncherPassesTheDeclaredArguments() {
    Recorder r = new Recorder();
    DualKernels k = new DualKernels(r);
    DeviceBuffer a = fake(0x100000);
    DeviceBuffer b = fake(0x200000);
    for (Precision p : Precision.values()) {
      DualKernels.Pair o = new DualKernels.Pair(p, a, b, a, b, 100, 70, true);
      k.affine(p, a, b, 100, 70, true, 1, 2, 3, 4, 5);
      k.abrelu(o, 0.1, 0.5);
      k.sign(o);
      k.erf(o, 1, 2, 3, 4);
      k.gelu(o);
      k.trig(o, 1, 2, 3, 4);
      k.rbf(o, 1, 2);
      k.exp(o, 1, 2);
      k.gaussian(o, 1, 2, 3, 4);
      k.expNormalized(o, 1, -1, true);
      k.rectifiedMonomial(o, 2, 4, a, 5, 4, 3, 2);
      k.series(o, new DualKernels.Series(9, a, b, null, null, null, a, b, true, a));
      k.setDiagonal(p, a, b, 100, 100);
      k.firstNonFinite(p, a, 100, 70, false, b);
      k.abrelu(new DualKernels.Pair(p, a, b, a, b, 4 * 30, 30, false, b), 0.1, 0.5);
      CntkKernels c = new CntkKernels(r);
      org.nke.ir.Window w = org.nke.ir.Window.of(3, 3, 1, 1, org.nke.arch.Padding.SAME,
          new org.nke.ir.Grid(6, 5));
      c.gram(p, a, b, b, 4, 30, 3, false);
      c.conv(p, a, b, a, b, 4, w, false, true, new CntkKernels.Affine(1, 2, 3, 4, 5));
      c.poolVertical(p, a, b, 4, w);
      c.poolHorizontal(p, b, a, 4, w);
      c.diagonalize(p, a, b, 4, 30);
      c.readout(p, a, b, 4, 30, false, true, 4096, 1);
      SrhtKernels sk = new SrhtKernels(r);
      SrhtKernels.Rows rows = new SrhtKernels.Rows(a, 10);
      SrhtKernels.Spectrum spec = new SrhtKernels.Spectrum(b, 9, 16, true);
      SrhtKernels.Coefficients coef = new SrhtKernels.Coefficients(a, b, 5, 2);
      sk.scale(p, rows, rows, 10, 7, coef, 1);
      sk.scale(p, rows, null, 1, 7, SrhtKernels.Coefficients.NONE, 0.5);
      sk.normalize(p, a, b, 10, 7);
      sk.signs(p, rows, rows, 10, 16, false, b, 7);
      sk.product(p, rows, rows, spec, spec, a, b, 4, 0.5, coef, 7);
      sk.linear(p, rows, null, spec, a, 3, 0.5, coef, 7);
      sk.hermiteAbRelu(a, b, null, 7, 4, true, 0, 1, a, b, a);
      PatchKernels pk = new PatchKernels(r);
      PatchKernels.Source src = new PatchKernels.Source(a, 12, b, 9, 16, 16);
      PatchKernels.Target dst = new PatchKernels.Target(b, 40, a, 44, 0.5, 1, 2);
      pk.count(p, src, new PatchKernels.Count(a, b, a, b, 1, 32), dst, 3);
      pk.copy(p, src, 8, 4, new PatchKernels.Target(b, 40, null, 0, 1, 1, 0), 3);
      pk.pool(p, src, 12, b, 12, 0.25, 3);
      pk.fwht(p, a, 16, 16, 3);
      BlockKernels bk = new BlockKernels(r);
      BlockKernels.Operands ops = new BlockKernels.Operands(p, a, b, b, a, 100, 70, true);
      bk.join(ops, org.nke.ir.Join.linear(0.25, 0.75));
      bk.join(ops, org.nke.ir.Join.product());
      bk.normalize(p, a, b, a, b, 100, 70, false);
    }
    assertEquals(EnumSet.allOf(PtxKernel.class), r.launched, "every entry has a launcher");
  }

  @Test
  void wrongArgumentsFailBeforeTheDriver() {
    assertThrows(IllegalStateException.class, () -> KernelArgs.of(PtxKernel.DUAL_SIGN_F64).u32(1));
    assertThrows(IllegalStateException.class, () -> KernelArgs.of(PtxKernel.DUAL_SETDIAG_F32)
        .ptr(null).ptr(null).u32(1).values());
    assertThrows(IllegalArgumentException.class, () -> DualKernels.pairShape(600_000, 10));
  }
}

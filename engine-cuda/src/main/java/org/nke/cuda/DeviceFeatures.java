package org.nke.cuda;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The CNTK sketch features of a batch at one point of the plan ({@link CudaCntkSketchOps}): rows of
 * images × pixels, {@code dK} NNGP and {@code dT} NTK values each. A fan-out's branches and its
 * fan-in's accumulator share buffers with the current features (no step modifies its input), so
 * every holder — the current features, each open frame's input and accumulator — counts as a
 * reference in the batch's {@link Refs}, and a buffer is closed when its last holder lets it go
 * (once; the batch's {@link DeviceArena} still owns it, and closing twice is harmless).
 */
final class DeviceFeatures {
  /** The reference counts of one batch's feature buffers (by identity). */
  static final class Refs {
    private final Map<DeviceBuffer, Integer> counts = new IdentityHashMap<>();

    private void retain(DeviceBuffer b) {
      if (b != null) {
        counts.merge(b, 1, Integer::sum);
      }
    }

    private void release(DeviceBuffer b) {
      if (b == null) {
        return;
      }
      Integer c = counts.get(b);
      if (c == null || c <= 1) {
        counts.remove(b);
        b.close();
      } else {
        counts.put(b, c - 1);
      }
    }
  }

  final Refs refs;
  DeviceBuffer k;
  DeviceBuffer t;
  int dK;
  int dT;
  int pixels;

  /**
   * Features holding one reference to {@code k} and {@code t}.
   *
   * @param refs the batch's reference counts
   * @param k NNGP rows
   * @param t NTK rows, or {@code null} (an NNGP plan)
   * @param dK NNGP values per row
   * @param dT NTK values per row
   * @param pixels rows per image
   */
  DeviceFeatures(Refs refs, DeviceBuffer k, DeviceBuffer t, int dK, int dT, int pixels) {
    this.refs = refs;
    this.k = k;
    this.t = t;
    this.dK = dK;
    this.dT = dT;
    this.pixels = pixels;
    refs.retain(k);
    refs.retain(t);
  }

  /** @return another holder of the same buffers (one more reference) */
  DeviceFeatures share() {
    return new DeviceFeatures(refs, k, t, dK, dT, pixels);
  }

  /** Lets the buffers go: closes those no other holder references. */
  void release() {
    refs.release(k);
    refs.release(t);
    k = null;
    t = null;
  }

  /**
   * Lets the current buffers go and holds {@code nk}, {@code nt} instead (widths unchanged: the
   * caller sets them).
   *
   * @param nk the new NNGP rows
   * @param nt the new NTK rows, or {@code null}
   */
  void replace(DeviceBuffer nk, DeviceBuffer nt) {
    refs.retain(nk);
    refs.retain(nt);
    refs.release(k);
    refs.release(t);
    k = nk;
    t = nt;
  }
}

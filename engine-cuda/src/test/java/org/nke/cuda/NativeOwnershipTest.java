package org.nke.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The native owners' lifecycle rules, checked with stand-in handles (no GPU needed). */
class NativeOwnershipTest {
  @Test
  void closeReleasesOnceAndUseAfterCloseThrows() {
    AtomicInteger released = new AtomicInteger();
    DeviceBuffer b = new DeviceBuffer(new DevicePointer(), 0x1000, 64, p -> released.incrementAndGet());
    assertEquals(0x1000, b.address());
    b.close();
    b.close();
    assertEquals(1, released.get());
    assertTrue(b.closed());
    IllegalStateException e = assertThrows(IllegalStateException.class, b::address);
    assertTrue(e.getMessage().contains("has been closed"), e.getMessage());
  }

  @Test
  void nativeHandleReportsWhatWasClosed() {
    List<String> log = new ArrayList<>();
    NativeHandle<String> h = new NativeHandle<>("module", log::add, "PTX module dual");
    assertEquals("module", h.get());
    h.close();
    h.close();
    assertEquals(List.of("module"), log);
    assertThrows(IllegalStateException.class, h::get);
    assertTrue(h.toString().endsWith("(closed)"));
  }

  @Test
  void outOfRangeCopiesAreRejectedBeforeAnyNativeCall() {
    DeviceBuffer b = new DeviceBuffer(new DevicePointer(), 0x2000, 16, p -> { });
    assertThrows(IndexOutOfBoundsException.class, () -> b.checkRange(32, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> b.checkRange(8, 12));
    b.checkRange(8, 8);
    b.close();
    assertThrows(IllegalStateException.class, () -> b.checkRange(8, 0));
  }
}

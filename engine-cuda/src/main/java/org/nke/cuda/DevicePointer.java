package org.nke.cuda;

import jcuda.driver.CUdeviceptr;

/** A {@link CUdeviceptr} whose address can be read (JCuda keeps it protected). */
final class DevicePointer extends CUdeviceptr {
  /** A null pointer, filled by {@code cuMemAlloc}. */
  DevicePointer() {
  }

  /** @return the device address */
  long address() {
    return getNativePointer() + getByteOffset();
  }
}

package org.nke.cuda;

import org.nke.spi.Precision;

/** Something that can place host vectors in device memory it owns ({@link DeviceArena}). */
public interface DeviceUploads {
  /**
   * @param values host values, not modified
   * @param precision element type on the device
   * @param what purpose, for messages
   * @return a device buffer holding the values, owned by the implementation
   */
  DeviceBuffer upload(double[] values, Precision precision, String what);
}

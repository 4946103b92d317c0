package org.nke.io;

import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Test program: writes an output through {@link AtomicOutput} slowly, forever, so that a test can
 * send it a signal in the middle of the write. Prints {@code writing} once the temporary exists.
 */
public final class SlowOutputMain {
  private SlowOutputMain() {
  }

  /**
   * @param args the output path
   * @throws Exception never, in practice: it is killed
   */
  public static void main(String[] args) throws Exception {
    try (AtomicOutput out = new AtomicOutput(); OutputStream os = out.open(Path.of(args[0]))) {
      System.out.println("writing");
      System.out.flush();
      byte[] block = new byte[1 << 16];
      for (int i = 0; i < 100_000; i++) {
        os.write(block);
        Thread.sleep(10);
      }
      out.commit();
    }
  }
}

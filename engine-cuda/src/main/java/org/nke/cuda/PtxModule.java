package org.nke.cuda;

import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadDataJIT;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUjit_option;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.JITOptions;

/**
 * One PTX family ({@code org/nke/ptx/<family>.ptx} from kernels-ptx) loaded into the current context:
 * the text is read from the class path, NUL-terminated and JIT-compiled with
 * {@code cuModuleLoadDataEx} (through JCuda's {@code cuModuleLoadDataJIT}) with error and info log
 * buffers, so a failing JIT reports ptxas' own message. Every entry of the family declared in
 * {@link PtxKernel} is resolved at load time into an {@link EnumMap} (fail fast: a missing entry is
 * an error here, not at the first launch). Close unloads the module (idempotent).
 */
public final class PtxModule implements AutoCloseable {
  private static final int LOG_BYTES = 16 * 1024;
  private final String family;
  private final NativeHandle<CUmodule> module;
  private final Map<PtxKernel, CUfunction> functions;
  private final String jitInfo;

  private PtxModule(String family, CUmodule module, Map<PtxKernel, CUfunction> functions,
      String jitInfo) {
    this.family = family;
    this.module = new NativeHandle<>(module, m -> CudaCalls.check(cuModuleUnload(m),
        "cuModuleUnload " + family), "PTX module " + family);
    this.functions = functions;
    this.jitInfo = jitInfo;
  }

  /**
   * @param family e.g. {@code dual}
   * @return the PTX text of the family
   * @throws IllegalStateException if the resource is missing
   */
  public static String source(String family) {
    String path = "/org/nke/ptx/" + family + ".ptx";
    try (InputStream in = PtxModule.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("PTX resource " + path + " not found: is kernels-ptx on the "
            + "class path?");
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read PTX resource " + path, e);
    }
  }

  /**
   * Loads and JIT-compiles a family in the current context and resolves all its entries.
   *
   * @param context the context (made current)
   * @param family e.g. {@code dual}
   * @return the module
   * @throws CudaCallException with ptxas' log if the JIT fails or an entry is missing
   */
  public static PtxModule load(CudaContext context, String family) {
    context.makeCurrent();
    byte[] text = source(family).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] image = Arrays.copyOf(text, text.length + 1);
    JITOptions jit = new JITOptions();
    jit.putBytes(CUjit_option.CU_JIT_ERROR_LOG_BUFFER, new byte[LOG_BYTES]);
    jit.putInt(CUjit_option.CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES, LOG_BYTES);
    jit.putBytes(CUjit_option.CU_JIT_INFO_LOG_BUFFER, new byte[LOG_BYTES]);
    jit.putInt(CUjit_option.CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES, LOG_BYTES);
    CUmodule module = new CUmodule();
    int r = cuModuleLoadDataJIT(module, Pointer.to(image), jit);
    if (r != CUresult.CUDA_SUCCESS) {
      String log = jit.getString(CUjit_option.CU_JIT_ERROR_LOG_BUFFER);
      throw new CudaCallException("cuModuleLoadDataEx " + family + ".ptx (JIT: "
          + (log == null || log.isBlank() ? "no log" : log.strip()) + ")", CUresult.stringFor(r), r);
    }
    Map<PtxKernel, CUfunction> functions = new EnumMap<>(PtxKernel.class);
    try {
      for (PtxKernel k : PtxKernel.values()) {
        if (k.family().equals(family)) {
          CUfunction f = new CUfunction();
          CudaCalls.check(cuModuleGetFunction(f, module, k.entry()), "cuModuleGetFunction "
              + k.entry());
          functions.put(k, f);
        }
      }
    } catch (RuntimeException e) {
      cuModuleUnload(module);
      throw e;
    }
    String info = jit.getString(CUjit_option.CU_JIT_INFO_LOG_BUFFER);
    return new PtxModule(family, module, functions, info == null ? "" : info.strip());
  }

  /**
   * @param kernel an entry of this family
   * @return its function handle
   */
  CUfunction function(PtxKernel kernel) {
    module.get();
    CUfunction f = functions.get(kernel);
    if (f == null) {
      throw new IllegalArgumentException(kernel.entry() + " is not in the " + family + " module");
    }
    return f;
  }

  /** @return the JIT's info log (e.g. register counts), possibly empty */
  public String jitInfo() {
    return jitInfo;
  }

  /** @return the number of resolved entries */
  public int entries() {
    return functions.size();
  }

  @Override
  public void close() {
    module.close();
  }
}

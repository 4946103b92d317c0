/*
 * nke CUDA library shim: a forwarding library with the SONAME and symbol version that JCuda's natives
 * were linked against (libcublas.so.12 / libcufft.so.10), whose every symbol is a one-instruction
 * trampoline to the same symbol of the cuBLAS/cuFFT major version actually installed (CUDA 13's
 * libcublas.so.13, CUDA 12's libcufft.so.11, CUDA 13's libcufft.so.12, ...).
 *
 * How it is used (see engine-cuda/README.md): engine-cuda first System.load()s the real library by
 * its full path (so its dependencies and SONAME are known to the dynamic loader), then this shim,
 * then JCuda's native (libJCublas2-12.0.0-...so). When that native asks for libcublas.so.12, glibc
 * finds the already loaded object with that SONAME (this shim) and binds its versioned references
 * (cublasDgemm_v2@libcublas.so.12, ...) to our trampolines.
 *
 * Build (engine-cuda/src/main/native/build-shims.sh):
 *   gcc -shared -fPIC -O2 -Wl,-soname,libcublas.so.12 -Wl,--version-script,cublas12.map \
 *       -DNKE_SHIM_SYMBOLS='"cublas12.symbols.h"' -DNKE_SHIM_TARGETS='"libcublas.so.13", ...' \
 *       -DNKE_SHIM_MISSING=15 shim.c -ldl
 *
 * Trampolines are `jmp *slot(%rip)`: the arguments and return value pass through untouched, so no
 * prototype is needed. The slots start at a stub returning NKE_SHIM_MISSING (the library's "not
 * supported" status) and are filled by the constructor with dlsym(); a symbol the installed version
 * no longer exports keeps the stub, which JCuda reports as that status code.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#if !defined(NKE_SHIM_SYMBOLS) || !defined(NKE_SHIM_TARGETS) || !defined(NKE_SHIM_MISSING)
#error "define NKE_SHIM_SYMBOLS, NKE_SHIM_TARGETS and NKE_SHIM_MISSING"
#endif

#if !defined(__x86_64__)
#error "the trampolines are written for x86-64"
#endif

/* Returned by every symbol that the installed library does not provide. */
static int nke_missing(void) {
  return NKE_SHIM_MISSING;
}

/* One slot per symbol: the address the trampoline jumps to. */
#define NKE_SYM(name) __attribute__((visibility("hidden"))) void *nke_slot_##name = (void *) nke_missing;
#include NKE_SHIM_SYMBOLS
#undef NKE_SYM

/* One trampoline per symbol. */
#define NKE_SYM(name) \
  __asm__(".text\n\t.globl " #name "\n\t.type " #name ", @function\n" #name ":\n\t" \
          "jmp *nke_slot_" #name "(%rip)\n\t.size " #name ", .-" #name "\n");
#include NKE_SHIM_SYMBOLS
#undef NKE_SYM

static const char *const nke_names[] = {
#define NKE_SYM(name) #name,
#include NKE_SHIM_SYMBOLS
#undef NKE_SYM
};

static void **const nke_slots[] = {
#define NKE_SYM(name) &nke_slot_##name,
#include NKE_SHIM_SYMBOLS
#undef NKE_SYM
};

static const char *const nke_targets[] = {NKE_SHIM_TARGETS};

/*
 * Binds every slot. The target is looked up first among the objects already loaded (RTLD_NOLOAD:
 * engine-cuda loads it by full path before this shim), then on the loader's search path.
 * NKE_SHIM_VERBOSE=1 in the environment prints what was bound to stderr.
 */
__attribute__((constructor)) static void nke_shim_bind(void) {
  void *handle = NULL;
  const char *target = NULL;
  size_t n = sizeof(nke_targets) / sizeof(nke_targets[0]);
  for (size_t t = 0; t < n && handle == NULL; t++) {
    handle = dlopen(nke_targets[t], RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
    target = nke_targets[t];
  }
  for (size_t t = 0; t < n && handle == NULL; t++) {
    handle = dlopen(nke_targets[t], RTLD_NOW | RTLD_LOCAL);
    target = nke_targets[t];
  }
  size_t total = sizeof(nke_names) / sizeof(nke_names[0]);
  size_t bound = 0;
  if (handle != NULL) {
    for (size_t s = 0; s < total; s++) {
      void *p = dlsym(handle, nke_names[s]);
      if (p != NULL) {
        *nke_slots[s] = p;
        bound++;
      }
    }
  }
  const char *verbose = getenv("NKE_SHIM_VERBOSE");
  if (verbose != NULL && verbose[0] == '1') {
    fprintf(stderr, "nke shim: %s, %zu of %zu symbols bound\n",
            handle != NULL ? target : "no target library found", bound, total);
  }
}

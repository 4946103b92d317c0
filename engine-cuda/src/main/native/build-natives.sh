#!/usr/bin/env bash
# Native pieces of engine-cuda, written into $1 (its classes directory). Usage:
#   build-natives.sh CLASSES_DIR JCUFFT_NATIVES_JAR JCUFFT_VERSION JCUDA_VERSION
# 1. JCufft's library under the name JCufft looks for: jcufft 11.8.0 (the newest on Maven Central)
#    loads "JCufft-" + JCudaVersion.get(), i.e. libJCufft-12.0.0-linux-x86_64.so next to jcuda 12.0.0,
#    while its natives jar holds libJCufft-11.8.0-linux-x86_64.so: copied to $1/lib/ under the new name.
# 2. The CUDA library shims (see shim.c):
#   $1/org/nke/cuda/native/linux-x86_64/libnke-cublas12-shim.so   (SONAME libcublas.so.12)
#   $1/org/nke/cuda/native/linux-x86_64/libnke-cufft10-shim.so    (SONAME libcufft.so.10)
# Without gcc (or off x86-64 Linux) it prints a warning and builds no shim: the backend then works
# only where the exact majors JCuda was built for (CUDA 12's cuBLAS, CUDA 11's cuFFT) are installed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$1/org/nke/cuda/native/linux-x86_64"
if [[ $# -ge 4 && "$3" != "$4" && -f "$2" ]]; then
  mkdir -p "$1/lib"
  src="lib/libJCufft-$3-linux-x86_64.so" dst="$1/lib/libJCufft-$4-linux-x86_64.so"
  if command -v unzip >/dev/null 2>&1; then
    unzip -p "$2" "$src" > "$dst"
  elif command -v jar >/dev/null 2>&1; then
    (cd "$1/lib" && jar xf "$2" "$src" && mv "$src" "$dst" && rm -rf lib)
  else
    echo "[WARNING] nke: neither unzip nor jar found; JCufft's native not renamed (cuFFT unusable)" >&2
  fi
  [[ -s "$dst" ]] && echo "nke: JCufft $3 native provided as lib/libJCufft-$4-linux-x86_64.so"
fi
if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
  echo "[WARNING] nke: not on x86-64 Linux; CUDA library shims not built" >&2
  exit 0
fi
if ! command -v gcc >/dev/null 2>&1; then
  echo "[WARNING] nke: gcc not found; CUDA library shims (libcublas.so.12/libcufft.so.10 forwarders)" \
    "not built: the cuda backend will bind cuBLAS/cuFFT only where those exact majors are installed" >&2
  exit 0
fi
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
build() { # name soname symbols targets missing-status
  local name=$1 soname=$2 symbols=$3 targets=$4 missing=$5
  { echo "$soname {"; echo "  global:"
    sed -n 's/^NKE_SYM(\(.*\))$/    \1;/p' "$here/$symbols"
    echo "  local: *;"; echo "};"; } > "$tmp/$name.map"
  gcc -shared -fPIC -O2 -std=c11 -Wall -Wextra -Werror -fvisibility=hidden \
    -Wl,-soname,"$soname" -Wl,--version-script,"$tmp/$name.map" -Wl,--no-undefined \
    -DNKE_SHIM_SYMBOLS="\"$here/$symbols\"" -DNKE_SHIM_TARGETS="$targets" -DNKE_SHIM_MISSING="$missing" \
    -o "$out/libnke-$name-shim.so" "$here/shim.c" -ldl
}
# cuBLAS: 15 = CUBLAS_STATUS_NOT_SUPPORTED. cuFFT: 16 = CUFFT_NOT_SUPPORTED.
build cublas12 libcublas.so.12 cublas12.symbols.h '"libcublas.so.13", "libcublas.so.14"' 15
build cufft10 libcufft.so.10 cufft10.symbols.h '"libcufft.so.12", "libcufft.so.11", "libcufft.so.13"' 16
echo "nke: built CUDA library shims in $out"

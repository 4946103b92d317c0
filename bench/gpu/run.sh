#!/usr/bin/env bash
# GPU run of nke's CUDA backend in ONE device-tool call: `nke doctor`, the CUDA contract tests and the
# dense-kernel timing (CPU vs CUDA on the same machine), everything written under $OUT.
#
#   bench/gpu/run.sh prepare   on the build machine: builds the jars, a jlink'ed JRE and the JUnit
#                              console launcher into bench/gpu/carry/ (git-ignored) and checks that the
#                              carry fits the device tool's 64 MiB limit
#   bench/gpu/run.sh           on the device machine (carry bench/gpu/carry): runs everything
#   bench/gpu/run.sh dry-run   here, without a GPU: the device part against the carry folder, to check
#                              the mechanics (the CUDA tests then skip with the probe's reason)
#
# Device-tool call (see README.md): command `bash bench/gpu/run.sh`, carry ["bench/gpu/carry"].
# Knobs (environment): NKE_GPU_N (timing sizes, default 2000,10000,20000), NKE_GPU_CPU_MAX_N,
# NKE_GPU_DTYPE (float32), NKE_GPU_XMX (48g).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
carry="$here/carry"
mode="${1:-device}"

prepare() {
  set -e
  command -v jlink >/dev/null || { echo "run.sh: jlink not found (needs a JDK)" >&2; exit 1; }
  (cd "$root" && mvn -q -B -DskipTests install)
  rm -rf "$carry" && mkdir -p "$carry"
  cp "$root/bench/target/nke.jar" "$carry/"
  cp "$root"/engine-core/target/engine-core-*-tests.jar "$carry/engine-core-tests.jar"
  jar cf "$carry/engine-cuda-tests.jar" -C "$root/engine-cuda/target/test-classes" .
  local junit=1.14.1
  (cd "$root" && mvn -q -B dependency:copy \
    -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit" \
    -DoutputDirectory="$carry")
  mv "$carry/junit-platform-console-standalone-$junit.jar" "$carry/junit-console.jar"
  local tmp; tmp="$(mktemp -d)"
  jlink --add-modules java.base,java.logging,java.xml,jdk.unsupported --strip-debug \
    --no-header-files --no-man-pages --compress=2 --output "$tmp/jre"
  tar -C "$tmp" -czf "$carry/jre.tgz" jre
  rm -rf "$tmp"
  local bytes; bytes=$(du -sb "$carry" | cut -f1)
  echo "run.sh: carry folder $carry: $((bytes / 1024 / 1024)) MiB"; ls -la "$carry"
  if (( bytes > 60 * 1024 * 1024 )); then
    echo "run.sh: carry exceeds 60 MiB (device limit 64 MiB with the working tree)" >&2; exit 1
  fi
}

device() {
  local out="${OUT:-/tmp/nke-gpu-out}"
  mkdir -p "$out" /tmp/nke-gpu
  local log="$out/summary.txt"
  : > "$log"
  say() { echo "$*" | tee -a "$log"; }
  [[ -f "$carry/nke.jar" ]] || { say "run.sh: $carry/nke.jar missing: run 'bench/gpu/run.sh prepare' first"; return 1; }
  local java=java
  if [[ -f "$carry/jre.tgz" ]]; then
    tar -C /tmp/nke-gpu -xzf "$carry/jre.tgz" && java=/tmp/nke-gpu/jre/bin/java
  fi
  { echo "== uname"; uname -a; echo "== nvidia-smi"; nvidia-smi 2>&1 || echo "no nvidia-smi"
    echo "== ldconfig (CUDA libraries)"; ldconfig -p 2>/dev/null | grep -E 'libcuda\.|libcublas|libcufft' || true
    echo "== java"; "$java" -version 2>&1; } > "$out/env.txt" 2>&1
  # cuBLAS/cuFFT of pip wheels (the lent machines have CUDA 13's): hand their folders to the backend
  local libs
  libs="$(python3 - <<'PY' 2>/dev/null
import glob, os
dirs = set()
for pattern in ['/opt/*/.venv/lib/python3*/site-packages/nvidia/*/lib',
                '/usr/local/lib/python3*/dist-packages/nvidia/*/lib',
                '/usr/lib/python3*/dist-packages/nvidia/*/lib', '/usr/local/cuda/lib64']:
    dirs.update(d for d in glob.glob(pattern) if os.path.isdir(d))
try:
    import nvidia
    for p in nvidia.__path__:
        dirs.update(glob.glob(os.path.join(p, '*', 'lib')))
except Exception:
    pass
print(':'.join(sorted(dirs)))
PY
)"
  echo "== library folders given to nke: ${libs:-none}" >> "$out/env.txt"
  local opts=(-Xmx"${NKE_GPU_XMX:-48g}" -Dnke.cuda.libpath="$libs")
  say "== nke doctor"
  timeout 120 "$java" "${opts[@]}" -jar "$carry/nke.jar" doctor > "$out/doctor.txt" 2>&1
  say "doctor exit $?"; tee -a "$log" < "$out/doctor.txt" >/dev/null
  say "== CUDA contract tests"
  timeout 300 "$java" "${opts[@]}" -jar "$carry/junit-console.jar" execute \
    -cp "$carry/nke.jar:$carry/engine-cuda-tests.jar:$carry/engine-core-tests.jar" \
    --select-class org.nke.cuda.CudaBackendContractTest --select-class org.nke.cuda.CudaBackendProviderTest \
    --select-class org.nke.cuda.PtxManifestTest --details=tree --disable-banner --disable-ansi-colors \
    --reports-dir /tmp/nke-gpu/junit > "$out/tests.txt" 2>&1
  say "tests exit $?"; grep -E "tests (successful|failed|skipped|aborted)" "$out/tests.txt" | tee -a "$log"
  cp /tmp/nke-gpu/junit/TEST-junit-jupiter.xml "$out/junit-jupiter.xml" 2>/dev/null
  say "== dense timing (CPU vs CUDA, same machine)"
  timeout 420 "$java" "${opts[@]}" -cp "$carry/nke.jar" org.nke.bench.DenseTiming \
    n="${NKE_GPU_N:-2000,10000,20000}" cpuMaxN="${NKE_GPU_CPU_MAX_N:-20000}" \
    dtype="${NKE_GPU_DTYPE:-float32}" out="$out/timing.csv" > "$out/timing.log" 2>&1
  say "timing exit $?"; tee -a "$log" < "$out/timing.log" >/dev/null
}

case "$mode" in
  prepare) prepare ;;
  dry-run) OUT="${OUT:-/tmp/nke-gpu-dry}" NKE_GPU_N="${NKE_GPU_N:-300,600}" NKE_GPU_XMX="${NKE_GPU_XMX:-2g}" device ;;
  device) device ;;
  *) echo "usage: bench/gpu/run.sh [prepare|dry-run]" >&2; exit 2 ;;
esac

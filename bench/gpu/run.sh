#!/usr/bin/env bash
# GPU run of nke's CUDA backend in ONE device-tool call: `nke doctor`, the CUDA contract tests (dense,
# CNTK, sketches, CNTK sketches) and the timing rows (CPU vs CUDA on the same machine: exact dense NTK, exact
# Myrtle-5 CNTK per image pair, Myrtle-5 CNTK sketch features, dense NTK sketch features) and `nke bench --suite backends`, within
# the device tool's 600 s per command, everything written under $OUT as at most 8 files.
#
#   bench/gpu/run.sh prepare   on the build machine: builds the jars (mvn package, nothing installed),
#                              a jlink'ed JRE and the JUnit console launcher into bench/gpu/carry/
#                              (git-ignored) and checks that the carry fits the 64 MiB limit
#   bench/gpu/run.sh           on the device machine (carry bench/gpu/carry): runs every stage
#   bench/gpu/run.sh dry-run   here, without a GPU: the device part against the carry folder, small
#                              sizes, to check the mechanics (CUDA tests skip with the probe's reason)
#
# Device-tool call (see README.md): command `bash bench/gpu/run.sh`, carry ["bench/gpu/carry"].
# Knobs (environment): NKE_GPU_STAGES (default "doctor tests dense cntk cntksketch sketch backends"),
# NKE_GPU_N (dense sizes, default 2000,10000,20000), NKE_GPU_CPU_MAX_N (20000), NKE_GPU_DTYPE
# (float32), NKE_GPU_CNTK_N (images, 32,128), NKE_GPU_CNTK_CPU_MAX_N (32), NKE_GPU_SKETCH_N
# (10000,50000), NKE_GPU_SKETCH_CPU_MAX_N (10000), NKE_GPU_CNTKSK_N (images, 64,512),
# NKE_GPU_CNTKSK_CPU_MAX_N (64), NKE_GPU_XMX (48g).
# Output files: summary.txt (every step's log), env.txt (machine, libraries, nke doctor), tests.txt,
# dense.csv, cntk.csv, cntk-sketch.csv, sketch.csv, backends.tgz (the bench suite's JSON/MD/PNG and
# the JUnit XML report).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
carry="$here/carry"
mode="${1:-device}"

prepare() {
  set -e
  command -v jlink >/dev/null || { echo "run.sh: jlink not found (needs a JDK)" >&2; exit 1; }
  (cd "$root" && mvn -q -B ${NKE_MVN_FLAGS:-} -DskipTests package)
  rm -rf "$carry" && mkdir -p "$carry"
  cp "$root/cli/target/nke.jar" "$carry/"
  cp "$root"/engine-core/target/engine-core-*-tests.jar "$carry/engine-core-tests.jar"
  jar cf "$carry/engine-cuda-tests.jar" -C "$root/engine-cuda/target/test-classes" .
  local junit=1.14.1
  (cd "$root" && mvn -q -B dependency:copy \
    -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit" \
    -DoutputDirectory="$carry" ${NKE_MVN_FLAGS:-})
  mv "$carry/junit-platform-console-standalone-$junit.jar" "$carry/junit-console.jar"
  local tmp; tmp="$(mktemp -d)"
  jlink --add-modules java.base,java.logging,java.xml,java.management,java.desktop,jdk.unsupported --strip-debug \
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
    echo "== nproc"; nproc; echo "== java"; "$java" -version 2>&1; } > "$out/env.txt" 2>&1
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
  local cp="$carry/nke.jar"
  local stages="${NKE_GPU_STAGES:-doctor tests dense cntk cntksketch sketch backends}"
  local t0=$SECONDS
  step() { say "== $1 (exit $2, $((SECONDS - t0)) s so far)"; }
  for stage in $stages; do
    case "$stage" in
      doctor)
        { echo "== nke doctor"; timeout 30 "$java" "${opts[@]}" -jar "$cp" doctor 2>&1; } >> "$out/env.txt"
        step "nke doctor (in env.txt)" $?
        sed -n '/== nke doctor/,$p' "$out/env.txt" >> "$log" ;;
      tests)
        timeout 170 "$java" "${opts[@]}" -jar "$carry/junit-console.jar" execute \
          -cp "$cp:$carry/engine-cuda-tests.jar:$carry/engine-core-tests.jar" \
          --select-class org.nke.cuda.CudaBackendContractTest --select-class org.nke.cuda.CudaCntkContractTest \
          --select-class org.nke.cuda.CudaSketchContractTest --select-class org.nke.cuda.CudaCntkSketchContractTest --select-class org.nke.cuda.CudaBackendProviderTest \
          --select-class org.nke.cuda.PtxManifestTest --details=tree --disable-banner --disable-ansi-colors \
          --reports-dir /tmp/nke-gpu/junit > "$out/tests.txt" 2>&1
        step "CUDA contract tests" $?
        grep -E "tests (successful|failed|skipped|aborted)" "$out/tests.txt" | tee -a "$log"
        ;;
      dense)
        timeout 100 "$java" "${opts[@]}" -cp "$cp" org.nke.bench.DenseTiming \
          n="${NKE_GPU_N:-2000,10000,20000}" cpuMaxN="${NKE_GPU_CPU_MAX_N:-20000}" \
          dtype="${NKE_GPU_DTYPE:-float32}" out=/tmp/nke-gpu/dense.csv > "$out/dense.csv" 2>> "$log"
        step "dense timing (dense.csv)" $? ;;
      cntk)
        timeout 80 "$java" "${opts[@]}" -cp "$cp" org.nke.bench.CntkTiming \
          n="${NKE_GPU_CNTK_N:-32,128}" cpuMaxN="${NKE_GPU_CNTK_CPU_MAX_N:-32}" \
          out=/tmp/nke-gpu/cntk.csv > "$out/cntk.csv" 2>> "$log"
        step "CNTK timing, Myrtle-5 (cntk.csv)" $? ;;
      cntksketch)
        timeout 50 "$java" "${opts[@]}" -cp "$cp" org.nke.bench.CntkSketchTiming \
          n="${NKE_GPU_CNTKSK_N:-64,512}" cpuMaxN="${NKE_GPU_CNTKSK_CPU_MAX_N:-64}" \
          out=/tmp/nke-gpu/cntk-sketch.csv > "$out/cntk-sketch.csv" 2>> "$log"
        step "CNTK sketch timing, Myrtle-5 m=2048 (cntk-sketch.csv)" $? ;;
      sketch)
        timeout 80 "$java" "${opts[@]}" -cp "$cp" org.nke.bench.SketchTiming \
          n="${NKE_GPU_SKETCH_N:-10000,50000}" cpuMaxN="${NKE_GPU_SKETCH_CPU_MAX_N:-10000}" \
          out=/tmp/nke-gpu/sketch.csv > "$out/sketch.csv" 2>> "$log"
        step "sketch timing (sketch.csv)" $? ;;
      backends)
        rm -rf /tmp/nke-gpu/bench && mkdir -p /tmp/nke-gpu/bench
        timeout 60 "$java" "${opts[@]}" -jar "$cp" bench --suite backends --quick --reps 1 --quiet \
          --out-dir /tmp/nke-gpu/bench >> "$log" 2>&1
        step "nke bench --suite backends --quick (backends.tgz)" $?
        tar -C /tmp/nke-gpu -czf "$out/backends.tgz" bench $(cd /tmp/nke-gpu && ls -d junit 2>/dev/null) ;;
      *) say "run.sh: unknown stage $stage" ;;
    esac
  done
  for f in dense cntk cntk-sketch sketch; do
    [[ -s "$out/$f.csv" ]] && { echo "== $f.csv"; cat "$out/$f.csv"; } >> "$log"
  done
  say "== done in $((SECONDS - t0)) s"
}

case "$mode" in
  prepare) prepare ;;
  dry-run) OUT="${OUT:-/tmp/nke-gpu-dry}" NKE_GPU_N="${NKE_GPU_N:-300,600}" NKE_GPU_XMX="${NKE_GPU_XMX:-2g}" \
    NKE_GPU_CNTK_N="${NKE_GPU_CNTK_N:-2}" NKE_GPU_CNTK_CPU_MAX_N="${NKE_GPU_CNTK_CPU_MAX_N:-2}" \
    NKE_GPU_SKETCH_N="${NKE_GPU_SKETCH_N:-300}" NKE_GPU_SKETCH_CPU_MAX_N="${NKE_GPU_SKETCH_CPU_MAX_N:-300}" \
    NKE_GPU_CNTKSK_N="${NKE_GPU_CNTKSK_N:-4}" NKE_GPU_CNTKSK_CPU_MAX_N="${NKE_GPU_CNTKSK_CPU_MAX_N:-4}" device ;;
  device) device ;;
  *) echo "usage: bench/gpu/run.sh [prepare|dry-run]" >&2; exit 2 ;;
esac

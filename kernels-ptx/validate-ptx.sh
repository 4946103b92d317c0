#!/usr/bin/env bash
# Assembles every PTX file of kernels-ptx with ptxas for several GPU targets; fails on any error or
# warning (-Werror). Run by `mvn -Pptxas test` (and automatically where /usr/local/cuda/bin/ptxas
# exists). Targets the installed ptxas does not know (e.g. sm_70 on CUDA 13) are reported and skipped;
# at least three must be validated.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ptxas="${PTXAS:-$(command -v ptxas || true)}"
[[ -z "$ptxas" && -x /usr/local/cuda/bin/ptxas ]] && ptxas=/usr/local/cuda/bin/ptxas
if [[ -z "$ptxas" ]]; then
  echo "validate-ptx: ptxas not found (set PTXAS or put it on PATH)" >&2
  exit 1
fi
echo "validate-ptx: $("$ptxas" --version | tail -1)"
targets=(sm_70 sm_75 sm_80 sm_86 sm_90 sm_100 sm_120)
status=0
for f in "$here"/src/main/resources/org/nke/ptx/*.ptx; do
  ok=0
  for t in "${targets[@]}"; do
    if ! out="$("$ptxas" --gpu-name "$t" --warning-as-error -v -o /dev/null "$f" 2>&1)"; then
      if grep -q "is not defined for option 'gpu-name'" <<<"$out"; then
        echo "validate-ptx: $(basename "$f") $t: skipped (this ptxas does not support $t)"
        continue
      fi
      echo "validate-ptx: $(basename "$f") $t: FAILED" >&2
      echo "$out" >&2
      status=1
      continue
    fi
    entries=$(grep -c "^ptxas info    : Compiling entry function" <<<"$out" || true)
    maxreg=$(grep -o "Used [0-9]* registers" <<<"$out" | awk '{print $2}' | sort -n | tail -1)
    echo "validate-ptx: $(basename "$f") $t: ok, $entries entries, at most $maxreg registers"
    ok=$((ok + 1))
  done
  if (( ok < 3 )); then
    echo "validate-ptx: $(basename "$f"): only $ok targets validated" >&2
    status=1
  fi
done
exit $status

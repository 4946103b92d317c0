#!/usr/bin/env bash
# The CNTK issue's accuracy check: exact CNTK ridge against CNTK-sketch ridge on a class-balanced
# Fashion-MNIST subset (bundled with nke), downsampled to 14x14 so that the exact CNTK takes minutes
# on 2 cores. Usage: tools/cntk_fashion_mnist.sh [OUT_DIR] [TRAIN_PER_CLASS] [TEST_PER_CLASS] [M...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-/tmp/nke-fmnist}"; train="${2:-50}"; test="${3:-30}"; shift $(( $# > 3 ? 3 : $# ))
dims=("${@:-8192 2048}")
# Myrtle-5 for 14x14: two 3x3 convs at 14x14, pool, one at 7x7, pool, one at 3x3, global pool
conv="Conv(64, (3, 3), padding='SAME', W_std=1.414)"
pool="AvgPool((2, 2), strides=(2, 2))"
arch="$conv, Relu(), $conv, Relu(), $pool, $conv, Relu(), $pool, $conv, Relu(), GlobalAvgPool(), Dense(W_std=1.414)"
python3 "$root/tools/data/fashion_mnist_images.py" "$out" "$train" "$test" 2
nke() { "$root/nke" "$@"; }
run() {  # run METHOD NAME [extra fit options]
  local method=$1 name=$2; shift 2
  echo "== $name"
  nke fit --arch "$arch" --x "$out/train-x.npy" --labels "$out/train-y.npy" --method "$method" \
      --kind ntk --standardize --model "$out/$name.zip" --quiet "$@" 2>&1 | grep -E "ridge on|loo_"
  nke predict --model "$out/$name.zip" --x "$out/test-x.npy" --labels "$out/test-y.npy" \
      --out "$out/$name-pred.csv" --quiet 2>&1 | grep -E "wrote|accuracy"
}
time run exact exact
for m in ${dims[@]}; do
  time run sketch "sketch$m" --dim "$m"                                  # the exact diagonal
  time run sketch "sketch$m-sketched" --dim "$m" --diagonal sketched     # the unbiased features
done
python3 - "$out" ${dims[@]} <<'PY'
import sys, numpy as np
out = sys.argv[1]
y = np.load(out + '/test-y.npy')
e = np.loadtxt(out + '/exact-pred.csv', delimiter=',', skiprows=0, ndmin=1)
print('exact CNTK: test accuracy %.4f' % (e == y).mean())
for m in sys.argv[2:]:
    for suffix, diagonal in (('', 'exact'), ('-sketched', 'sketched')):
        s = np.loadtxt(out + '/sketch%s%s-pred.csv' % (m, suffix), delimiter=',', ndmin=1)
        print('CNTK sketch m=%s, %s diagonal: test accuracy %.4f, same prediction as exact on %.1f%% '
              'of test images' % (m, diagonal, (s == y).mean(), 100 * (s == e).mean()))
PY

#!/usr/bin/env python3
"""Reference values for the exact CNTK of branching (residual) convolutional networks and LayerNorm on
images, from neural-tangents itself.

Small residual conv nets -- an identity shortcut, a strided 1x1 Conv shortcut, FanInProd with a pooled
branch, FanInConcat on channels with a nested fan-out, LayerNorm over the channel axis and over
(1, 2, 3), SumPool alone and in a branch -- with stax's `kernel_fn` NNGP and NTK on 3 random images x (6x6x2) with themselves and
against 2 images y; and, if `--wide-resnet` is given, neural-tangents' README WideResnet(1, 1, 10) on
2 random 32x32x3 images. Each network is written once, as a stax expression that nke's parser reads
too (`stax.` prefixes are accepted), and the same string is evaluated here.

Environment: see /work/shared/anchors/neural-tangents-local.md (neural-tangents 0.6.6 from source,
jax 0.10.2 on the CPU, float64, XLA_FLAGS=--xla_cpu_max_isa=AVX2). Usage:
    XLA_FLAGS=--xla_cpu_max_isa=AVX2 PYTHONPATH=$NT/src $NT/venv/bin/python \\
        tools/reference/cntk_residual_reference.py [--wide-resnet] \\
        engine-core/src/test/resources/org/nke/reference/cntk_residual.json
"""
import datetime
import json
import sys
import time

import jax

jax.config.update('jax_enable_x64', True)
import numpy as np  # noqa: E402
import neural_tangents as nt  # noqa: E402
from neural_tangents import stax  # noqa: E402

NETWORKS = [
    # identity shortcut, full pixel pairs (GlobalAvgPool)
    "stax.serial(stax.Conv(4, (3, 3), padding='SAME', W_std=1.3, b_std=0.1), stax.FanOut(2), "
    "stax.parallel(stax.serial(stax.Relu(), stax.Conv(4, (3, 3), padding='SAME', W_std=1.4, b_std=0.2)), "
    "stax.Identity()), stax.FanInSum(), stax.Relu(), stax.GlobalAvgPool(), stax.Dense(1))",
    # strided 1x1 Conv shortcut, LayerNorm over channels, diagonal pairs only (Flatten)
    "stax.serial(stax.Conv(4, (3, 3), padding='SAME', W_std=1.2), stax.FanOut(2), "
    "stax.parallel(stax.serial(stax.Relu(), stax.Conv(4, (3, 3), strides=(2, 2), padding='SAME', "
    "W_std=1.5, b_std=0.1), stax.Relu(), stax.Conv(4, (3, 3), padding='SAME')), "
    "stax.Conv(4, (1, 1), strides=(2, 2), padding='SAME', W_std=1.1)), stax.FanInSum(), "
    "stax.LayerNorm(), stax.Relu(), stax.Flatten(), stax.Dense(1))",
    # FanInProd of three branches, one pooled (needs all pairs) and two that need the diagonal only
    "stax.serial(stax.Conv(4, (3, 3), padding='SAME', W_std=1.3, b_std=0.2), stax.FanOut(3), "
    "stax.parallel(stax.Erf(), stax.serial(stax.AvgPool((2, 2), strides=(1, 1), padding='SAME'), "
    "stax.Relu()), stax.Identity()), stax.FanInProd(), stax.Flatten(), stax.Dense(1))",
    # LayerNorm over (1, 2, 3), FanInConcat on channels (weights 3/9 and 6/9) of a nested fan-out
    "stax.serial(stax.Conv(6, (3, 3), padding='SAME', W_std=1.4), stax.LayerNorm(axis=(1, 2, 3), eps=0.1), "
    "stax.FanOut(2), stax.parallel(stax.serial(stax.Relu(), stax.Conv(3, (3, 3), padding='SAME', "
    "W_std=1.2, b_std=0.3)), stax.serial(stax.FanOut(2), stax.parallel(stax.Conv(6, (1, 1), W_std=0.9), "
    "stax.Identity()), stax.FanInSum())), stax.FanInConcat(), stax.Conv(4, (3, 3), padding='SAME', "
    "W_std=1.1), stax.Relu(), stax.AvgPool((2, 2)), stax.Flatten(), stax.Dense(1))",
    # both LayerNorms on full pixel pairs
    "stax.serial(stax.Conv(4, (3, 3), padding='SAME', W_std=1.3), stax.LayerNorm(eps=0.01), stax.Relu(), "
    "stax.Conv(4, (3, 3), padding='SAME'), stax.LayerNorm(axis=(1, 2, 3)), stax.Erf(), "
    "stax.GlobalAvgPool(), stax.Dense(1))",
    # SumPool (SAME, stride 1) before an activation, diagonal pairs after it (Flatten)
    "stax.serial(stax.Conv(4, (3, 3), padding='SAME', W_std=1.3, b_std=0.1), stax.Relu(), "
    "stax.Conv(4, (3, 3), padding='SAME', W_std=0.9), stax.SumPool((2, 2), strides=(1, 1), "
    "padding='SAME'), stax.Relu(), stax.Conv(4, (3, 3), padding='SAME'), stax.Relu(), stax.Flatten(), "
    "stax.Dense(1))",
    # SumPool in a residual branch against a strided Conv shortcut, full pairs (GlobalAvgPool)
    "stax.serial(stax.Conv(4, (3, 3), padding='SAME', W_std=1.2), stax.FanOut(2), "
    "stax.parallel(stax.serial(stax.Relu(), stax.Conv(4, (3, 3), padding='SAME', W_std=1.1, "
    "b_std=0.2), stax.SumPool((2, 2), strides=(2, 2))), stax.Conv(4, (2, 2), strides=(2, 2), "
    "W_std=0.8)), stax.FanInSum(), stax.Erf(), stax.GlobalAvgPool(), stax.Dense(1))",
]

WIDE_RESNET = "WideResnet(1, 1, 10)"


def wide_resnet_block(channels, strides=(1, 1), channel_mismatch=False):
    # neural-tangents README, "Infinitely WideResnet"
    main = stax.serial(
        stax.Relu(), stax.Conv(channels, (3, 3), strides, padding='SAME'),
        stax.Relu(), stax.Conv(channels, (3, 3), padding='SAME'))
    shortcut = stax.Identity() if not channel_mismatch else stax.Conv(
        channels, (3, 3), strides, padding='SAME')
    return stax.serial(stax.FanOut(2), stax.parallel(main, shortcut), stax.FanInSum())


def wide_resnet_group(n, channels, strides=(1, 1)):
    blocks = [wide_resnet_block(channels, strides, channel_mismatch=True)]
    for _ in range(n - 1):
        blocks += [wide_resnet_block(channels, (1, 1))]
    return stax.serial(*blocks)


def wide_resnet(block_size, k, num_classes):
    return stax.serial(
        stax.Conv(16, (3, 3), padding='SAME'),
        wide_resnet_group(block_size, int(16 * k)),
        wide_resnet_group(block_size, int(32 * k), (2, 2)),
        wide_resnet_group(block_size, int(64 * k), (2, 2)),
        stax.AvgPool((8, 8)),
        stax.Flatten(),
        stax.Dense(num_classes, 1., 0.))


def case(kernel_fn, source, x, y):
    kxx = kernel_fn(x, None, ('nngp', 'ntk'))
    c = {'arch': source, 'nngp_xx': np.asarray(kxx.nngp).tolist(),
         'ntk_xx': np.asarray(kxx.ntk).tolist()}
    if y is not None:
        kxy = kernel_fn(x, y, ('nngp', 'ntk'))
        c['nngp_xy'] = np.asarray(kxy.nngp).tolist()
        c['ntk_xy'] = np.asarray(kxy.ntk).tolist()
    return c


def main(args):
    out_path = args[-1]
    rng = np.random.default_rng(20261203)
    x = rng.normal(size=(3, 6, 6, 2))
    y = rng.normal(size=(2, 6, 6, 2))
    cases = []
    for source in NETWORKS:
        _, _, kernel_fn = eval(source)  # noqa: S307 -- our own constant strings
        cases.append(case(kernel_fn, source, x, y))
    out = {
        'provenance': {
            'neural_tangents': nt.__version__,
            'jax': jax.__version__,
            'numpy': np.__version__,
            'script': 'tools/reference/cntk_residual_reference.py',
            'date': datetime.date.today().isoformat(),
            'call': "kernel_fn(x, None, ('nngp', 'ntk')) and kernel_fn(x, y, ('nngp', 'ntk')), float64",
        },
        'x_shape': list(x.shape),
        'x': x.reshape(-1).tolist(),
        'y_shape': list(y.shape),
        'y': y.reshape(-1).tolist(),
        'cases': cases,
    }
    if '--wide-resnet' in args:
        w = rng.normal(size=(2, 32, 32, 3))
        _, _, kernel_fn = wide_resnet(1, 1, 10)
        start = time.time()
        c = case(kernel_fn, WIDE_RESNET, w, None)
        c['seconds'] = time.time() - start
        out['wide_resnet'] = {'images_shape': list(w.shape), 'images': w.reshape(-1).tolist(),
                              'case': c}
    with open(out_path, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main(sys.argv[1:])

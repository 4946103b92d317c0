#!/usr/bin/env python3
"""Reference values for the exact CNTK under parameterization='standard', from neural-tangents itself.

For a few small convolutional networks with standard-parameterised Conv (with and without bias,
SAME/VALID, stride 2, Relu/Erf, AvgPool, a pixelwise Dense, GlobalAvgPool vs Flatten, a standard
Dense readout, one network mixing 'ntk' and 'standard' layers) computes stax's `kernel_fn` NNGP and
NTK on 4 random images x (6x6x2) with themselves and against 3 images y. Each network is written
once, as a stax expression that nke's parser reads too (`stax.` prefixes are accepted), and the
same string is evaluated here, so both sides build the same network.

Environment: see /work/shared/anchors/neural-tangents-local.md (neural-tangents 0.6.6 from source,
jax 0.10.2 on the CPU, float64, XLA_FLAGS=--xla_cpu_max_isa=AVX2). Usage:
    XLA_FLAGS=--xla_cpu_max_isa=AVX2 PYTHONPATH=$NT/src $NT/venv/bin/python \\
        tools/reference/cntk_standard_reference.py \\
        engine-core/src/test/resources/org/nke/reference/cntk_standard.json
"""
import datetime
import json
import sys

import jax

jax.config.update('jax_enable_x64', True)
import numpy as np  # noqa: E402
import neural_tangents as nt  # noqa: E402
from neural_tangents import stax  # noqa: E402

S = "parameterization='standard'"

NETWORKS = [
    # Conv with bias, SAME then VALID, Relu, Flatten, standard readout
    f"stax.serial(stax.Conv(3, (3, 3), padding='SAME', W_std=1.3, b_std=0.2, {S}), stax.Relu(), "
    f"stax.Conv(4, (2, 2), padding='VALID', W_std=1.1, {S}), stax.Relu(), stax.Flatten(), "
    f"stax.Dense(1, W_std=0.9, b_std=0.1, {S}))",
    # stride 2, Erf, AvgPool, a 1x1 Conv with b_std=0 given (NTK bias term 1, NNGP bias 0), GlobalAvgPool
    f"stax.serial(stax.Conv(5, (3, 3), strides=(2, 2), padding='SAME', W_std=1.5, b_std=0.3, {S}), "
    f"stax.Erf(), stax.AvgPool((2, 2), strides=(1, 1)), stax.Conv(2, (1, 1), W_std=1.2, b_std=0.0, {S}), "
    f"stax.GlobalAvgPool(), stax.Dense(1, W_std=1.1, {S}))",
    # the same body read out by Flatten instead of GlobalAvgPool
    f"stax.serial(stax.Conv(5, (3, 3), strides=(2, 2), padding='SAME', W_std=1.5, b_std=0.3, {S}), "
    f"stax.Erf(), stax.AvgPool((2, 2), strides=(1, 1)), stax.Conv(2, (1, 1), W_std=1.2, b_std=0.0, {S}), "
    f"stax.Flatten(), stax.Dense(1, W_std=1.1, {S}))",
    # 'ntk' Conv first, then a standard one (its C_in is the ntk layer's out_chan), pooled by stride 2
    f"stax.serial(stax.Conv(4, (3, 3), padding='VALID', W_std=1.2), stax.Relu(), "
    f"stax.Conv(3, (3, 3), padding='SAME', W_std=1.4, b_std=0.1, {S}), stax.Relu(), "
    f"stax.AvgPool((2, 2), strides=(2, 2)), stax.GlobalAvgPool(), stax.Dense(1, W_std=1.0, b_std=0.5, {S}))",
    # a pixelwise Dense (standard, N_in = channels), a hidden Dense after Flatten (N_in = H W C)
    f"stax.serial(stax.Conv(3, (2, 2), padding='SAME', W_std=1.2, {S}), stax.Relu(), "
    f"stax.Dense(4, W_std=1.3, b_std=0.1, {S}), stax.Erf(), stax.Flatten(), "
    f"stax.Dense(7, W_std=1.1, b_std=0.2, {S}), stax.Relu(), stax.Dense(1, W_std=0.8, {S}))",
    # Conv without bias, stride 2 VALID, GlobalAvgPool straight after
    f"stax.serial(stax.Conv(6, (3, 3), strides=(2, 2), padding='VALID', W_std=2**0.5, {S}), stax.Relu(), "
    f"stax.Conv(2, (2, 2), padding='SAME', W_std=2**0.5, b_std=0.05, {S}), stax.Relu(), "
    f"stax.GlobalAvgPool(), stax.Dense(1, W_std=1.0, {S}))",
]


def main(out_path):
    rng = np.random.default_rng(20261216)
    x = rng.normal(size=(4, 6, 6, 2))
    y = rng.normal(size=(3, 6, 6, 2))
    cases = []
    for source in NETWORKS:
        _, _, kernel_fn = eval(source)  # noqa: S307 -- our own constant strings
        kxx = kernel_fn(x, None, ('nngp', 'ntk'))
        kxy = kernel_fn(x, y, ('nngp', 'ntk'))
        cases.append({
            'arch': source,
            'nngp_xx': np.asarray(kxx.nngp).tolist(),
            'ntk_xx': np.asarray(kxx.ntk).tolist(),
            'nngp_xy': np.asarray(kxy.nngp).tolist(),
            'ntk_xy': np.asarray(kxy.ntk).tolist(),
        })
    out = {
        'provenance': {
            'neural_tangents': nt.__version__,
            'jax': jax.__version__,
            'numpy': np.__version__,
            'script': 'tools/reference/cntk_standard_reference.py',
            'date': datetime.date.today().isoformat(),
            'call': "kernel_fn(x, None, ('nngp', 'ntk')) and kernel_fn(x, y, ('nngp', 'ntk')), float64",
        },
        'x_shape': list(x.shape),
        'x': x.reshape(-1).tolist(),
        'y_shape': list(y.shape),
        'y': y.reshape(-1).tolist(),
        'cases': cases,
    }
    with open(out_path, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main(sys.argv[1])

#!/usr/bin/env python3
"""Reference NNGP and NTK values of branching dense networks (FanOut / parallel / FanInSum,
FanInProd, FanInConcat, nested) and LayerNorm from neural-tangents 0.6.6 (stax, analytic
kernel_fn, float64 on the CPU), for engine-core's NeuralTangentsBranchingTest.

Run as shared/anchors/neural-tangents-local.md describes (JAX 0.10.2 venv, neural-tangents source
on PYTHONPATH, XLA_FLAGS=--xla_cpu_max_isa=AVX2):

    XLA_FLAGS=--xla_cpu_max_isa=AVX2 PYTHONPATH=$NT/src $NT/venv/bin/python \
        tools/reference/branching_reference.py \
        > engine-core/src/test/resources/org/nke/reference/branching_nt.json

Each architecture string is both a stax expression (evaluated here with `stax` in scope) and an nke
architecture string (nke accepts the `stax.` prefix and ignores widths except where the kernel
reads them: FanInConcat's weights). Widths are given because stax needs them.
"""
import datetime
import json
import sys

import jax
jax.config.update('jax_enable_x64', True)
import numpy as np
import neural_tangents
from neural_tangents import stax

CASES = {
    'residual_relu_layernorm':
        'stax.Dense(512, W_std=1.5), stax.FanOut(2), stax.parallel(stax.Identity(), '
        'stax.serial(stax.Relu(), stax.Dense(512, W_std=1.5))), stax.FanInSum(), stax.LayerNorm(), '
        'stax.Relu(), stax.Dense(1)',
    'residual_erf_bias':
        'stax.Dense(512, W_std=1.2, b_std=0.1), stax.FanOut(2), stax.parallel(stax.serial('
        'stax.Erf(), stax.Dense(512, W_std=1.3, b_std=0.2)), stax.Identity()), stax.FanInSum(), '
        'stax.Erf(), stax.Dense(1, W_std=0.9)',
    'residual_gelu_two_layers':
        'stax.Dense(512), stax.FanOut(2), stax.parallel(stax.Identity(), stax.serial(stax.Gelu(), '
        'stax.Dense(512, W_std=1.4), stax.Gelu(), stax.Dense(512, W_std=1.1, b_std=0.05))), '
        'stax.FanInSum(), stax.Gelu(), stax.Dense(1, b_std=0.1)',
    'product_of_two_dense_branches':
        'stax.Dense(512, W_std=1.2, b_std=0.1), stax.FanOut(2), stax.parallel(stax.Dense(512, '
        'W_std=0.9), stax.serial(stax.Relu(), stax.Dense(512, W_std=1.5, b_std=0.3))), '
        'stax.FanInProd(), stax.Dense(512), stax.Relu(), stax.Dense(1)',
    'concat_three_widths':
        'stax.Dense(512), stax.FanOut(3), stax.parallel(stax.Dense(512, W_std=1.3), '
        'stax.serial(stax.Relu(), stax.Dense(256, W_std=2.0)), stax.Identity()), '
        'stax.FanInConcat(), stax.Dense(1, W_std=1.2, b_std=0.2)',
    'layernorm_eps':
        'stax.Dense(512, W_std=1.3, b_std=0.3), stax.LayerNorm(eps=0.1), stax.Erf(), '
        'stax.Dense(512), stax.LayerNorm(), stax.Relu(), stax.Dense(1)',
    'nested_parallel':
        'stax.Dense(512, W_std=1.1), stax.FanOut(2), stax.parallel(stax.serial(stax.FanOut(2), '
        'stax.parallel(stax.Identity(), stax.serial(stax.Relu(), stax.Dense(512, W_std=1.3))), '
        'stax.FanInSum(), stax.Relu(), stax.Dense(512)), stax.Identity()), stax.FanInSum(), '
        'stax.LayerNorm(), stax.Relu(), stax.Dense(1)',
}


def main():
    rng = np.random.RandomState(20261202)
    d = 6
    x = rng.randn(5, d) * np.array([[0.5], [1.0], [1.7], [0.8], [2.5]])
    y = rng.randn(4, d) * np.array([[1.2], [0.6], [2.0], [0.9]])
    y[0] = x[1]  # a pair with x = y
    out = {
        'provenance': {
            'source': 'neural-tangents ' + neural_tangents.__version__ + ' stax analytic kernel_fn, '
                      'jax ' + jax.__version__ + ', float64, CPU',
            'script': 'tools/reference/branching_reference.py',
            'date': datetime.date.today().isoformat(),
        },
        'x': x.tolist(),
        'y': y.tolist(),
        'cases': [],
    }
    for name, arch in CASES.items():
        _, _, kernel_fn = eval('stax.serial(' + arch + ')', {'stax': stax})
        kxx = kernel_fn(x, None, ('nngp', 'ntk'))
        kxy = kernel_fn(x, y, ('nngp', 'ntk'))
        out['cases'].append({
            'name': name,
            'arch': arch,
            'nngp_xx': np.asarray(kxx.nngp).tolist(),
            'ntk_xx': np.asarray(kxx.ntk).tolist(),
            'nngp_xy': np.asarray(kxy.nngp).tolist(),
            'ntk_xy': np.asarray(kxy.ntk).tolist(),
        })
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
"""Reference values for org.nke.krr.EnsemblePosterior from neural-tangents itself.

Computes, for the network
    stax.serial(Dense(512, W_std=1.5, b_std=0.1), Relu(), Dense(512, W_std=1.5, b_std=0.1), Relu(),
                Dense(1, W_std=1.5, b_std=0.1))
on 12 training and 5 test points in R^3 with 2 output columns, the NNGP and NTK kernels and
`nt.predict.gradient_descent_mse_ensemble(kernel_fn, x_train, y_train, diag_reg=1e-3)` (learning rate 1,
relative diag_reg) mean and covariance (compute_cov=True) for get='nngp' and get='ntk' at
t = 0, 1, 10, 1000, inf, and at t = None (neural-tangents' Cholesky path for t = infinity).

Environment: see /work/shared/anchors/neural-tangents-local.md (neural-tangents 0.6.6 from source,
jax 0.10.2 on the CPU, float64, XLA_FLAGS=--xla_cpu_max_isa=AVX2). Usage:
    XLA_FLAGS=--xla_cpu_max_isa=AVX2 PYTHONPATH=$NT/src $NT/venv/bin/python \
        tools/reference/predict_reference.py engine-core/src/test/resources/org/nke/krr/predict_reference.json
"""
import datetime
import json
import sys

import jax

jax.config.update('jax_enable_x64', True)
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import neural_tangents as nt  # noqa: E402
from neural_tangents import stax  # noqa: E402

RIDGE = 1e-3
TIMES = [0.0, 1.0, 10.0, 1000.0, float('inf')]


def main(out_path):
    rng = np.random.default_rng(20261203)
    x_train = rng.normal(size=(12, 3))
    x_test = rng.normal(size=(5, 3))
    y_train = rng.normal(size=(12, 2))

    _, _, kernel_fn = stax.serial(
        stax.Dense(512, W_std=1.5, b_std=0.1), stax.Relu(),
        stax.Dense(512, W_std=1.5, b_std=0.1), stax.Relu(),
        stax.Dense(1, W_std=1.5, b_std=0.1))
    k_dd = kernel_fn(x_train, None, ('nngp', 'ntk'))
    k_td = kernel_fn(x_test, x_train, ('nngp', 'ntk'))
    k_tt = kernel_fn(x_test, None, ('nngp', 'ntk'))

    predict_fn = nt.predict.gradient_descent_mse_ensemble(
        kernel_fn, x_train, jnp.asarray(y_train), diag_reg=RIDGE)

    cases = []
    for get in ('nngp', 'ntk'):
        for t in TIMES + [None]:
            g = predict_fn(t=t, x_test=x_test, get=get, compute_cov=True)
            cases.append({
                'get': get,
                'time': 'none' if t is None else ('inf' if t == float('inf') else t),
                'mean': np.asarray(g.mean).tolist(),
                'covariance': np.asarray(g.covariance).tolist(),
            })

    out = {
        'provenance': {
            'neural_tangents': nt.__version__,
            'jax': jax.__version__,
            'numpy': np.__version__,
            'script': 'tools/reference/predict_reference.py',
            'date': datetime.date.today().isoformat(),
            'network': 'serial(Dense(512, W_std=1.5, b_std=0.1), Relu(), Dense(512, W_std=1.5, '
                       'b_std=0.1), Relu(), Dense(1, W_std=1.5, b_std=0.1))',
            'call': 'gradient_descent_mse_ensemble(kernel_fn, x_train, y_train, diag_reg=%g)'
                    '(t, x_test, get, compute_cov=True)' % RIDGE,
        },
        'ridge': RIDGE,
        'x_train': x_train.tolist(),
        'x_test': x_test.tolist(),
        'y_train': y_train.tolist(),
        'nngp_train': np.asarray(k_dd.nngp).tolist(),
        'ntk_train': np.asarray(k_dd.ntk).tolist(),
        'nngp_test_train': np.asarray(k_td.nngp).tolist(),
        'ntk_test_train': np.asarray(k_td.ntk).tolist(),
        'nngp_test': np.asarray(k_tt.nngp).tolist(),
        'cases': cases,
    }
    with open(out_path, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main(sys.argv[1])

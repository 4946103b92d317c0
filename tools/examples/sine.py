#!/usr/bin/env python3
"""Writes the small 1-D regression set under examples/ used by the README's inference example.

20 noisy samples of y = sin(3x) at uniform random x in [-1, 1] (noise sd 0.1) and a test grid of
101 points on [-1.5, 1.5]. Fixed seed; needs only numpy. Run from the repository root:

    python3 tools/examples/sine.py
"""
import numpy as np

rng = np.random.default_rng(17)
x = np.sort(rng.uniform(-1.0, 1.0, 20))
y = np.sin(3.0 * x) + 0.1 * rng.standard_normal(x.size)
grid = np.linspace(-1.5, 1.5, 101)

np.savetxt("examples/sine-train.csv", x[:, None], fmt="%.6f", header="x", comments="")
np.savetxt("examples/sine-train-y.csv", y[:, None], fmt="%.6f", header="y", comments="")
np.savetxt("examples/sine-test.csv", grid[:, None], fmt="%.6f", header="x", comments="")

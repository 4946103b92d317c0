#!/usr/bin/env python3
"""Independent check of `nke kernel` output for the network
   Dense(W_std=1.5, b_std=0.1), Gelu(), Dense(W_std=1.5), Tanh(), Dense()
by direct numerical integration (scipy.integrate.quad, nested) of every Gaussian expectation, from
the pointwise activations only. Usage: check_dense_kernel.py X.csv K.nngp.npy K.ntk.npy [pairs]
Prints the worst error relative to sqrt(K(x,x) K(y,y)) over random pairs (and the diagonal)."""
import sys
import numpy as np
from scipy import integrate, special

def gelu(x): return 0.5 * x * (1 + special.erf(x / np.sqrt(2)))
def dgelu(x): return 0.5 * (1 + special.erf(x / np.sqrt(2))) + x * np.exp(-x * x / 2) / np.sqrt(2 * np.pi)
def tanh(x): return np.tanh(x)
def dtanh(x): return 1 - np.tanh(x) ** 2

def e1(f, k):
    a = np.sqrt(k)
    g = lambda z: f(a * z) * np.exp(-z * z / 2) / np.sqrt(2 * np.pi)
    return sum(integrate.quad(g, lo, hi, epsabs=1e-15, epsrel=1e-13, limit=200)[0]
               for lo, hi in [(-12, 0), (0, 12)])

def e2(f, g, kxx, kyy, kxy):
    a, b = np.sqrt(kxx), np.sqrt(kyy)
    r = np.clip(kxy / np.sqrt(kxx * kyy), -1, 1); s = np.sqrt(max(0.0, 1 - r * r))
    def inner(z1):
        h = lambda z2: g(b * (r * z1 + s * z2)) * np.exp(-z2 * z2 / 2) / np.sqrt(2 * np.pi)
        c = -r * z1 / s if s > 0 else 0.0
        pts = sorted({-12.0, max(-12.0, min(12.0, c)), 12.0})
        return sum(integrate.quad(h, lo, hi, epsabs=1e-15, epsrel=1e-13, limit=200)[0]
                   for lo, hi in zip(pts[:-1], pts[1:]))
    outer = lambda z1: f(a * z1) * inner(z1) * np.exp(-z1 * z1 / 2) / np.sqrt(2 * np.pi)
    return sum(integrate.quad(outer, lo, hi, epsabs=1e-15, epsrel=1e-13, limit=200)[0]
               for lo, hi in [(-12, 0), (0, 12)])

def kernels(x, y):
    d = len(x)
    kxx, kyy, kxy, t = x @ x / d, y @ y / d, x @ y / d, 0.0
    for (w, b), (f, df) in [((1.5, 0.1), (gelu, dgelu)), ((1.5, 0.0), (tanh, dtanh))]:
        kxx, kyy, kxy = w * w * kxx + b * b, w * w * kyy + b * b, w * w * kxy + b * b
        t = kxy + w * w * t
        dot = e2(df, df, kxx, kyy, kxy)
        kxx, kyy, kxy = e1(lambda u: f(u) ** 2, kxx), e1(lambda u: f(u) ** 2, kyy), e2(f, f, kxx, kyy, kxy)
        t *= dot
    return kxy, kxy + t          # final Dense(): K' = K, Θ' = K' + Θ

def main():
    x = np.loadtxt(sys.argv[1], delimiter=',', ndmin=2)
    nngp, ntk = np.load(sys.argv[2]), np.load(sys.argv[3])
    pairs = int(sys.argv[4]) if len(sys.argv) > 4 else 12
    rng = np.random.default_rng(1)
    idx = [(i, i) for i in rng.integers(0, len(x), 3)] + [tuple(rng.integers(0, len(x), 2)) for _ in range(pairs)]
    diag = {}
    worst = [0.0, 0.0]
    for i, j in idx:
        for p in (i, j):
            if p not in diag:
                diag[p] = kernels(x[p], x[p])
        k, t = kernels(x[i], x[j])
        ek = abs(nngp[i, j] - k) / np.sqrt(diag[i][0] * diag[j][0])
        et = abs(ntk[i, j] - t) / np.sqrt(diag[i][1] * diag[j][1])
        worst = [max(worst[0], ek), max(worst[1], et)]
        print(f"({i:4d},{j:4d}) nngp {nngp[i, j]: .12f} ref {k: .12f} err {ek:.1e} | ntk {ntk[i, j]: .12f} ref {t: .12f} err {et:.1e}")
    print(f"worst relative error: NNGP {worst[0]:.2e}, NTK {worst[1]:.2e} over {len(idx)} entries")

if __name__ == "__main__":
    main()

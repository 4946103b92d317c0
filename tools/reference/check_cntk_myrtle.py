#!/usr/bin/env python3
"""Independent check of `nke kernel --arch "Myrtle5(W_std=..., b_std=...)"` output on images, in
numpy, written from neural-tangents' stax conventions (not from nke's code): per image pair a 4-D
covariance K[h1, w1, h2, w2] (and the NTK), Conv 3x3 SAME = sum over the same offset for both pixels
of the zero-padded covariance / 9, ReLU = arc-cosine kernel with per-pixel variances of each image
with itself, AvgPool 2x2 stride 2 = mean over all pairs of the two windows, Flatten = trace / (H W).
Usage: check_cntk_myrtle.py X.npy K.nngp.npy K.ntk.npy [W_std] [b_std] [pairs]
Prints the worst error relative to sqrt(K(x,x) K(y,y)) over a few pairs (diagonal included)."""
import sys
import numpy as np

def conv(k, w2, b2):
    h, w = k.shape[0], k.shape[1]
    p = np.pad(k, 1)
    s = sum(p[a:a + h, b:b + w, a:a + h, b:b + w] for a in range(3) for b in range(3))
    return w2 * s / 9 + b2, s / 9

def relu(k, t, vx, vy):
    s = np.sqrt(vx[:, :, None, None] * vy[None, None, :, :])
    rho = np.clip(k / np.where(s > 0, s, 1), -1, 1)
    th = np.arccos(rho)
    return s * (np.sin(th) + (np.pi - th) * rho) / (2 * np.pi), t * (np.pi - th) / (2 * np.pi)

def pool(k):
    h = k.shape[0] // 2
    return k.reshape(h, 2, h, 2, h, 2, h, 2).mean(axis=(1, 3, 5, 7))

def myrtle5(x, y, w_std, b_std):
    """NNGP and NTK of the pairs (x, x), (y, y), (x, y); x, y of shape (H, W, C)."""
    imgs = [(x, x), (y, y), (x, y)]
    k = [np.einsum('abc,dec->abde', u, v) / x.shape[2] for u, v in imgs]
    t = [np.zeros_like(m) for m in k]
    w2, b2 = w_std ** 2, b_std ** 2
    def conv_relu():
        for r in range(3):
            k[r], s = conv(k[r], w2, b2)
            t[r] = k[r] + w2 * conv(t[r], 1, 0)[1]
        d = [np.einsum('abab->ab', k[0]), np.einsum('abab->ab', k[1])]
        for r, (vx, vy) in enumerate([(d[0], d[0]), (d[1], d[1]), (d[0], d[1])]):
            k[r], t[r] = relu(k[r], t[r], vx, vy)
    def pool_all():
        for r in range(3):
            k[r], t[r] = pool(k[r]), pool(t[r])
    for blocks, pools in [(2, 1), (1, 1), (1, 3)]:
        for _ in range(blocks):
            conv_relu()
        for _ in range(pools):
            pool_all()
    kk = np.einsum('abab->', k[2]) / (k[2].shape[0] * k[2].shape[1])
    tt = np.einsum('abab->', t[2]) / (t[2].shape[0] * t[2].shape[1])
    return w2 * kk + b2, w2 * kk + b2 + w2 * tt

def main():
    x = np.load(sys.argv[1]).astype(np.float64)
    nngp, ntk = np.load(sys.argv[2]), np.load(sys.argv[3])
    w_std = float(sys.argv[4]) if len(sys.argv) > 4 else 2 ** 0.5
    b_std = float(sys.argv[5]) if len(sys.argv) > 5 else 0.0
    pairs = int(sys.argv[6]) if len(sys.argv) > 6 else 3
    rng = np.random.default_rng(0)
    todo = [(0, 0)] + [tuple(rng.integers(0, len(x), 2)) for _ in range(pairs)]
    worst = 0.0
    for i, j in todo:
        k, t = myrtle5(x[i], x[j], w_std, b_std)
        scale_k = np.sqrt(nngp[i, i] * nngp[j, j])
        scale_t = np.sqrt(ntk[i, i] * ntk[j, j])
        e = max(abs(k - nngp[i, j]) / scale_k, abs(t - ntk[i, j]) / scale_t)
        worst = max(worst, e)
        print(f"({i}, {j}): nngp {k:.15g} vs {nngp[i, j]:.15g}, ntk {t:.15g} vs {ntk[i, j]:.15g}")
    print(f"worst relative error {worst:.2e}")

if __name__ == '__main__':
    main()

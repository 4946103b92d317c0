#!/usr/bin/env python3
"""Synthetic sparse classification data shaped like text: n points in R^d with about `nnz` non-zeros
each, drawn from `topics` sparse prototypes (each point mixes two topics, its label is the heavier
one) plus sparse noise. Writes X.npz (scipy CSR, as scipy.sparse.save_npz), X.svm (libsvm) and y.npy.
Usage: sparse_topics.py OUT_DIR n d nnz topics [seed]"""
import os, sys
import numpy as np
import scipy.sparse as sp

out, n, d, nnz, topics = sys.argv[1], *map(int, sys.argv[2:6])
seed = int(sys.argv[6]) if len(sys.argv) > 6 else 0
rng = np.random.default_rng(seed)
os.makedirs(out, exist_ok=True)
proto = [(rng.choice(d, nnz // 2, replace=False), rng.standard_normal(nnz // 2)) for _ in range(topics)]
rows, cols, vals, labels = [], [], [], []
for i in range(n):
    t = rng.choice(topics, 2, replace=False)
    w = rng.uniform(0.2, 1.0, 2)
    acc = {}
    for k in range(2):
        c, v = proto[t[k]]
        keep = rng.random(len(c)) < 0.6
        for j, x in zip(c[keep], v[keep]):
            acc[j] = acc.get(j, 0.0) + w[k] * x
    for j in rng.choice(d, nnz // 2, replace=False):
        acc[j] = acc.get(j, 0.0) + 0.3 * rng.standard_normal()
    for j in sorted(acc):
        rows.append(i); cols.append(j); vals.append(acc[j])
    labels.append(int(t[np.argmax(w)]))
m = sp.csr_matrix((vals, (rows, cols)), shape=(n, d))
m.sort_indices()
sp.save_npz(os.path.join(out, 'X.npz'), m, compressed=False)
np.save(os.path.join(out, 'y.npy'), np.array(labels, dtype=np.int32))
with open(os.path.join(out, 'X.svm'), 'w') as f:
    for i in range(n):
        s, e = m.indptr[i], m.indptr[i + 1]
        f.write(str(labels[i]) + ''.join(f' {j + 1}:{v:.6g}' for j, v in zip(m.indices[s:e], m.data[s:e])) + '\n')
print('wrote', out, m.shape, 'nnz per row', m.nnz / n)

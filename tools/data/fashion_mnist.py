#!/usr/bin/env python3
"""Prepare Fashion-MNIST for nke: reads the IDX files of Debian's dataset-fashion-mnist
(apt-get install dataset-fashion-mnist, or apt-get download + dpkg-deb -x) and writes float32 .npy
points (pixels / 255, centred on the training mean image, scaled so that the mean training
variance |x|^2/d is 1 -- the same preprocessing as nke demo) and integer labels.
Usage: fashion_mnist.py IDX_DIR OUT_DIR [SUBSET]   (SUBSET: also write the first SUBSET training images)"""
import gzip, os, sys
import numpy as np

def idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], 'big')
    if magic == 0x803:
        n, r, c = (int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(3))
        return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, r * c)
    return np.frombuffer(data, dtype=np.uint8, offset=8)

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
xtr = idx(os.path.join(src, 'train-images-idx3-ubyte.gz')).astype(np.float64) / 255
ytr = idx(os.path.join(src, 'train-labels-idx1-ubyte.gz')).astype(np.int32)
xte = idx(os.path.join(src, 't10k-images-idx3-ubyte.gz')).astype(np.float64) / 255
yte = idx(os.path.join(src, 't10k-labels-idx1-ubyte.gz')).astype(np.int32)
mean = xtr.mean(axis=0)
scale = 1 / np.sqrt(((xtr - mean) ** 2).mean())
for name, x, y in [('train', xtr, ytr), ('test', xte, yte)]:
    np.save(os.path.join(out, name + '-x.npy'), ((x - mean) * scale).astype(np.float32))
    np.save(os.path.join(out, name + '-y.npy'), y)
if len(sys.argv) > 3:
    k = int(sys.argv[3])
    np.save(os.path.join(out, 'train%d-x.npy' % k), ((xtr[:k] - mean) * scale).astype(np.float32))
    np.save(os.path.join(out, 'train%d-y.npy' % k), ytr[:k])
print('wrote', out, xtr.shape, xte.shape)

#!/usr/bin/env python3
"""Fashion-MNIST images for the CNTK experiments: a class-balanced subset of the subset bundled with
nke (bench/src/main/resources/org/nke/demo, 300 training and 100 test images per class), or of the
IDX files of Debian's dataset-fashion-mnist, downsampled by averaging POOLxPOOL blocks (28x28 -> 14x14
for POOL = 2), pixels / 255, written as 4-D float64 .npy (n, H, W, 1) with int labels (.npy).
nke fit/predict --standardize then standardise with the training statistics.
Usage: fashion_mnist_images.py OUT_DIR TRAIN_PER_CLASS TEST_PER_CLASS [POOL] [IDX_DIR]"""
import gzip, io, os, sys
import numpy as np

def bundled(name):
    path = os.path.join(os.path.dirname(__file__), '..', '..', 'bench', 'src', 'main', 'resources',
                        'org', 'nke', 'demo', 'fashion-mnist-%s.npy.gz' % name)
    with gzip.open(path, 'rb') as f:
        return np.load(io.BytesIO(f.read()))

def idx(path):
    with gzip.open(path, 'rb') as f:
        data = f.read()
    if int.from_bytes(data[0:4], 'big') == 0x803:
        n, r, c = (int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(3))
        return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(n, r * c)
    return np.frombuffer(data, dtype=np.uint8, offset=8)

def balanced(x, y, per_class):
    keep = np.concatenate([np.flatnonzero(y == c)[:per_class] for c in range(10)])
    keep.sort()
    return x[keep], y[keep]

out, ntr, nte = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
pool = int(sys.argv[4]) if len(sys.argv) > 4 else 2
if len(sys.argv) > 5:
    d = sys.argv[5]
    sets = {'train': (idx(os.path.join(d, 'train-images-idx3-ubyte.gz')),
                      idx(os.path.join(d, 'train-labels-idx1-ubyte.gz'))),
            'test': (idx(os.path.join(d, 't10k-images-idx3-ubyte.gz')),
                     idx(os.path.join(d, 't10k-labels-idx1-ubyte.gz')))}
else:
    sets = {s: (bundled(s + '-x'), bundled(s + '-y')) for s in ('train', 'test')}
os.makedirs(out, exist_ok=True)
for name, per in (('train', ntr), ('test', nte)):
    x, y = balanced(*sets[name], per)
    img = x.reshape(-1, 28, 28).astype(np.float64) / 255
    s = 28 // pool
    img = img[:, :s * pool, :s * pool].reshape(-1, s, pool, s, pool).mean(axis=(2, 4))
    np.save(os.path.join(out, name + '-x.npy'), img[..., None])
    np.save(os.path.join(out, name + '-y.npy'), y.astype(np.int64))
    print('wrote', os.path.join(out, name + '-x.npy'), img[..., None].shape, np.bincount(y))

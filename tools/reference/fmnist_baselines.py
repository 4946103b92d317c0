#!/usr/bin/python3
"""Fashion-MNIST baselines from the classifier grid of Debian's dataset-fashion-mnist
(/usr/share/doc/dataset-fashion-mnist/benchmark/baselines.json ships the grid, not scores), run on this
machine with Debian's scikit-learn (apt-get install python3-sklearn) on the same preprocessed data as
nke (tools/data/fashion_mnist.py). Usage: fmnist_baselines.py DATA_DIR [OUT.md]"""
import sys, time
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.svm import LinearSVC

d = sys.argv[1]
xtr, ytr = np.load(d + '/train-x.npy'), np.load(d + '/train-y.npy')
xte, yte = np.load(d + '/test-x.npy'), np.load(d + '/test-y.npy')
models = [
    ('LogisticRegression(C=1.0)', LogisticRegression(C=1.0, max_iter=200)),
    ('KNeighborsClassifier(n_neighbors=5, weights=distance)', KNeighborsClassifier(5, weights='distance', n_jobs=2)),
    ('RandomForestClassifier(n_estimators=100, max_depth=100)', RandomForestClassifier(100, max_depth=100, n_jobs=2, random_state=0)),
    ('LinearSVC(C=1.0)', LinearSVC(C=1.0, dual=False)),
]
rows = []
for name, m in models:
    t0 = time.time()
    m.fit(xtr, ytr)
    acc = (m.predict(xte) == yte).mean()
    rows.append((name, acc, time.time() - t0))
    print(f'{name}: test accuracy {acc:.4f} in {time.time() - t0:.0f} s', flush=True)
if len(sys.argv) > 2:
    with open(sys.argv[2], 'w') as f:
        f.write('| classifier (baselines.json grid) | test accuracy | seconds |\n|---|---:|---:|\n')
        for name, acc, t in rows:
            f.write(f'| {name} | {100 * acc:.2f}% | {t:.0f} |\n')

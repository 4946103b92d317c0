#!/usr/bin/env python3
"""Plots nke predict's gradient-descent ensemble: mean ± 2σ against training time (docs/inference.png).

Reads the training set and test grid of tools/examples/sine.py and the .npy files that

    nke predict --model M --x examples/sine-test.csv --out DIR/mean.npy \
                --time 1,10,100,inf --variance DIR/var.npy

writes (DIR/mean.t<T>.npy, DIR/var.t<T>.npy), and draws one panel per time. Needs numpy and
matplotlib (Debian: apt-get install python3-matplotlib). Usage, from the repository root:

    python3 tools/examples/plot_inference.py DIR [--times 1,10,100,inf] [--out docs/inference.png]
"""
import argparse
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("dir", help="folder with mean.t<T>.npy and var.t<T>.npy from nke predict")
    p.add_argument("--times", default="1,10,100,inf", help="the times given to nke predict --time")
    p.add_argument("--out", default="docs/inference.png")
    a = p.parse_args()

    x = np.loadtxt("examples/sine-train.csv", skiprows=1)
    y = np.loadtxt("examples/sine-train-y.csv", skiprows=1)
    grid = np.loadtxt("examples/sine-test.csv", skiprows=1)
    times = a.times.split(",")

    cols = 2 if len(times) == 4 else len(times)
    rows = (len(times) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows + 0.8), sharex=True,
                             sharey=True, dpi=100, squeeze=False)
    axes = axes.ravel()
    for ax, t in zip(axes, times):
        mean = np.load(os.path.join(a.dir, f"mean.t{t}.npy"))[:, 0]
        sd = np.sqrt(np.maximum(np.load(os.path.join(a.dir, f"var.t{t}.npy"))[:, 0], 0.0))
        ax.fill_between(grid, mean - 2 * sd, mean + 2 * sd, color="tab:blue", alpha=0.25,
                        linewidth=0, label="mean ± 2σ")
        ax.plot(grid, mean, color="tab:blue", linewidth=1.5, label="ensemble mean")
        ax.plot(grid, np.sin(3 * grid), color="0.4", linewidth=1, linestyle="--", label="sin(3x)")
        ax.plot(x, y, "o", color="tab:red", markersize=3.5, label="training points")
        ax.axvspan(-1.5, -1.0, color="0.93", zorder=0)
        ax.axvspan(1.0, 1.5, color="0.93", zorder=0)
        ax.set_xlim(-1.5, 1.5)
        ax.set_xticks([-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5])
        name = "t = ∞ (kernel ridge predictor)" if t == "inf" else f"training time t = {t}"
        ax.set_title(f"{name}, largest σ {sd.max():.2g}", fontsize=10)
    for ax in axes[len(times):]:
        ax.set_visible(False)
    for ax in axes[-cols:]:
        ax.set_xlabel("x")
    for ax in axes[::cols]:
        ax.set_ylabel("y")
    axes[0].set_ylim(-2.2, 2.2)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=4, fontsize=8, frameon=False)
    fig.suptitle("Infinite ensemble of networks trained by gradient descent (NTK): mean ± 2σ\n"
                 "20 noisy samples of sin(3x); grey: outside the training range", fontsize=10)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    fig.savefig(a.out)
    print(f"wrote {a.out} ({os.path.getsize(a.out) // 1024} KB)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The one NumPy recipe found to reproduce the notes' w/b table (notes/001_867623881a5afb85.txt), as plain
NumPy: prints batch size, w, b for each batch size and the least-squares solution, as CSV.
tests/cli/notes_table_test.sh checks `bsweep table` on experiments/notes_wb_table.json against it.

    /usr/bin/python3 tools/notes_recipe.py
"""
import numpy as np

np.random.seed(42)
x = 2 * np.random.rand(100, 1)
y = 4 + 3 * x + np.random.randn(100, 1)
print("batch_size,w,b")
for bs in [1, 10, 50, 100]:  # one after another, one shared random stream, no reseeding
    w = np.random.randn(1)   # a fresh start for each batch size, w first
    b = np.random.randn(1)
    for epoch in range(100):
        idx = np.random.permutation(100)
        xs, ys = x[idx], y[idx]
        for i in range(0, 100, bs):
            xb, yb = xs[i:i + bs], ys[i:i + bs]
            err = w * xb + b - yb
            w = w - 0.01 * (2 / len(xb)) * np.sum(err * xb)
            b = b - 0.01 * (2 / len(xb)) * np.sum(err)
    print(f"{bs},{w[0]!r},{b[0]!r}")
solution = np.linalg.lstsq(np.hstack([x, np.ones_like(x)]), y, rcond=None)[0].ravel()
print(f"least squares,{solution[0]!r},{solution[1]!r}")

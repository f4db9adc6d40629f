#!/usr/bin/env python3
"""Prints the values tests/random/numpy_random_test.cpp checks bsweep's NumPy-compatible stream against,
made by NumPy's own legacy generator (np.random.seed / RandomState). Run with Debian's python3-numpy:

    /usr/bin/python3 tools/numpy_reference_values.py
"""
import numpy as np

print("numpy", np.__version__)
rs = np.random.RandomState(42)
print("seed 42, rand(4):", [repr(v) for v in rs.rand(4)])
rs = np.random.RandomState(42)
print("seed 42, randn(5):", [repr(v) for v in rs.randn(5)])
rs = np.random.RandomState(7)
print("seed 7, permutation(10):", rs.permutation(10).tolist())
# A mixed sequence: an odd count of normals leaves one cached for the next call.
rs = np.random.RandomState(2024)
print("seed 2024, rand(2), randn(3), randn(1), permutation(6), rand(1), randn(2):")
print(" ", [repr(v) for v in rs.rand(2)], [repr(v) for v in rs.randn(3)], [repr(v) for v in rs.randn(1)],
      rs.permutation(6).tolist(), [repr(v) for v in rs.rand(1)], [repr(v) for v in rs.randn(2)])
rs = np.random.RandomState(0)
p = rs.permutation(1000)
print("seed 0, permutation(1000): first 5", p[:5].tolist(), "sum of i*p[i]", int(np.dot(np.arange(1000), p)))
rs = np.random.RandomState(4294967295)
print("seed 2**32-1, rand(2):", [repr(v) for v in rs.rand(2)])

"""Georgia test data (libpysal's GData_utm.csv) shared by the regression tests."""

import csv
from pathlib import Path

import numpy as np


def georgia_path(name="GData_utm.csv"):
    import libpysal

    return Path(libpysal.examples.get_path(name))


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header = [h.strip() for h in rows[0]]
    data = np.array([[float(v) for v in r] for r in rows[1:] if r], dtype=float)
    return {h: data[:, i] for i, h in enumerate(header)}


def georgia(standardise=True, explanatory=("PctFB", "PctBlack", "PctRural")):
    """(coords, y (n,), X (n, k) without intercept) as in mgwr's documentation."""
    with open(georgia_path(), newline="") as f:
        rows = list(csv.DictReader(f))
    coords = np.array([[float(r["X"]), float(r["Y"])] for r in rows])
    y = np.array([float(r["PctBach"]) for r in rows])
    X = np.array([[float(r[name]) for name in explanatory] for r in rows])
    if standardise:
        X = (X - X.mean(axis=0)) / X.std(axis=0)
        y = (y - y.mean()) / y.std()
    return coords, y, X


def single_blas_thread():
    """Context limiting BLAS/LAPACK to one thread: mgwr solves thousands of tiny systems,
    and on a busy machine threaded LAPACK makes each one 100x slower."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(1)


def with_intercept(X):
    """The design matrix: a column of ones, then ``X``."""
    return np.column_stack([np.ones(len(X)), X])

"""Collinearity screening for regression inputs: global VIF and local condition numbers.

* Variance inflation factor of each explanatory variable (intercept excluded):
  ``VIF_j = 1 / (1 - R2_j)``, ``R2_j`` from the OLS of ``x_j`` on the others with
  an intercept -- the diagonal of the inverse correlation matrix. Usual warning
  threshold 7.5 (ArcGIS) -- values past 10 are serious.
* Local condition number of the geographically weighted design at every
  location, as mgwr's ``GWRResults.local_collinearity`` (Wheeler 2007): the
  columns of ``W_i X`` are scaled to unit length and the ratio of the largest
  to the smallest singular value is taken. Values past 30 signal local
  collinearity that makes the local coefficients unstable.
"""

import numpy as np

from .gwr import pair_products
from .kernel import SpatialKernel, squared_weights, weighted_sums
from .numerics import constant_columns

VIF_THRESHOLD = 7.5
CN_THRESHOLD = 30.0


def variance_inflation_factors(X):
    """VIF of each column of ``X`` (``X`` without intercept, ``(n, p)``, ``p >= 1``).

    A constant column, or a set of perfectly collinear columns, gives ``inf``.
    """
    X = np.asarray(X, dtype=float)
    n, p = X.shape
    if p == 1:
        return np.ones(1)
    out = np.full(p, np.inf)
    ok = ~constant_columns(X)
    if np.count_nonzero(ok) < 2:
        out[ok] = 1.0
        return out
    corr = np.corrcoef(X[:, ok], rowvar=False)
    eig = np.linalg.eigvalsh(corr)
    if eig[0] <= 1e-12 * eig[-1]:
        # perfectly collinear: each variable in the collinear set gets inf
        vals = np.empty(np.count_nonzero(ok))
        idx = np.flatnonzero(ok)
        for m, j in enumerate(idx):
            others = np.column_stack([np.ones(n), np.delete(X[:, ok], m, axis=1)])
            beta, *_ = np.linalg.lstsq(others, X[:, j], rcond=None)
            resid = X[:, j] - others @ beta
            r2 = 1.0 - resid @ resid / np.sum((X[:, j] - X[:, j].mean()) ** 2)
            vals[m] = np.inf if r2 > 1 - 1e-10 else 1.0 / (1.0 - r2)
        out[ok] = vals
        return out
    out[ok] = np.diag(np.linalg.inv(corr))
    return out


def local_condition_numbers(coords, X, bw, kernel="bisquare", fixed=False, skernel=None):
    """Condition number of the weighted design ``W_i X`` at each location.

    ``X`` includes the intercept column (as the fitted model). Matches
    ``mgwr.gwr.GWRResults.local_collinearity()[2]`` for the same kernel/bandwidth.
    """
    X = np.asarray(X, dtype=float)
    n, k = X.shape
    skernel = skernel or SpatialKernel(coords, kernel, fixed)
    xx = pair_products(X)
    out = np.empty(n)
    for r0, r1, w in skernel.blocks(bw):
        gram = weighted_sums(squared_weights(w), xx).reshape(-1, k, k)
        d = np.sqrt(np.einsum("rkk->rk", gram))
        gram = gram / d[:, :, None] / d[:, None, :]
        eig = np.linalg.eigvalsh(gram)
        out[r0:r1] = np.sqrt(np.maximum(eig[:, -1], 0) / np.maximum(eig[:, 0], 1e-300))
    return out

"""Shared inference helpers: p-values, pseudo p-values, confidence bins, FDR.

Pure numpy/scipy; used by :mod:`.moran` and :mod:`.getis_ord`.
"""

import numpy as np
from scipy import special

from .numerics import is_constant

__all__ = [
    "StatisticError",
    "prepare_values",
    "two_sided_p",
    "pseudo_p",
    "confidence_bins",
    "fdr_thresholds",
    "CONFIDENCE_LEVELS",
]

#: (bin magnitude, alpha) from the strictest level down, as ArcGIS Gi_Bin.
CONFIDENCE_LEVELS = ((3, 0.01), (2, 0.05), (1, 0.10))


class StatisticError(ValueError):
    """A statistic is undefined for the data given (message says why and what to do)."""


def scale_extreme(y):
    """Divide by a power of two near ``max|y|`` when values are extreme (> 1e100 or < 1e-100).

    Every statistic here (Moran's I, General G, Gi*, their z-scores) is unchanged by
    scaling, and dividing by a power of two is exact; squares and fourth powers of
    values near 1e300 would overflow to inf (or of 1e-300 underflow to 0) otherwise.
    Ordinary data are returned as they are.
    """
    top = float(np.max(np.abs(y))) if y.size else 0.0
    if top == 0.0 or 1e-100 <= top <= 1e100:
        return y
    return y / 2.0 ** np.floor(np.log2(top))


def prepare_values(values, weights, what="The analysis field"):
    """Check the observations: finite, at least 3, not constant, aligned with the weights."""
    y = np.asarray(values, dtype=float).ravel()
    if y.size != weights.n:
        raise StatisticError(f"{y.size} values given for {weights.n} weighted observations.")
    if not np.all(np.isfinite(y)):
        raise StatisticError(f"{what} has missing or infinite values; remove them first.")
    if y.size < 3:
        raise StatisticError(
            f"Only {y.size} observation(s) with a value: at least 3 are needed for this statistic."
        )
    y = scale_extreme(y)
    if is_constant(y):
        raise StatisticError(
            f"{what} has the same value ({y[0]:g}) everywhere: the statistic is undefined for a "
            "constant variable. Choose a field that varies."
        )
    if weights.n_islands == weights.n:
        raise StatisticError(
            "No observation has any neighbour with this neighbourhood. Increase the distance band or "
            "K, or check that the layer's coordinates are in the units you expect."
        )
    return y


def two_sided_p(z):
    """Two-sided p-value of a standard normal z (array or scalar)."""
    return 2.0 * special.ndtr(-np.abs(z))


def pseudo_p(observed, simulated):
    """Folded pseudo p-value ``(min(#sim >= obs, #sim < obs) + 1) / (P + 1)``.

    ``simulated`` has the permutations along its last axis. Same as esda's
    ``p_sim`` (one-sided, in the direction of the observed value).
    """
    simulated = np.asarray(simulated)
    permutations = simulated.shape[-1]
    larger = (simulated >= np.asarray(observed)[..., None]).sum(axis=-1)
    larger = np.minimum(larger, permutations - larger)
    return (larger + 1.0) / (permutations + 1.0)


def fdr_thresholds(p, levels=CONFIDENCE_LEVELS):
    """Benjamini-Hochberg p thresholds for each confidence level.

    For level alpha, with m p-values sorted ascending, the threshold is the
    largest ``p_(k)`` with ``p_(k) <= k / m * alpha`` (0 when there is none):
    every p at or below it is significant at that level with the false
    discovery rate controlled at alpha.
    """
    p = np.asarray(p, dtype=float)
    valid = np.sort(p[np.isfinite(p)])
    m = valid.size
    out = {}
    for magnitude, alpha in levels:
        if m == 0:
            out[magnitude] = 0.0
            continue
        ok = valid <= alpha * np.arange(1, m + 1) / m
        out[magnitude] = float(valid[np.flatnonzero(ok)[-1]]) if ok.any() else -1.0
    return out


def confidence_bins(z, p, fdr=False, levels=CONFIDENCE_LEVELS):
    """ArcGIS-style bins: +-3/2/1 for 99/95/90 % confidence, sign of ``z``; 0 otherwise.

    With ``fdr=True`` each level uses its Benjamini-Hochberg threshold
    (:func:`fdr_thresholds`) instead of alpha. Non-finite p gives bin 0.
    """
    z = np.asarray(z, dtype=float)
    p = np.asarray(p, dtype=float)
    bins = np.zeros(p.shape, dtype=np.int8)
    thresholds = fdr_thresholds(p, levels) if fdr else {m: a for m, a in levels}
    finite = np.isfinite(p) & np.isfinite(z)
    for magnitude, _alpha in sorted(levels, key=lambda t: t[0]):
        sig = finite & (p <= thresholds[magnitude]) if fdr else finite & (p < thresholds[magnitude])
        bins[sig] = magnitude
    return (bins * np.sign(np.where(finite, z, 0))).astype(np.int8)

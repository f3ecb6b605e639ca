"""Getis-Ord statistics: General G (global) and Gi* hot spots (local).

References: Getis & Ord (1992), Ord & Getis (1995); the moments of General G
as in esda ``G`` and ArcGIS "High/Low Clustering"; Gi* as ArcGIS "Hot Spot
Analysis" and esda ``G_Local(star=True)``.

Both statistics use the *unstandardised* weights (binary 0/1, or
``d**-power`` for inverse distance): row standardisation does not change
Gi* z-scores (each row's scale cancels) and General G is defined for the raw
weights.

Example
-------
>>> import numpy as np
>>> from carbon_spacetime.core.weights import grid_weights, QUEEN
>>> values = np.zeros((5, 5)); values[:2, :2] = 10.0; values += 1.0
>>> w = grid_weights(QUEEN, np.ones((5, 5), bool))
>>> r = getis_ord_gi_star(values.ravel(), w)
>>> int(r.bins[0]), int(r.bins[-1])
(3, 0)
"""

from dataclasses import dataclass
from typing import Optional

import numpy as np

from .inference import StatisticError, confidence_bins, prepare_values, pseudo_p, two_sided_p
from .numerics import clearly_positive

__all__ = ["GeneralGResult", "GiStarResult", "general_g", "getis_ord_gi_star"]


@dataclass
class GeneralGResult:
    """General G with expectation, variance (randomisation), z and two-sided p."""

    observed_g: float
    expected_g: float
    variance: float
    z_score: float
    p_value: float
    n: int
    n_islands: int
    permutations: int = 0
    pseudo_p_value: Optional[float] = None


def _check_non_negative(y):
    if np.any(y < 0):
        raise StatisticError(
            f"{int((y < 0).sum())} value(s) are negative. General G and Gi* assume non-negative values "
            "(counts, amounts, emissions); shift or choose another field, or use Moran's I."
        )


def general_g(values, weights, permutations=0, seed=None, progress=None):
    """Getis-Ord General G ``G = sum_ij w_ij x_i x_j / sum_i!=j x_i x_j``.

    Parameters
    ----------
    values : (n,) array, non-negative
    weights : FeatureWeights or GridWeights
        Row standardisation is ignored (raw weights are used).
    permutations, seed : optional pseudo p-value, as in :func:`.moran.global_morans_i`.

    Returns
    -------
    GeneralGResult
    """
    w = weights.unstandardised()
    y = prepare_values(values, w)
    _check_non_negative(y)
    n = y.size
    if n < 4:
        raise StatisticError("At least 4 observations are needed for the variance of General G.")
    sy, sy2 = y.sum(), (y * y).sum()
    den = sy * sy - sy2
    if not clearly_positive(den, sy * sy):
        raise StatisticError("General G is undefined: fewer than two observations have a value above zero.")
    observed = float((y * w.lag(y)).sum() / den)
    s0, s1, s2 = w.s0, w.s1, w.s2
    expected = s0 / (n * (n - 1))
    s02 = s0 * s0
    b0 = (n * n - 3 * n + 3) * s1 - n * s2 + 3 * s02
    b1 = -((n * n - n) * s1 - 2 * n * s2 + 6 * s02)
    b2 = -(2 * n * s1 - (n + 3) * s2 + 6 * s02)
    b3 = 4 * (n - 1) * s1 - 2 * (n + 1) * s2 + 8 * s02
    b4 = s1 - s2 + s02
    sy3, sy4 = (y ** 3).sum(), (y ** 4).sum()
    eg2 = (b0 * sy2 ** 2 + b1 * sy4 + b2 * sy ** 2 * sy2 + b3 * sy * sy3 + b4 * sy ** 4) / (
        den ** 2 * n * (n - 1) * (n - 2) * (n - 3)
    )
    variance = float(eg2 - expected ** 2)
    if not clearly_positive(variance, eg2):
        raise StatisticError("The variance of General G is not positive for these weights and data.")
    z = (observed - expected) / np.sqrt(variance)
    result = GeneralGResult(observed, float(expected), variance, float(z), float(two_sided_p(z)), n,
                            w.n_islands)
    if permutations:
        rng = np.random.RandomState(seed)
        sim = np.empty(int(permutations))
        for p in range(int(permutations)):
            yp = rng.permutation(y)
            sim[p] = (yp * w.lag(yp)).sum() / den
            if progress is not None and p % 10 == 0:
                progress(p / permutations, "Permutations")
        result.permutations = int(permutations)
        result.pseudo_p_value = float(pseudo_p(observed, sim))
    return result


def bin_counts(bins):
    """Observations per ``Gi_Bin`` class, ``{-3: n, ..., 3: n}`` (cold 99 % to hot 99 %).

    ``bins`` may hold None or NaN (undefined Gi*): those are not counted.

    Examples
    --------
    >>> bin_counts([3, 3, 0, -1, None, float("nan")])[3]
    2
    """
    values = np.asarray(bins, dtype=float).ravel()  # None becomes NaN
    values = values[np.isfinite(values)]
    counts = np.bincount((values + 3).astype(np.int64), minlength=7)
    return {b: int(counts[b + 3]) for b in range(-3, 4)}


@dataclass
class GiStarResult:
    """Getis-Ord Gi* per observation (self included).

    ``z_score`` is Gi* itself (a z-score), ``p_value`` two-sided normal,
    ``bins`` the ArcGIS ``Gi_Bin`` (+-3/2/1 = hot/cold spot at 99/95/90 %
    confidence, 0 not significant; Benjamini-Hochberg FDR when ``fdr``).
    ``n_neighbours`` counts neighbours including the observation itself
    (ArcGIS ``NNeighbors``). Observations without neighbours, or whose Gi* is
    undefined, get NaN z/p and bin 0 (counted in ``n_undefined``).
    """

    z_score: np.ndarray
    p_value: np.ndarray
    bins: np.ndarray
    n_neighbours: np.ndarray
    fdr: bool
    n_islands: int
    n_undefined: int

    def bin_codes(self, undefined=0):
        """``bins`` with ``undefined`` where Gi* is undefined (0 for a field, NaN for a raster band)."""
        return np.where(np.isfinite(self.z_score), self.bins, undefined)


def getis_ord_gi_star(values, weights, fdr=False, progress=None):
    """Getis-Ord Gi* z-scores (Ord & Getis 1995)::

        Gi* = (sum_j w_ij x_j - xbar W_i) / (S sqrt((n S1_i - W_i^2) / (n - 1)))

    with the sums over all j including i (self weight 1 for binary weights,
    the row's largest weight for inverse distance), ``W_i = sum_j w_ij``,
    ``S1_i = sum_j w_ij^2``, ``S = sqrt(sum x^2 / n - xbar^2)``.

    Parameters
    ----------
    values : (n,) array
    weights : FeatureWeights or GridWeights
    fdr : bool
        Bins with the Benjamini-Hochberg false discovery rate correction.

    Returns
    -------
    GiStarResult
    """
    w = weights.unstandardised()
    y = prepare_values(values, w)
    n = y.size
    if progress is not None:
        progress(0.0, "Gi*: spatial sums")
    selfw = w.self_weights()
    lag = w.lag(y) + selfw * y
    wsum = w.row_sums + selfw
    w2sum = w.row_square_sums + selfw ** 2
    xbar = y.mean()
    s = np.sqrt(max((y * y).mean() - xbar * xbar, 0.0))
    if progress is not None:
        progress(0.7, "Gi*: z-scores")
    card = np.asarray(w.cardinalities)
    island = card == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = (n * w2sum - wsum ** 2) / (n - 1)
        z = (lag - xbar * wsum) / (s * np.sqrt(spread))
    undefined = island | ~np.isfinite(z) | ~(spread > 1e-12 * np.maximum(wsum ** 2, 1e-300))
    z[undefined] = np.nan
    p = two_sided_p(z)
    bins = confidence_bins(z, p, fdr=fdr)
    if progress is not None:
        progress(1.0)
    return GiStarResult(z, p, bins, card + 1, bool(fdr), int(island.sum()), int(undefined.sum()))

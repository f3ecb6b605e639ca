"""Moran's I: global (Moran 1950, Cliff & Ord 1981) and local (Anselin 1995).

Both work on any weights of :mod:`.weights` (sparse features or grid stencils)
through ``weights.lag`` and the moments ``S0, S1, S2``, so a 10-million-cell
grid needs memory for a few arrays of its size only.

Example
-------
>>> import numpy as np
>>> from carbon_spacetime.core.weights import grid_weights, QUEEN
>>> w = grid_weights(QUEEN, np.ones((5, 5), bool))
>>> r = global_morans_i(np.arange(25.0), w)
>>> round(r.morans_i, 4), round(r.expected_i, 4)
(0.7493, -0.0417)
"""

from dataclasses import dataclass
from typing import Optional

import numpy as np

from .inference import StatisticError, prepare_values, pseudo_p, two_sided_p
from .numerics import CONSTANT_RTOL, clearly_positive

__all__ = ["GlobalMoranResult", "LocalMoranResult", "global_morans_i", "local_morans_i",
           "moran_scatter", "StatisticError"]


@dataclass
class GlobalMoranResult:
    """Global Moran's I and its inference.

    ``variance``, ``z_score`` and ``p_value`` are under the randomisation
    assumption (as ArcGIS Pro and spdep ``moran.test`` report); the ``*_normal``
    ones under the normality assumption. p-values are two-sided.
    ``pseudo_p_value`` is the folded permutation p-value (as esda ``p_sim``),
    None without permutations.
    """

    morans_i: float
    expected_i: float
    variance: float
    z_score: float
    p_value: float
    variance_normal: float
    z_normal: float
    p_normal: float
    n: int
    s0: float
    s1: float
    s2: float
    n_islands: int
    permutations: int = 0
    pseudo_p_value: Optional[float] = None
    simulated: Optional[np.ndarray] = None
    z: Optional[np.ndarray] = None  # deviations from the mean (for the scatterplot)
    lag: Optional[np.ndarray] = None  # spatial lag of the deviations


def _deviations(values, weights):
    """``(y, z, sum z^2)``: the checked values, their deviations from the mean and its sum of squares."""
    y = prepare_values(values, weights)
    z = y - y.mean()
    return y, z, float((z * z).sum())


def _permutation_rng(seed):
    # RandomState so that, with the same seed, draws equal esda's after np.random.seed(seed).
    return np.random.RandomState(seed)


def global_morans_i(values, weights, permutations=0, seed=None, progress=None):
    """Global Moran's I.

    Parameters
    ----------
    values : (n,) array
        Observations, aligned with ``weights`` (no NaN).
    weights : FeatureWeights or GridWeights
    permutations : int
        Number of random permutations for a pseudo p-value (0: none).
    seed : int, optional
        Seed of the permutations (a ``numpy.random.RandomState``); the same
        seed gives the same pseudo p-value.
    progress : callable, optional
        ``progress(fraction, message=None)``.

    Returns
    -------
    GlobalMoranResult
    """
    y, z, z2ss = _deviations(values, weights)
    n = y.size
    s0, s1, s2 = weights.s0, weights.s1, weights.s2
    if s0 <= 0:
        raise StatisticError("The weights sum to zero: no observation has a neighbour.")
    lag = weights.lag(z)
    morans_i = float(n / s0 * (z * lag).sum() / z2ss)
    expected = -1.0 / (n - 1)
    s02 = s0 * s0
    var_norm = (n * n * s1 - n * s2 + 3 * s02) / ((n - 1) * (n + 1) * s02) - expected ** 2
    if n < 4:
        raise StatisticError("At least 4 observations are needed for the variance of Moran's I.")
    kurtosis = (z ** 4).sum() / n / (z2ss / n) ** 2
    a = n * ((n * n - 3 * n + 3) * s1 - n * s2 + 3 * s02)
    b = kurtosis * ((n * n - n) * s1 - 2 * n * s2 + 6 * s02)
    var_rand = (a - b) / ((n - 1) * (n - 2) * (n - 3) * s02) - expected ** 2
    # Both variances are differences of terms of about E[I^2]: positive only beyond rounding.
    if not (clearly_positive(var_rand, var_rand + expected ** 2)
            and clearly_positive(var_norm, var_norm + expected ** 2)):
        raise StatisticError(
            "The variance of Moran's I is not positive for these weights and data, so no z-score can "
            "be computed. Use a larger neighbourhood."
        )
    z_rand = (morans_i - expected) / np.sqrt(var_rand)
    z_norm = (morans_i - expected) / np.sqrt(var_norm)
    result = GlobalMoranResult(
        morans_i, expected, float(var_rand), float(z_rand), float(two_sided_p(z_rand)),
        float(var_norm), float(z_norm), float(two_sided_p(z_norm)), n, s0, s1, s2,
        weights.n_islands, z=z, lag=lag,
    )
    if permutations:
        rng = _permutation_rng(seed)
        sim = np.empty(int(permutations))
        for p in range(int(permutations)):
            zp = rng.permutation(z)
            sim[p] = n / s0 * (zp * weights.lag(zp)).sum() / z2ss
            if progress is not None and p % 10 == 0:
                progress(p / permutations, "Permutations")
        result.permutations = int(permutations)
        result.simulated = sim
        result.pseudo_p_value = float(pseudo_p(morans_i, sim))
    return result


@dataclass
class LocalMoranResult:
    """Anselin's Local Moran ``I_i = z_i / m2 * sum_j w_ij z_j`` (``m2 = sum z^2 / n``).

    ``z_score`` and ``p_value`` are analytical under conditional randomisation
    (Sokal et al. 1998, eqs. A7-A8; ``expected_conditional``,
    ``variance_conditional``; esda ``EIc``/``VIc``; spdep ``localmoran``'s
    default since Sauer et al. 2021 showed the total-randomisation moments do
    not match the conditional permutation test). The total-randomisation
    moments of Anselin (1995) are kept as ``expected`` and ``variance`` (what
    spdep gives with ``conditional=FALSE``). With
    permutations, ``pseudo_p_value`` is the folded conditional-permutation
    p-value (esda ``p_sim``). ``quadrant`` is 1 HH, 2 LH, 3 LL, 4 HL (esda
    ``q``); ``cluster_type`` the strings "HH", "HL", "LH", "LL" where
    significant (p < ``alpha``), "" elsewhere. Islands get NaN and "".
    """

    local_i: np.ndarray
    expected: np.ndarray
    variance: np.ndarray
    z_score: np.ndarray
    p_value: np.ndarray
    expected_conditional: np.ndarray
    variance_conditional: np.ndarray
    quadrant: np.ndarray
    cluster_type: np.ndarray
    cardinalities: np.ndarray
    n_islands: int
    alpha: float = 0.05
    permutations: int = 0
    pseudo_p_value: Optional[np.ndarray] = None
    z: Optional[np.ndarray] = None
    lag: Optional[np.ndarray] = None

    @property
    def significance(self):
        """The p-values used for ``cluster_type``: pseudo p with permutations, else analytical."""
        return self.pseudo_p_value if self.pseudo_p_value is not None else self.p_value

    @property
    def cluster_counts(self):
        """Observations per cluster type: ``{"HH": n, "LH": n, "LL": n, "HL": n, "": n}`` ("" = not significant)."""
        types = np.asarray(self.cluster_type).astype(str)
        return {t: int(np.count_nonzero(types == t)) for t in ("HH", "LH", "LL", "HL", "")}

    @property
    def cluster_codes(self):
        """``cluster_type`` as numbers (float): 1 HH, 2 LH, 3 LL, 4 HL, 0 not significant, NaN undefined.

        The codes of the ``COType`` band of a raster result; NaN where the local
        I is undefined (islands).
        """
        sig = self.significance
        codes = np.where(np.isfinite(sig) & (sig < self.alpha), self.quadrant, 0).astype(float)
        codes[~np.isfinite(self.local_i)] = np.nan
        return codes


def conditional_permutation_lags(z, weights, permutations, seed=None, progress=None,
                                 max_block_bytes=64 * 2 ** 20):
    """Spatial lags of ``z`` under conditional permutation, shape ``(n, permutations)``.

    For every observation i its own value is held fixed and its ``k_i``
    neighbours' values are drawn without replacement from the other ``n - 1``
    (as esda: one set of random index draws shared by all observations).
    """
    z = np.asarray(z, dtype=float)
    n = z.size
    indptr, _indices, data = weights.neighbour_lists()
    card = np.diff(indptr)
    kmax = int(card.max())
    rng = _permutation_rng(seed)
    rids = np.empty((permutations, kmax), dtype=np.int64)
    for p in range(permutations):
        rids[p] = rng.permutation(n - 1)[:kmax]
    # Weights of row i padded to kmax (order irrelevant: neighbours are drawn at random).
    out = np.zeros((n, permutations))
    per_row = permutations * kmax * 8 * 3
    block = max(1, int(max_block_bytes // max(per_row, 1)))
    for start in range(0, n, block):
        stop = min(n, start + block)
        rows = np.arange(start, stop)
        wpad = np.zeros((stop - start, kmax))
        for r_i, i in enumerate(rows):
            wpad[r_i, :card[i]] = data[indptr[i]:indptr[i + 1]]
        idx = rids[None, :, :] + (rids[None, :, :] >= rows[:, None, None])  # skip self
        out[start:stop] = np.einsum("rpk,rk->rp", z[idx], wpad)
        if progress is not None:
            progress(stop / n, "Conditional permutations")
    return out


def local_morans_i(values, weights, permutations=0, seed=None, alpha=0.05, progress=None):
    """Anselin's Local Moran's I for every observation.

    Parameters
    ----------
    values : (n,) array
    weights : FeatureWeights or GridWeights
    permutations : int
        Conditional permutations for pseudo p-values (0: analytical only).
    seed : int, optional
    alpha : float
        Significance level for ``cluster_type``.

    Returns
    -------
    LocalMoranResult
    """
    y, z, z2ss = _deviations(values, weights)
    n = y.size
    m2 = z2ss / n
    lag = weights.lag(z)
    local_i = z / m2 * lag
    wi = weights.row_sums
    wi2 = weights.row_square_sums
    b2 = float((z ** 4).sum() / n / m2 ** 2)
    expected = -wi / (n - 1)
    variance = wi2 * (n - b2) / (n - 1) + (wi ** 2 - wi2) * (2 * b2 - n) / ((n - 1) * (n - 2)) \
        - expected ** 2
    exp_c = -(z ** 2 * wi) / ((n - 1) * m2)
    var_c = (z / m2) ** 2 * (n / (n - 2)) * (wi2 - wi ** 2 / (n - 1)) * (m2 - z ** 2 / (n - 1))
    card = np.asarray(weights.cardinalities)
    island = card == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        zscore = (local_i - exp_c) / np.sqrt(var_c)
    # z_i = 0 (a value equal to the mean): I_i is 0 in every conditional permutation. The mean
    # is rounded, so "equal" is decided relative to the size of the values.
    at_mean = np.abs(z) <= CONSTANT_RTOL * np.max(np.abs(y))
    degenerate = ~island & at_mean
    zscore[degenerate] = 0.0
    bad = island | ~np.isfinite(zscore) | ~((var_c > 0) | degenerate)
    zscore[bad] = np.nan
    local_i = local_i.copy()
    local_i[island] = np.nan
    p = two_sided_p(zscore)
    quadrant = np.where(z > 0, np.where(lag > 0, 1, 4), np.where(lag > 0, 2, 3)).astype(np.int8)
    result = LocalMoranResult(local_i, expected, variance, zscore, p, exp_c, var_c, quadrant,
                              None, card, int(island.sum()), alpha, z=z, lag=lag)
    if permutations:
        sims = conditional_permutation_lags(z, weights, int(permutations), seed, progress)
        sims *= (z / m2)[:, None]
        ps = pseudo_p(z / m2 * lag, sims)
        ps = ps.astype(float)
        ps[island] = np.nan
        result.permutations = int(permutations)
        result.pseudo_p_value = ps
    sig = result.significance
    names = np.array(["HH", "LH", "LL", "HL"])
    ctype = np.where(np.isfinite(sig) & (sig < alpha), names[quadrant - 1], "")
    result.cluster_type = ctype.astype(object)
    return result


def moran_scatter(z, lag, max_points=20000, seed=0):
    """Points and slope of a Moran scatterplot (standardised value against its spatial lag).

    Parameters
    ----------
    z : ndarray of shape (n,)
        Deviations from the mean (value units).
    lag : ndarray of shape (n,)
        Spatial lag of ``z`` (value units).
    max_points : int
        At most this many points are returned (a seeded random sample of larger inputs).
    seed : int
        Seed of that sample.

    Returns
    -------
    (ndarray, ndarray, float)
        Standardised values and lags to plot (``z / sd(z)``, ``lag / sd(z)``; unitless) and
        the least-squares slope of the lag on the value over all ``n`` points (with row
        standardised weights it equals Moran's I); slope 0 for fewer than two points or
        constant values.
    """
    z = np.asarray(z, float)
    lag = np.asarray(lag, float)
    sd = z.std()
    if z.size < 2 or not clearly_positive(sd, float(np.abs(z).max())):
        return z * 0.0, lag * 0.0, 0.0
    zs, ls = z / sd, lag / sd
    centred = zs - zs.mean()
    slope = float(centred @ (ls - ls.mean()) / (centred @ centred))
    if zs.size > max_points:
        pick = np.random.default_rng(seed).choice(zs.size, max_points, replace=False)
        zs, ls = zs[pick], ls[pick]
    return zs, ls, slope

"""Emerging hot spot analysis: space-time Gi*, Mann-Kendall trends, 17 patterns.

The method of ArcGIS "Emerging Hot Spot Analysis" on a space-time cube of
``T`` time steps (years) x ``N`` locations:

1. **Space-time Gi\\*** for every bin ``(i, t)``: its neighbours are the spatial
   neighbours of ``i`` and ``i`` itself (as in :func:`.getis_ord.getis_ord_gi_star`,
   self weight included) in time step ``t`` and in the ``time_steps`` earlier
   steps (fewer at the start of the series). The spatial weight is repeated in
   every time step of the window (temporal weight 1). The mean and standard
   deviation are those of all ``N T`` bins of the cube (ArcGIS's default global
   window "entire cube")::

       Gi*_it = sum_{(j,s)} w_ij (x_js - xbar) / (S sqrt((n S1 - W^2) / (n - 1)))

   with ``n = N T``, ``W = k_t sum_j w_ij``, ``S1 = k_t sum_j w_ij^2``, ``k_t`` the
   number of time steps in the window. With ``time_steps = 0`` and one time step
   this is the ordinary Gi*.
2. **Mann-Kendall** trend test of each location's Gi* z-score series
   (:mod:`.mann_kendall`).
3. **Classification** into the 17 patterns (see :func:`classify_patterns`).

Years are streamed: only the current window of spatial lags (``time_steps + 1``
arrays of length N) is kept besides the cube itself.
"""

from collections import deque
from dataclasses import dataclass

import numpy as np

from .inference import StatisticError, confidence_bins, two_sided_p
from .mann_kendall import mann_kendall

__all__ = [
    "PATTERNS",
    "PATTERN_NAMES",
    "EmergingHotSpotResult",
    "space_time_gi_star",
    "classify_patterns",
    "emerging_hot_spots",
    "yearly_pattern_counts",
    "pattern_counts",
]

#: Pattern codes: 0 no pattern, 1-8 hot, 9-16 cold (same order).
PATTERNS = ["New", "Consecutive", "Intensifying", "Persistent", "Diminishing", "Sporadic", "Oscillating",
            "Historical"]
PATTERN_NAMES = {0: "No Pattern Detected"}
for _k, _name in enumerate(PATTERNS, start=1):
    PATTERN_NAMES[_k] = f"{_name} Hot Spot"
    PATTERN_NAMES[_k + 8] = f"{_name} Cold Spot"
NEW, CONSECUTIVE, INTENSIFYING, PERSISTENT, DIMINISHING, SPORADIC, OSCILLATING, HISTORICAL = range(1, 9)
COLD_OFFSET = 8

#: Significance of the Mann-Kendall trend used by the classification (90 % confidence).
TREND_ALPHA = 0.10


@dataclass
class EmergingHotSpotResult:
    """Per location results (arrays of length N) and the Gi* cube.

    ``gi_z`` (T, N) space-time Gi* z-scores, ``gi_bins`` (T, N) Gi_Bin (+-3/2/1 at
    99/95/90 %), ``pattern`` codes (0-16, see :data:`PATTERN_NAMES`; -1 where the
    Gi* series is undefined, e.g. spatial islands), ``mk_z``/``mk_p`` the
    Mann-Kendall trend of the Gi* series, ``value_mk_z``/``value_mk_p`` that of
    the values, ``sen_slope`` Sen's slope of the values (value units per year),
    ``hot_years``/``cold_years`` the number of significant hot / cold bins,
    ``last_bin`` the Gi_Bin of the final time step.
    """

    gi_z: np.ndarray
    gi_bins: np.ndarray
    pattern: np.ndarray
    mk_z: np.ndarray
    mk_p: np.ndarray
    value_mk_z: np.ndarray
    value_mk_p: np.ndarray
    sen_slope: np.ndarray
    hot_years: np.ndarray
    cold_years: np.ndarray
    last_bin: np.ndarray
    times: np.ndarray
    n_undefined: int
    mean: float
    std: float


def _cube_moments(values):
    """Mean and population standard deviation of all bins, year by year (bounded memory)."""
    t, n = values.shape
    total = 0.0
    for row in values:
        total += float(row.sum())
    mean = total / (t * n)
    ss = 0.0
    for row in values:
        d = row - mean
        ss += float(d @ d)
    return mean, np.sqrt(ss / (t * n))


def space_time_gi_star(values, weights, time_steps=1, progress=None):
    """Space-time Getis-Ord Gi* z-scores of a ``(T, N)`` cube.

    Parameters
    ----------
    values : (T, N) array
        Value of every location (column) in every time step (row), finite.
    weights : FeatureWeights or GridWeights
        Spatial neighbourhood (the one of ``carbon:hotspots``); standardisation
        is ignored (Gi* uses the raw weights).
    time_steps : int
        Number of earlier time steps in each bin's neighbourhood (0 = the
        same time step only).

    Returns
    -------
    (T, N) float array of z-scores; NaN for spatial islands and undefined bins.
    """
    x = np.asarray(values, dtype=float)
    if x.ndim != 2:
        raise StatisticError("Values must be a (years, locations) array.")
    t, n_loc = x.shape
    w = weights.unstandardised()
    if n_loc != w.n:
        raise StatisticError(f"{n_loc} locations given for {w.n} weighted locations.")
    if time_steps < 0:
        raise StatisticError("The number of earlier time steps must be 0 or more.")
    if not np.all(np.isfinite(x)):
        raise StatisticError("Some values are missing or infinite; every location needs a value every year.")
    mean, std = _cube_moments(x)
    if not std > 1e-12 * max(abs(mean), 1e-300):
        raise StatisticError("The values are the same everywhere in every year: Gi* is undefined.")
    n = float(t * n_loc)
    selfw = w.self_weights()
    wsum = w.row_sums + selfw
    w2sum = w.row_square_sums + selfw ** 2
    island = np.asarray(w.cardinalities) == 0
    window = deque()
    running = np.zeros(n_loc)
    out = np.empty((t, n_loc))
    for step in range(t):
        centred = x[step] - mean
        lag = w.lag(centred) + selfw * centred
        window.append(lag)
        running += lag
        if len(window) > time_steps + 1:
            running -= window.popleft()
        k = len(window)
        big_w = k * wsum
        spread = (n * k * w2sum - big_w ** 2) / (n - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = running / (std * np.sqrt(spread))
        bad = island | ~np.isfinite(z) | ~(spread > 1e-12 * np.maximum(big_w ** 2, 1e-300))
        z[bad] = np.nan
        out[step] = z
        if progress is not None:
            progress((step + 1) / t, "Space-time Gi*")
    return out


def _final_run(flags):
    """Length of the run of True values that ends at the last time step, per column."""
    run = np.zeros(flags.shape[1], dtype=np.int64)
    alive = np.ones(flags.shape[1], dtype=bool)
    for row in flags[::-1]:
        alive &= row
        if not alive.any():
            break
        run += alive
    return run


def _classify_one_side(sig, other, trend_up, trend_down, t):
    """Codes 1-8 for the side whose significant bins are ``sig`` (0 where none applies).

    ``other`` are the significant bins of the opposite sign; ``trend_up``
    means a significant Mann-Kendall trend towards *stronger* clustering of
    this side, ``trend_down`` towards weaker clustering.
    """
    count = sig.sum(axis=0)
    final = sig[-1]
    mostly = count * 10 >= 9 * t  # at least 90 % of the time steps (integer test, no rounding)
    run = _final_run(sig)
    before_run = count - run
    ever_other = other[:-1].any(axis=0)
    code = np.zeros(sig.shape[1], dtype=np.int16)
    # Final step significant: the trend patterns, then oscillating, new, consecutive, sporadic.
    code[final & mostly & trend_up] = INTENSIFYING
    code[final & mostly & trend_down] = DIMINISHING
    code[final & mostly & ~trend_up & ~trend_down] = PERSISTENT
    rest = final & ~mostly
    code[rest & ever_other] = OSCILLATING
    rest &= ~ever_other
    code[rest & (count == 1)] = NEW
    code[rest & (run >= 2) & (before_run == 0)] = CONSECUTIVE
    code[rest & (before_run > 0)] = SPORADIC
    code[~final & mostly] = HISTORICAL
    return code


def classify_patterns(bins, trend_z, trend_p, alpha=TREND_ALPHA):
    """The 17 emerging hot spot patterns from Gi* bins and the Gi* trend.

    Parameters
    ----------
    bins : (T, N) int array
        Gi_Bin per time step: > 0 significant hot spot, < 0 cold spot (90 %
        confidence or more), 0 not significant.
    trend_z, trend_p : (N,) arrays
        Mann-Kendall z and two-sided p of each location's Gi* series.
    alpha : float
        Significance of the trend (0.10: 90 % confidence).

    Returns
    -------
    (N,) int16 codes: 0 no pattern, 1-8 hot, 9-16 cold (:data:`PATTERN_NAMES`).

    Notes
    -----
    Rules (hot; cold alike with hot and cold swapped and the trend reversed).
    "Mostly hot" means hot in at least 90 % of the time steps.

    * Intensifying: mostly hot, hot in the final step, significant upward trend
      of the Gi* z-scores. Diminishing: the same with a significant downward
      trend. Persistent: the same with no significant trend.
    * Oscillating: hot in the final step, less than 90 % hot, and cold in some
      earlier step.
    * New: hot in the final step only (never hot, nor cold, before).
    * Consecutive: a single uninterrupted run of at least two hot steps ending
      in the final step, never hot before the run, less than 90 % hot, never cold.
    * Sporadic: hot in the final step, less than 90 % hot, hot before the final
      run (on-again-off-again), never cold.
    * Historical: not hot in the final step but hot in at least 90 % of the steps.

    Patterns with a significant final step come first: a location cold in the
    final step but mostly hot before is an oscillating cold spot, not a
    historical hot spot.
    """
    bins = np.asarray(bins)
    t = bins.shape[0]
    hot = bins > 0
    cold = bins < 0
    sig_trend = np.asarray(trend_p) < alpha
    up = sig_trend & (np.asarray(trend_z) > 0)
    down = sig_trend & (np.asarray(trend_z) < 0)
    hot_code = _classify_one_side(hot, cold, up, down, t)
    cold_code = _classify_one_side(cold, hot, down, up, t)
    final_sig = hot[-1] | cold[-1]
    code = np.where(hot[-1], hot_code, 0)
    code = np.where(cold[-1], np.where(cold_code > 0, cold_code + COLD_OFFSET, 0), code)
    historical_hot = ~final_sig & (hot_code == HISTORICAL)
    historical_cold = ~final_sig & (cold_code == HISTORICAL)
    code = np.where(historical_hot, HISTORICAL, code)
    code = np.where(historical_cold, HISTORICAL + COLD_OFFSET, code)
    return code.astype(np.int16)


def emerging_hot_spots(values, weights, times=None, time_steps=1, progress=None):
    """Emerging hot spot analysis of a ``(T, N)`` cube (years x locations).

    Parameters
    ----------
    values : (T, N) array
        One row per year, in increasing time order; finite.
    weights : FeatureWeights or GridWeights
    times : (T,) array, optional
        The years (for Sen's slope per year); default 0..T-1.
    time_steps : int
        Earlier years in each bin's neighbourhood (default 1).

    Returns
    -------
    EmergingHotSpotResult
    """
    x = np.asarray(values, dtype=float)
    t = x.shape[0]
    if t < 3:
        raise StatisticError(f"Only {t} year(s): emerging hot spot analysis needs at least 3 years "
                             "(10 or more for a trend test with useful power).")
    times = np.arange(t, dtype=float) if times is None else np.asarray(times, dtype=float)

    def part(start, end):
        if progress is None:
            return None
        return lambda f, m=None: progress(start + (end - start) * f, m)

    gi = space_time_gi_star(x, weights, time_steps, progress=part(0.0, 0.4))
    defined = np.ones(gi.shape[1], dtype=bool)
    bins = np.empty(gi.shape, dtype=np.int8)
    for k, row in enumerate(gi):  # year by year: no cube-sized temporaries
        defined &= np.isfinite(row)
        bins[k] = confidence_bins(row, two_sided_p(row))
    series = gi
    if not defined.all():
        series = gi.copy()
        series[:, ~defined] = 0.0  # the trend of undefined series is discarded below
    trend = mann_kendall(series, progress=part(0.4, 0.6))
    del series
    value_trend = mann_kendall(x, times, sen_slope=True, progress=part(0.6, 0.95))
    pattern = classify_patterns(bins, trend.z, trend.p_value)
    pattern[~defined] = -1
    mk_z = np.where(defined, trend.z, np.nan)
    mk_p = np.where(defined, trend.p_value, np.nan)
    mean, std = _cube_moments(x)
    if progress is not None:
        progress(1.0, "Patterns")
    return EmergingHotSpotResult(
        gi_z=gi, gi_bins=bins, pattern=pattern, mk_z=mk_z, mk_p=mk_p,
        value_mk_z=value_trend.z, value_mk_p=value_trend.p_value, sen_slope=value_trend.slope,
        hot_years=(bins > 0).sum(axis=0), cold_years=(bins < 0).sum(axis=0), last_bin=bins[-1].astype(np.int16),
        times=times, n_undefined=int((~defined).sum()), mean=mean, std=std)


def yearly_pattern_counts(result):
    """Rows ``(year, code, name, locations, hot, cold)``.

    For every year and every pattern present: the number of locations with
    that pattern, and how many of them are a significant hot / cold spot in
    that year (the stacked chart of the report).
    """
    rows = []
    shifted = result.pattern.astype(np.int64) + 1  # -1 (undefined) -> 0
    size = len(PATTERN_NAMES) + 1
    totals = np.bincount(shifted, minlength=size)
    codes = [c for c in sorted(PATTERN_NAMES) if totals[c + 1]]
    for k, year in enumerate(result.times):
        hot = np.bincount(shifted[result.gi_bins[k] > 0], minlength=size)
        cold = np.bincount(shifted[result.gi_bins[k] < 0], minlength=size)
        for c in codes:
            rows.append((year, c, PATTERN_NAMES[c], int(totals[c + 1]), int(hot[c + 1]), int(cold[c + 1])))
    return rows


def pattern_counts(codes):
    """Locations per pattern: ``[(code, name, count, share_pct)]`` for each pattern present, by code.

    Parameters
    ----------
    codes : array_like
        Pattern codes 0-16 (any shape, e.g. the pattern band of a raster); negative
        (undefined) and NaN (nodata) codes are left out.

    Returns
    -------
    list of tuple
        ``share_pct`` is ``100 * count / (locations with a defined pattern)``.

    Examples
    --------
    >>> pattern_counts([0, 0, 1, -1, 9])
    [(0, 'No Pattern Detected', 2, 50.0), (1, 'New Hot Spot', 1, 25.0), (9, 'New Cold Spot', 1, 25.0)]
    """
    codes = np.asarray(codes, dtype=np.float64).ravel()
    codes = codes[np.isfinite(codes) & (codes >= 0)]
    counts = np.bincount(codes.astype(np.int64), minlength=len(PATTERN_NAMES))
    total = int(counts.sum()) or 1
    return [(c, PATTERN_NAMES[c], int(counts[c]), float(100.0 * counts[c] / total))
            for c in range(len(PATTERN_NAMES)) if counts[c]]

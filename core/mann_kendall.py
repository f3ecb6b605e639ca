"""Mann-Kendall trend test and Sen's slope, vectorised over many series.

The series are the columns of a ``(T, N)`` array (time first, one column per
location), so that 10 million locations x 21 years are tested with ``T(T-1)/2``
whole-array operations, in column chunks that bound memory.

Definitions (Mann 1945; Kendall 1975; Hipel & McLeod 1994; as
``pymannkendall.original_test``):

* ``S = sum_{i<j} sign(x_j - x_i)``
* ``Var(S) = [n(n-1)(2n+5) - sum_g t_g(t_g-1)(2t_g+5)] / 18`` with ``t_g`` the size
  of each group of tied values;
* ``z = (S - 1)/sqrt(Var S)`` if ``S > 0``, ``(S + 1)/sqrt(Var S)`` if ``S < 0``,
  0 otherwise (continuity correction); two-sided ``p = 2 (1 - Phi(|z|))``;
* Sen's slope: the median of ``(x_j - x_i) / (t_j - t_i)`` over all pairs
  ``i < j`` (Sen 1968). With consecutive years this is pymannkendall's
  ``sens_slope``; with gaps between years the actual year spacing is used, so
  the slope is always per year.

Example
-------
>>> import numpy as np
>>> r = mann_kendall(np.array([[1.0], [2.0], [2.0], [5.0]]), sen_slope=True)
>>> int(r.s[0]), round(float(r.variance[0]), 4), round(float(r.slope[0]), 4)
(5, 7.6667, 1.1667)
"""

from dataclasses import dataclass
from typing import Optional

import numpy as np
from scipy import special

__all__ = ["MannKendallResult", "mann_kendall", "sens_slope"]

#: Bytes of working memory per chunk of pairwise slopes (Sen's slope).
_SLOPE_CHUNK_BYTES = 64 * 2 ** 20
#: Locations per chunk: small blocks stay in the CPU caches (measured: 4096 and 8192 are fastest).
_SLOPE_CHUNK = 4096
_MK_CHUNK = 8192


@dataclass
class MannKendallResult:
    """Mann-Kendall statistics per series (arrays of length N).

    ``s`` the S statistic, ``variance`` Var(S) with the tie correction, ``z`` the
    continuity-corrected z-score, ``p_value`` two-sided, ``slope`` Sen's slope in
    value units per time unit (None unless asked for).
    """

    s: np.ndarray
    variance: np.ndarray
    z: np.ndarray
    p_value: np.ndarray
    slope: Optional[np.ndarray] = None


def _as_series(series):
    x = np.asarray(series, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2:
        raise ValueError("Series must be a (T,) or (T, N) array (time first).")
    if x.shape[0] < 2:
        raise ValueError("The Mann-Kendall test needs at least 2 time steps.")
    return x


def _s_and_ties(x):
    """S and the tie term ``sum_g t_g (t_g - 1)(2 t_g + 5)`` of each column of ``x``."""
    t = x.shape[0]
    s = np.zeros(x.shape[1], dtype=np.int64)
    equal = np.ones(x.shape, dtype=np.int16)  # each value is equal to itself
    for i in range(t - 1):
        later, now = x[i + 1:], x[i]
        up = later > now
        down = later < now
        s += up.sum(axis=0, dtype=np.int64)
        s -= down.sum(axis=0, dtype=np.int64)
        same = ~(up | down)
        if same.any():
            equal[i] += same.sum(axis=0, dtype=np.int16)
            equal[i + 1:] += same
    # Each member of a tie group of size t_g sees t_g equal values: summing
    # (e - 1)(2e + 5) over members gives t_g (t_g - 1)(2 t_g + 5) per group.
    e = equal.astype(np.float64)
    ties = ((e - 1) * (2 * e + 5)).sum(axis=0)
    return s.astype(np.float64), ties


def mann_kendall(series, times=None, sen_slope=False, progress=None):
    """Mann-Kendall trend test of every column of ``series``.

    Parameters
    ----------
    series : (T,) or (T, N) array
        Time first; values must be finite.
    times : (T,) array, optional
        Time of each step (e.g. years) for Sen's slope; default 0..T-1.
    sen_slope : bool
        Also compute Sen's slope (median of the pairwise slopes).
    progress : callable(fraction, message), optional

    Returns
    -------
    MannKendallResult
    """
    x = _as_series(series)
    if not np.all(np.isfinite(x)):
        raise ValueError("The Mann-Kendall test needs complete series (no missing or infinite values).")
    t, n = x.shape
    s = np.empty(n)
    ties = np.empty(n)
    for start in range(0, n, _MK_CHUNK):
        stop = min(start + _MK_CHUNK, n)
        s[start:stop], ties[start:stop] = _s_and_ties(x[:, start:stop])
        if progress is not None and (start // _MK_CHUNK) % 64 == 0:
            progress(0.5 * stop / n if sen_slope else stop / n, "Mann-Kendall trend test")
    variance = (t * (t - 1) * (2 * t + 5) - ties) / 18.0
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.sqrt(variance)
        z = np.where(s > 0, (s - 1) / root, np.where(s < 0, (s + 1) / root, 0.0))
    z[~(variance > 0)] = 0.0  # a constant series: no trend
    p = 2.0 * special.ndtr(-np.abs(z))
    slope = None
    if sen_slope:
        sub = None if progress is None else (lambda f, m=None: progress(0.5 + 0.5 * f, "Sen's slope"))
        slope = sens_slope(x, times, progress=sub)
    return MannKendallResult(s, variance, z, p, slope)


def _median_of_columns(slopes):
    """Exact median of each column of a ``(M, m)`` float64 array.

    Sorting float32 copies is several times faster than selecting in float64
    (SIMD sorts), and rounding to float32 is monotonic: the k-th float64 value
    is among the values whose float32 rounding equals the k-th float32 value.
    When those candidates share one float64 value (almost always) that is the
    answer; other columns fall back to an exact float64 median.
    """
    pairs, m = slopes.shape
    ranks = [pairs // 2] if pairs % 2 else [pairs // 2 - 1, pairs // 2]
    rounded = slopes.astype(np.float32)
    ordered = rounded.T.copy(order="C")  # a copy even when the transpose is contiguous
    ordered.sort(axis=1)
    out = np.zeros(m)
    ambiguous = np.zeros(m, dtype=bool)
    for k in ranks:
        candidates = rounded == ordered[:, k]
        low = np.min(slopes, axis=0, initial=np.inf, where=candidates)
        high = np.max(slopes, axis=0, initial=-np.inf, where=candidates)
        ambiguous |= low != high
        out += low
    out /= len(ranks)
    if ambiguous.any():
        out[ambiguous] = np.median(slopes[:, ambiguous], axis=0)
    return out


def sens_slope(series, times=None, progress=None):
    """Sen's slope (median pairwise slope) of every column of ``series`` (time first).

    ``times`` are the time coordinates (default 0..T-1): the slope is in value
    units per time unit. Memory is bounded by working in column chunks.
    """
    x = _as_series(series)
    t, n = x.shape
    times = np.arange(t, dtype=float) if times is None else np.asarray(times, dtype=float)
    if times.shape != (t,) or np.any(np.diff(times) <= 0):
        raise ValueError("Times must be strictly increasing, one per time step.")
    pairs = t * (t - 1) // 2
    chunk = int(max(1, min(_SLOPE_CHUNK, _SLOPE_CHUNK_BYTES // (8 * pairs))))
    buffer = np.empty((pairs, min(chunk, n)))
    out = np.empty(n)
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        block = x[:, start:stop]
        slopes = buffer[:, :stop - start]
        row = 0
        for lag in range(1, t):  # all pairs (i, i + lag), contiguous rows
            part = slopes[row:row + t - lag]
            np.subtract(block[lag:], block[:-lag], out=part)
            part /= (times[lag:] - times[:-lag])[:, None]
            row += t - lag
        out[start:stop] = _median_of_columns(slopes)
        if progress is not None and (start // chunk) % 64 == 0:
            progress(stop / n)
    if progress is not None:
        progress(1.0)
    return out

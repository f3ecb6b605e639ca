"""Yearly description of gridded emissions (METHODS.md section 7)."""

from dataclasses import dataclass

import numpy as np


@dataclass
class YearStatistics:
    """Statistics of one year's cell (or feature) values, in the input units.

    ``growth`` is the change of ``total`` since the previous year in the list and
    ``growth_pct`` that change in percent of the previous total (NaN for the first
    year, and ``growth_pct`` NaN when the previous total is 0).
    """

    year: object
    total: float
    peak: float
    mean: float
    std: float
    cells: int
    growth: float = float("nan")
    growth_pct: float = float("nan")


def value_statistics(values, block=1 << 22):
    """Total, peak, mean, population standard deviation and count of finite values.

    Works through ``values`` in blocks (two passes: sum, then squared deviations),
    so a national grid needs no full-size temporaries.

    Returns
    -------
    tuple
        ``(total, peak, mean, std, n)``; NaN statistics when there is no value.
    """
    flat = np.asarray(values).ravel()
    total, n, peak = 0.0, 0, -np.inf
    for start in range(0, flat.size, block):
        v = flat[start:start + block].astype(np.float64)
        v = v[np.isfinite(v)]
        if v.size:
            total += float(v.sum())
            n += v.size
            peak = max(peak, float(v.max()))
    if n == 0:
        return 0.0, float("nan"), float("nan"), float("nan"), 0
    mean = total / n
    ss = 0.0
    for start in range(0, flat.size, block):
        v = flat[start:start + block].astype(np.float64)
        v = v[np.isfinite(v)]
        ss += float(((v - mean) ** 2).sum())
    return total, peak, mean, float(np.sqrt(ss / n)), n


def yearly_statistics(series, progress=None):
    """Per-year statistics and growth since the previous year.

    Parameters
    ----------
    series : iterable of (year, values)
        Year labels (sortable) with arrays of values (NaN = nodata).
    progress : callable, optional
        ``progress(fraction, message)``.

    Returns
    -------
    list of YearStatistics
        Sorted by year.
    """
    items = sorted(series, key=lambda item: item[0])
    years = [y for y, _ in items]
    if len(set(years)) != len(years):
        raise ValueError(f"Years repeat: {years}. Give each year once.")
    out = []
    previous = None
    for i, (year, values) in enumerate(items):
        total, peak, mean, std, n = value_statistics(values)
        stats = YearStatistics(year, total, peak, mean, std, n)
        if previous is not None:
            stats.growth = total - previous
            stats.growth_pct = 100.0 * stats.growth / previous if previous != 0 else float("nan")
        previous = total
        out.append(stats)
        if progress is not None:
            progress((i + 1) / len(items), f"Year {year}")
    return out

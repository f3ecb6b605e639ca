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
        ``(total, peak, mean, std, n)``; NaN statistics (total included: "no data", not 0)
        when there is no value.
    """
    flat = np.asarray(values).ravel()
    n, peak, top = 0, -np.inf, 0.0
    for start in range(0, flat.size, block):
        v = flat[start:start + block].astype(np.float64)
        v = v[np.isfinite(v)]
        if v.size:
            n += v.size
            peak = max(peak, float(v.max()))
            top = max(top, float(np.abs(v).max()))
    if n == 0:
        return float("nan"), float("nan"), float("nan"), float("nan"), 0
    # Sums and squares of values scaled by the largest magnitude stay finite for values near 1e300.
    scale = top if top > 0 else 1.0
    scaled_total = 0.0
    for start in range(0, flat.size, block):
        v = flat[start:start + block].astype(np.float64)
        scaled_total += float((v[np.isfinite(v)] / scale).sum())
    scaled_mean = scaled_total / n
    ss = 0.0
    for start in range(0, flat.size, block):
        v = flat[start:start + block].astype(np.float64)
        v = v[np.isfinite(v)] / scale
        ss += float(((v - scaled_mean) ** 2).sum())
    total = scaled_total * scale
    if not np.isfinite(total):
        raise ValueError(
            f"The values are too large: their total exceeds {np.finfo(float).max:.3g}. "
            "Express them in a larger unit (e.g. Mt instead of t)."
        )
    return total, peak, scaled_mean * scale, float(np.sqrt(ss / n)) * scale, n


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

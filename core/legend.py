"""Numbers behind the legends: class bounds, colour stops, round breaks, display units.

The symbology glue (``algorithms/_styles``) only turns these numbers into QGIS
renderers; every computation on result values happens here, without QGIS.

Example
-------
>>> symmetric_class_bounds([-0.5, 0.1, 1.0])[0]
(1, -0.68, -0.34)
>>> round_significant(0.012345, 2)
0.012
"""

import math

import numpy as np

#: Quantiles of the positive cells that carry the colour stops of a single emission grid:
#: half the cells below the second stop, the top 0.2 % above the last.
EMISSION_STOP_QUANTILES = (0.5, 0.8, 0.95, 0.99, 0.998)


def _positive(arrays):
    """The finite, positive values of all ``arrays`` as one flat array."""
    parts = [np.asarray(a, float).ravel() for a in arrays]
    parts = [p[np.isfinite(p) & (p > 0)] for p in parts]
    return np.concatenate(parts) if parts else np.array([])


def quantile_class_bounds(arrays, classes=7):
    """Upper class bounds shared by several grids: quantiles of their pooled positive cells.

    Emission grids are very skewed (a few industrial cells hold much of the total), so equal
    intervals would paint almost every cell in the first class; quantiles of all years
    pooled keep the years comparable.

    Parameters
    ----------
    arrays : sequence of ndarray
        The grids (any shape; NaN, zero and negative cells are left out), in data units.
    classes : int
        Number of classes asked for.

    Returns
    -------
    list of float
        Strictly increasing upper bounds (data units), at most ``classes`` (repeated
        quantiles merge), the last one the largest value; ``[1.0]`` when no cell is positive.
    """
    values = _positive(arrays)
    if values.size == 0:
        return [1.0]
    bounds = _distinct_quantiles(values, np.linspace(0, 1, classes + 1)[1:])
    bounds[-1] = float(values.max())
    return bounds


def quantile_stops(values, quantiles=EMISSION_STOP_QUANTILES):
    """Colour-ramp stops of one grid: 0, then the ``quantiles`` of its positive cells.

    Parameters
    ----------
    values : ndarray
        Cell values (data units); NaN, zero and negative cells are left out.
    quantiles : sequence of float
        Quantile levels in (0, 1].

    Returns
    -------
    list of float
        Sorted distinct stops starting at 0 (data units); ``[0.0, 1.0]`` when no cell is positive.
    """
    v = _positive([values])
    if v.size == 0:
        return [0.0, 1.0]
    return [0.0] + _distinct_quantiles(v, list(quantiles))


def _distinct_quantiles(values, levels):
    """Quantiles of positive ``values`` at increasing ``levels``, those repeating the one before
    (within rounding) merged."""
    out = []
    for q in np.quantile(values, levels):
        q = float(q)
        if not out or q > out[-1] * (1 + 1e-9):
            out.append(q)
    return out


def spread_indices(count, picks):
    """Indices of ``picks`` colours spread evenly over a palette of ``count`` colours.

    The first and last colours are always used (one pick takes the middle colour), so a
    legend with few classes still spans the whole palette.

    Returns
    -------
    list of int
    """
    if picks <= 1:
        return [(count - 1) // 2]
    return [min(int(round(i * (count - 1) / (picks - 1))), count - 1) for i in range(picks)]


def round_significant(value, digits=2):
    """``value`` rounded to ``digits`` significant digits (0 and non-finite values unchanged)."""
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


def symmetric_class_bounds(values, classes=6):
    """Classes of a round width, symmetric about 0, covering ``values`` (only those holding data).

    The class width ``max|v| / (classes / 2)`` is rounded to two significant digits
    (rounded up, so that the classes still cover every value) and the middle edge is
    exactly 0: legends read "-0.12 to 0", never "-5.55e-17".

    Parameters
    ----------
    values : array_like
        The values (e.g. local coefficients); non-finite ones are left out.
    classes : int
        Number of classes of the full symmetric scheme (even).

    Returns
    -------
    list of (int, float, float)
        ``(index in the full scheme, lower edge, upper edge)`` of every class that
        overlaps ``[min, max]`` of the values; empty for no finite value.
    """
    values = np.asarray(values, float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return []
    m = float(np.max(np.abs(values))) or 1.0
    half = classes // 2
    step = round_significant(m / half, 2)
    if step * half < m:
        step = round_significant(step + 10 ** (math.floor(math.log10(step)) - 1), 2)
    edges = [round_significant(step * (k - half), 6) for k in range(classes + 1)]
    lo, hi = float(values.min()), float(values.max())
    return [(i, float(edges[i]), float(edges[i + 1])) for i in range(classes)
            if not (edges[i + 1] < lo or edges[i] > hi)]


def display_unit(unit, bounds):
    """Factor and unit name that keep legend numbers readable (e.g. Mt -> t for 1 km cells).

    Only units starting with "Mt" are rescaled, by the middle bound: below 0.01 Mt to t,
    below 10 Mt to kt.

    Returns
    -------
    (float, str)
        Legend values are ``value * factor`` in the returned unit name.
    """
    if not bounds or not unit or not unit.lower().startswith("mt"):
        return 1.0, unit
    typical = bounds[len(bounds) // 2]
    if typical < 0.01:
        return 1e6, "t" + unit[2:]
    if typical < 10:
        return 1e3, "kt" + unit[2:]
    return 1.0, unit

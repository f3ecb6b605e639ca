"""Tolerances for deciding, from computed floats, that something is zero, constant or flat.

Computed floats carry rounding error relative to the size of the numbers that made
them, so "is this zero?" is always asked relative to a scale: a column of identical
values at a 1e6 offset may come out with a spread of 1e-10, and four collinear
points give an ellipse whose short axis is 1e-8 of the long one rather than 0.
"""

import numpy as np

#: Relative size under which a spread (range, standard deviation) counts as none.
CONSTANT_RTOL = 1e-12

#: Short-to-long axis ratio under which an ellipse (or a point cloud) counts as a line.
#: Rounding in the second moments leaves ratios of about 1e-8 for exactly collinear
#: points; real patterns are never this thin.
FLAT_AXIS_RATIO = 1e-6


def constant_columns(X, rtol=CONSTANT_RTOL):
    """Mask of the columns of ``X`` whose values do not vary beyond rounding.

    A column is constant when its range is at most ``rtol`` times its largest
    absolute value (or exactly zero).

    Examples
    --------
    >>> constant_columns(np.array([[1e6, 1.0], [1e6 + 1e-7, 2.0]]))
    array([ True, False])
    """
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    spread = np.ptp(X, axis=0)
    size = np.max(np.abs(X), axis=0)
    return (spread == 0) | (spread <= rtol * size)


def is_constant(values, rtol=CONSTANT_RTOL):
    """True when the values do not vary beyond rounding (see :func:`constant_columns`)."""
    values = np.asarray(values, dtype=float).ravel()
    return bool(values.size == 0 or constant_columns(values[:, None], rtol)[0])


def clearly_positive(value, scale, rtol=CONSTANT_RTOL):
    """True when ``value`` is positive by more than rounding relative to ``scale``.

    Use it for differences of large terms (variances as ``E[x^2] - E[x]^2``,
    ``(sum x)^2 - sum x^2``) whose exact value may be zero: ``scale`` is the size of
    the terms that were subtracted.

    Examples
    --------
    >>> clearly_positive(1e-20, 1.0), clearly_positive(1e-3, 1.0)
    (False, True)
    """
    value = float(value)
    return bool(np.isfinite(value) and value > rtol * abs(float(scale)))

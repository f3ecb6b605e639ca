"""Aggregating a fine grid into coarser analysis cells.

The study computes its statistics (Moran's I, Gi*, MGWR) on cells of, say,
10 km built from the 1 km emission grid: emissions are summed (mass is kept),
explanatory factors are averaged. Cells outside the data (all fine cells NaN)
stay NaN.
"""

import numpy as np

_BLOCK = (1, 3)  # the within-block axes of the (rows, fy, cols, fx) view


def _blocks(data, factor):
    """``data`` as a (rows, fy, cols, fx) array of blocks; a view when the grid nests exactly.

    ``factor`` is one integer for both axes or a pair ``(fy, fx)`` (rows, columns).
    """
    data = np.asarray(data, dtype=np.float64)
    if data.ndim != 2:
        raise ValueError("data must be a 2-D grid")
    fy, fx = (factor, factor) if np.ndim(factor) == 0 else factor
    fy, fx = int(fy), int(fx)
    if fy < 1 or fx < 1:
        raise ValueError("the aggregation factor must be a positive integer")
    rows, cols = data.shape
    out_rows, out_cols = -(-rows // fy), -(-cols // fx)
    if (out_rows * fy, out_cols * fx) != (rows, cols):
        padded = np.full((out_rows * fy, out_cols * fx), np.nan)
        padded[:rows, :cols] = data
        data = padded
    return data.reshape(out_rows, fy, out_cols, fx)


def block_sum(data, factor):
    """Sum of the valid fine cells in each ``factor`` x ``factor`` block.

    Parameters
    ----------
    data : (rows, cols) array
        Fine grid, NaN where there is no data. Edge blocks may be partial:
        the grid is padded with NaN at the bottom and right.
    factor : int or (int, int)
        Fine cells per coarse cell along each axis, or ``(rows, columns)``.

    Returns
    -------
    (ceil(rows / factor), ceil(cols / factor)) array
        Block sums; NaN where a block has no valid cell. ``nansum`` of the
        result equals ``nansum(data)``.

    Examples
    --------
    >>> block_sum([[1, 2, 3], [4, np.nan, 6]], 2)
    array([[7., 9.]])
    """
    blocks = _blocks(data, factor)
    valid = np.isfinite(blocks)
    total = np.where(valid, blocks, 0.0).sum(axis=_BLOCK)
    return np.where(valid.any(axis=_BLOCK), total, np.nan)


def block_mean(data, factor):
    """Mean of the valid fine cells in each block (NaN where none is valid).

    Examples
    --------
    >>> block_mean([[1, 2, 3], [4, np.nan, 6]], 2)
    array([[2.33333333, 4.5       ]])
    """
    blocks = _blocks(data, factor)
    valid = np.isfinite(blocks)
    count = valid.sum(axis=_BLOCK)
    total = np.where(valid, blocks, 0.0).sum(axis=_BLOCK)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def block_count(data, factor):
    """Number of valid fine cells in each block."""
    return np.isfinite(_blocks(data, factor)).sum(axis=_BLOCK)

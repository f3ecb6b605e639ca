"""Aggregating a fine grid into coarser analysis cells.

The study computes its statistics (Moran's I, Gi*, MGWR) on cells of, say,
10 km built from the 1 km emission grid: emissions are summed (mass is kept),
explanatory factors are averaged. Cells outside the data (all fine cells NaN)
stay NaN.
"""

import numpy as np


def _blocks(data, factor):
    data = np.asarray(data, dtype=np.float64)
    if data.ndim != 2:
        raise ValueError("data must be a 2-D grid")
    factor = int(factor)
    if factor < 1:
        raise ValueError("the aggregation factor must be a positive integer")
    rows, cols = data.shape
    out_rows, out_cols = -(-rows // factor), -(-cols // factor)
    padded = np.full((out_rows * factor, out_cols * factor), np.nan)
    padded[:rows, :cols] = data
    return padded.reshape(out_rows, factor, out_cols, factor).swapaxes(1, 2).reshape(out_rows, out_cols, -1)


def block_sum(data, factor):
    """Sum of the valid fine cells in each ``factor`` x ``factor`` block.

    Parameters
    ----------
    data : (rows, cols) array
        Fine grid, NaN where there is no data. Edge blocks may be partial:
        the grid is padded with NaN at the bottom and right.
    factor : int
        Fine cells per coarse cell along each axis.

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
    total = np.where(valid, blocks, 0.0).sum(axis=2)
    return np.where(valid.any(axis=2), total, np.nan)


def block_mean(data, factor):
    """Mean of the valid fine cells in each block (NaN where none is valid).

    Examples
    --------
    >>> block_mean([[1, 2, 3], [4, np.nan, 6]], 2)
    array([[2.33333333, 4.5       ]])
    """
    blocks = _blocks(data, factor)
    valid = np.isfinite(blocks)
    count = valid.sum(axis=2)
    total = np.where(valid, blocks, 0.0).sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def block_count(data, factor):
    """Number of valid fine cells in each block."""
    return np.isfinite(_blocks(data, factor)).sum(axis=2)

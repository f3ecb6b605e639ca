"""Regular north-up grids: cell centres and bounds, coarser analysis grids, cell budgets.

A grid is a GDAL geotransform ``(x0, dx, rx, y0, ry, dy)`` and a shape ``(rows,
cols)``: the cell in row ``r``, column ``c`` has its top-left corner at
``(x0 + c dx + r rx, y0 + c ry + r dy)``. Coordinates are in the grid's CRS
units (metres for the study's projected grids).
"""

import math

import numpy as np


def cell_centres(geotransform, rows, cols):
    """Centre coordinates of the cells at ``rows``, ``cols``.

    Parameters
    ----------
    geotransform : sequence of 6 floats
        GDAL geotransform of the grid.
    rows, cols : array_like of int
        Row and column indices (same length).

    Returns
    -------
    (n, 2) array
        ``x``, ``y`` of each cell centre, in CRS units.

    Examples
    --------
    >>> cell_centres((100.0, 10.0, 0.0, 50.0, 0.0, -10.0), [0, 1], [0, 2]).tolist()
    [[105.0, 45.0], [125.0, 35.0]]
    """
    gt = [float(v) for v in geotransform]
    rows = np.asarray(rows, dtype=np.float64)
    cols = np.asarray(cols, dtype=np.float64)
    x = gt[0] + (cols + 0.5) * gt[1] + (rows + 0.5) * gt[2]
    y = gt[3] + (cols + 0.5) * gt[4] + (rows + 0.5) * gt[5]
    return np.column_stack([x, y])


def cell_bounds(geotransform, rows, cols):
    """Bounding boxes ``(xmin, ymin, xmax, ymax)`` of the cells at ``rows``, ``cols`` (north-up grid).

    Examples
    --------
    >>> cell_bounds((100.0, 10.0, 0.0, 50.0, 0.0, -10.0), [1], [2]).tolist()
    [[120.0, 30.0, 130.0, 40.0]]
    """
    gt = [float(v) for v in geotransform]
    rows = np.asarray(rows, dtype=np.float64)
    cols = np.asarray(cols, dtype=np.float64)
    xa = gt[0] + cols * gt[1]
    ya = gt[3] + rows * gt[5]
    xb, yb = xa + gt[1], ya + gt[5]
    return np.column_stack([np.minimum(xa, xb), np.minimum(ya, yb), np.maximum(xa, xb), np.maximum(ya, yb)])


def grid_bounds(geotransform, shape):
    """Extent ``(xmin, ymin, xmax, ymax)`` of a north-up grid of ``shape`` (rows, cols).

    Examples
    --------
    >>> grid_bounds((100.0, 10.0, 0.0, 50.0, 0.0, -10.0), (2, 3))
    (100.0, 30.0, 130.0, 50.0)
    """
    rows, cols = shape
    x0, y0 = float(geotransform[0]), float(geotransform[3])
    x1, y1 = x0 + cols * float(geotransform[1]), y0 + rows * float(geotransform[5])
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def coarsening_factor(cell_size, fine_size):
    """Fine cells per analysis cell along each axis for a wanted ``cell_size``.

    Parameters
    ----------
    cell_size : float
        Wanted analysis cell size (CRS units); ``<= 0`` keeps the fine grid.
    fine_size : float
        Size of the fine cells (CRS units, > 0).

    Returns
    -------
    factor : int
        ``round(cell_size / fine_size)``, at least 1.
    exact : bool
        Whether ``factor * fine_size`` equals ``cell_size`` (relative 1e-6);
        when not, the analysis cells are ``factor * fine_size`` wide.

    Examples
    --------
    >>> coarsening_factor(10000, 1000), coarsening_factor(2500, 1000), coarsening_factor(0, 1000)
    ((10, True), (2, False), (1, True))
    """
    if cell_size <= 0:
        return 1, True
    factor = max(1, int(round(cell_size / fine_size)))
    return factor, abs(factor * fine_size - cell_size) <= 1e-6 * cell_size


def coarse_geotransform(geotransform, factor):
    """Geotransform of the grid of ``factor`` x ``factor`` blocks of a north-up grid (same origin).

    Examples
    --------
    >>> coarse_geotransform((100.0, 10.0, 0.0, 50.0, 0.0, -10.0), 3)
    (100.0, 30.0, 0.0, 50.0, 0.0, -30.0)
    """
    gt = [float(v) for v in geotransform]
    return (gt[0], gt[1] * factor, 0.0, gt[3], 0.0, gt[5] * factor)


def complete_cells(*grids):
    """Cells where every grid has a finite value (boolean array of the common shape).

    Examples
    --------
    >>> complete_cells(np.array([1.0, np.nan, 3.0]), np.array([1.0, 2.0, np.nan])).tolist()
    [True, False, False]
    """
    valid = np.isfinite(grids[0])
    for grid in grids[1:]:
        valid = valid & np.isfinite(grid)
    return valid


def analysis_cell_count(data_cells, fine_size, cell_size):
    """Expected number of analysis cells of ``cell_size`` covering ``data_cells`` fine cells.

    Parameters
    ----------
    data_cells : int
        Fine cells holding data.
    fine_size : float
        Fine cell size (CRS units).
    cell_size : float
        Analysis cell size; ``<= 0`` or smaller than ``fine_size`` keeps the fine cells.

    Returns
    -------
    float
        ``data_cells * (fine_size / max(cell_size, fine_size)) ** 2``.

    Examples
    --------
    >>> analysis_cell_count(40000, 1000, 2000), analysis_cell_count(40000, 1000, 0)
    (10000.0, 40000.0)
    """
    effective = max(cell_size, fine_size) if cell_size > 0 else fine_size
    return data_cells * (fine_size / effective) ** 2


def cell_size_for_budget(data_cells, fine_size, max_cells):
    """Smallest multiple of ``fine_size`` whose analysis grid has at most about ``max_cells`` cells.

    Examples
    --------
    >>> cell_size_for_budget(40000, 1000, 1500)
    6000.0
    """
    return float(fine_size) * math.ceil(math.sqrt(data_cells / max_cells))


def nodata_cells(raw, nodata):
    """Mask of the cells of ``raw`` holding ``nodata``, compared in the band's own type.

    A Float32 band stores its nodata rounded to single precision (e.g. -3.4e38), which
    differs from the double GDAL reports: compared in float64 no cell would match.
    ``None`` when there is no nodata value or the band's type cannot hold it.

    Examples
    --------
    >>> band = np.array([1.0, -3.4e38], dtype=np.float32)
    >>> nodata_cells(band, -3.4e38).tolist(), nodata_cells(np.array([3], np.uint8), -9999)
    ([False, True], None)
    """
    if nodata is None or not np.isfinite(nodata):
        return None
    if np.issubdtype(raw.dtype, np.integer):
        info = np.iinfo(raw.dtype)
        if not (float(nodata).is_integer() and info.min <= nodata <= info.max):
            return None
    with np.errstate(over="ignore", invalid="ignore"):  # a nodata beyond the type's range matches nothing
        return raw == np.asarray(nodata).astype(raw.dtype)

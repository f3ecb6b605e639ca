"""Spatial weights: the single neighbourhood engine of Carbon Spacetime.

Two kinds of weights share one small interface (``n``, ``lag``, ``row_sums``,
``row_square_sums``, ``cardinalities``, ``islands``, ``s0``, ``s1``, ``s2``),
so every statistic in :mod:`~carbon_spacetime.core` works on both:

* :class:`FeatureWeights` for points and polygons: a ``scipy.sparse`` CSR
  matrix built with a k-d tree (fixed distance band, inverse distance within a
  band, k nearest neighbours) or from shared polygon vertices/edges (queen and
  rook contiguity).
* :class:`GridWeights` for raster grids: a small stencil (kernel) applied by
  correlation to arrays with NaN holes. An ``n x n`` matrix is never built;
  the moments ``S0``, ``S1``, ``S2`` come from stencil algebra, so memory is
  O(number of cells).

Conventions (the same as libpysal / esda / spdep / ArcGIS):

* ``w_ii = 0``; Gi* adds a self weight on its own (see :meth:`self_weights`).
* Row standardisation divides each row by its sum; binary weights are 1 for
  neighbours.
* A feature or cell without neighbours (an *island*) has an all-zero row. It
  stays in ``n`` for global statistics (as esda, and spdep with
  ``zero.policy=TRUE, adjust.n=FALSE``; spdep's default ``adjust.n=TRUE`` drops
  islands from ``n``) and gets a null result in local statistics.
"""

from dataclasses import dataclass, field
from typing import Optional

import numpy as np
from scipy import ndimage, sparse
from scipy.spatial import cKDTree

__all__ = [
    "DISTANCE_BAND",
    "INVERSE_DISTANCE",
    "K_NEAREST",
    "QUEEN",
    "ROOK",
    "NEIGHBOURHOOD_NAMES",
    "WeightsError",
    "FeatureWeights",
    "GridWeights",
    "default_distance_band",
    "distance_band_weights",
    "inverse_distance_weights",
    "knn_weights",
    "contiguity_weights",
    "feature_weights",
    "grid_weights",
    "grid_kernel",
    "default_grid_band",
]

DISTANCE_BAND, INVERSE_DISTANCE, K_NEAREST, QUEEN, ROOK = range(5)
NEIGHBOURHOOD_NAMES = {
    DISTANCE_BAND: "fixed distance band",
    INVERSE_DISTANCE: "inverse distance",
    K_NEAREST: "k nearest neighbours",
    QUEEN: "queen contiguity",
    ROOK: "rook contiguity",
}


class WeightsError(ValueError):
    """Weights cannot be built as asked (message says why and what to do)."""


class _Moments:
    """``S0``, ``S1``, ``S2`` (Cliff & Ord) computed once and cached."""

    _s012 = None

    def _moments(self):
        raise NotImplementedError

    @property
    def s0(self):
        """Sum of all weights."""
        if self._s012 is None:
            self._s012 = self._moments()
        return self._s012[0]

    @property
    def s1(self):
        """``1/2 sum_ij (w_ij + w_ji)^2``."""
        if self._s012 is None:
            self._s012 = self._moments()
        return self._s012[1]

    @property
    def s2(self):
        """``sum_i (w_i. + w_.i)^2``."""
        if self._s012 is None:
            self._s012 = self._moments()
        return self._s012[2]

    @property
    def n_islands(self):
        return int(np.count_nonzero(self.islands))

    @property
    def islands(self):
        return self.cardinalities == 0


# ----------------------------------------------------------------------------
# Features
# ----------------------------------------------------------------------------
@dataclass(eq=False)
class FeatureWeights(_Moments):
    """Weights between ``n`` features as a CSR matrix (zero diagonal).

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix
        ``n x n`` weights after standardisation.
    raw : scipy.sparse.csr_matrix
        The same neighbours before row standardisation (1 or ``d**-power``).
    kind : int
        One of ``DISTANCE_BAND``, ``INVERSE_DISTANCE``, ``K_NEAREST``,
        ``QUEEN``, ``ROOK``.
    row_standardised : bool
    threshold : float or None
        Distance band used (coordinate units), if any.
    default_threshold : bool
        True when ``threshold`` was chosen automatically (every feature gets at
        least one neighbour).
    k : int or None
    power : float or None
    knn_ties : int
        K nearest neighbours: number of features whose k-th neighbour distance is tied
        with the next one. Ties are broken nearer first, then by lower feature order.
    """

    matrix: sparse.csr_matrix
    raw: sparse.csr_matrix
    kind: int
    row_standardised: bool
    threshold: Optional[float] = None
    default_threshold: bool = False
    k: Optional[int] = None
    power: Optional[float] = None
    knn_ties: int = 0
    _s012: tuple = field(default=None, repr=False)

    @property
    def n(self):
        return self.matrix.shape[0]

    @property
    def cardinalities(self):
        """Number of neighbours of each feature (int array)."""
        return np.diff(self.matrix.indptr)

    @property
    def row_sums(self):
        return np.asarray(self.matrix.sum(axis=1)).ravel()

    @property
    def row_square_sums(self):
        return np.asarray(self.matrix.multiply(self.matrix).sum(axis=1)).ravel()

    def lag(self, values):
        """Spatial lag ``sum_j w_ij x_j`` of a length-``n`` array."""
        return self.matrix @ np.asarray(values, dtype=float)

    def _moments(self):
        w = self.matrix
        s0 = float(w.sum())
        wt = w.T.tocsr()
        s1 = 0.5 * float((w + wt).power(2).sum())
        s2 = float(((np.asarray(w.sum(axis=1)).ravel() + np.asarray(w.sum(axis=0)).ravel()) ** 2).sum())
        return s0, s1, s2

    @classmethod
    def from_sparse(cls, matrix, row_standardise=False, kind=DISTANCE_BAND):
        """Weights from an existing ``n x n`` sparse matrix of raw weights (diagonal dropped)."""
        return _finish(sparse.csr_matrix(matrix, dtype=float), kind, row_standardise)

    def unstandardised(self):
        """The same neighbourhood without row standardisation."""
        if not self.row_standardised:
            return self
        return FeatureWeights(self.raw, self.raw, self.kind, False, self.threshold,
                              self.default_threshold, self.k, self.power)

    def binary(self):
        """Binary (0/1) weights with the same neighbours."""
        b = self.raw.copy()
        b.data = np.ones_like(b.data)
        return FeatureWeights(b, b, self.kind, False, self.threshold, self.default_threshold,
                              self.k, self.power)

    def neighbour_lists(self):
        """``(indptr, indices, data)`` of the CSR rows (for permutation tests)."""
        return self.matrix.indptr, self.matrix.indices, self.matrix.data

    def self_weights(self):
        """Self weight used by Gi*: 1 for binary kinds, the row maximum otherwise.

        (As esda ``G_Local(star=True)``: row-standardised or inverse-distance
        rows get the largest weight of the row; rows without neighbours get 1.)
        """
        raw = self.raw
        if self.kind != INVERSE_DISTANCE:
            return np.ones(self.n)
        out = np.ones(self.n)
        has = np.diff(raw.indptr) > 0
        out[has] = np.maximum.reduceat(raw.data, raw.indptr[:-1][has]) if raw.nnz else 1.0
        return out


def _check_xy(xy):
    xy = np.asarray(xy, dtype=float)
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise WeightsError("Coordinates must be an (n, 2) array.")
    if not np.all(np.isfinite(xy)):
        raise WeightsError("Some coordinates are not finite.")
    if len(xy) > 1 and not np.any(xy != xy[0]):
        raise WeightsError(
            f"All {len(xy)} features are at the same location, so there is no spatial pattern to "
            "measure. Check the geometries (e.g. a join that gave every feature one point)."
        )
    return xy


def default_distance_band(xy):
    """Smallest distance that gives every feature at least one neighbour.

    It is the largest nearest-neighbour distance (coordinate units), slightly
    enlarged (1e-9 relative) so that the farthest pair is inside the band.
    """
    xy = _check_xy(xy)
    if len(xy) < 2:
        raise WeightsError("At least two features are needed to build a neighbourhood.")
    d, _ = cKDTree(xy).query(xy, k=2, workers=-1)
    band = float(d[:, 1].max())
    if band <= 0:
        distinct = len(np.unique(xy, axis=0))
        raise WeightsError(
            f"Every feature shares its location with another ({distinct} distinct locations for "
            f"{len(xy)} features), so the default distance band would be 0. Set a distance band "
            "(DISTANCE), use k nearest neighbours, or aggregate the duplicated features first."
        )
    return band * (1.0 + 1e-9)


def estimate_band_pairs(xy, distance, sample=1000, min_features=2000):
    """Expected neighbours per feature and pairs in all for a distance band, from a sample.

    Building a distance-band neighbour list costs memory proportional to the
    number of pairs; this estimates it before building. The neighbours within
    ``distance`` (the feature itself included) of ``sample`` features drawn
    without replacement (a fixed seed, so the estimate is repeatable) are
    counted and their mean is scaled by the number of features.

    Parameters
    ----------
    xy : (n, 2) array
        Coordinates (same units as ``distance``).
    distance : float
        Band radius.
    sample, min_features : int
        Sample size; below ``min_features`` features no estimate is made.

    Returns
    -------
    (float, float) or None
        Mean neighbours per feature and the estimated number of pairs, or
        ``None`` for fewer than ``min_features`` features.
    """
    xy = np.asarray(xy, dtype=float)
    n = len(xy)
    if n < min_features:
        return None
    rng = np.random.RandomState(0)
    drawn = xy[rng.choice(n, sample, replace=False)]
    counts = cKDTree(xy).query_ball_point(drawn, distance, return_length=True)
    mean = float(np.mean(counts))
    return mean, mean * n


def _finish(raw, kind, row_standardise, **info):
    """Canonical CSR (sorted, no diagonal, no explicit zeros) and its row-standardised copy."""
    coo = sparse.coo_matrix(raw)
    off = (coo.row != coo.col) & (coo.data != 0)
    raw = sparse.csr_matrix((coo.data[off], (coo.row[off], coo.col[off])), shape=coo.shape)
    raw.sum_duplicates()
    raw.sort_indices()
    if row_standardise:
        sums = np.asarray(raw.sum(axis=1)).ravel()
        scale = np.divide(1.0, sums, out=np.zeros_like(sums), where=sums > 0)
        matrix = raw.copy()
        matrix.data = matrix.data * np.repeat(scale, np.diff(raw.indptr))
    else:
        matrix = raw
    return FeatureWeights(matrix, raw, kind, bool(row_standardise), **info)


def _pairs_within(xy, threshold):
    """All ordered pairs (i, j), i != j, closer than ``threshold`` (inclusive), as two arrays."""
    pairs = cKDTree(xy).query_pairs(float(threshold), output_type="ndarray")
    i, j = pairs[:, 0], pairs[:, 1]
    return np.concatenate([i, j]), np.concatenate([j, i])


def distance_band_weights(xy, threshold=None, row_standardise=True):
    """Binary weights for all pairs closer than ``threshold`` (inclusive).

    Parameters
    ----------
    xy : (n, 2) array
        Coordinates in a projected CRS (units of ``threshold``).
    threshold : float, optional
        Band radius; None or 0 uses :func:`default_distance_band`.
    row_standardise : bool
    """
    xy = _check_xy(xy)
    default = not threshold
    if default:
        threshold = default_distance_band(xy)
    n = len(xy)
    rows, cols = _pairs_within(xy, threshold)
    raw = sparse.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n, n))
    return _finish(raw, DISTANCE_BAND, row_standardise, threshold=float(threshold),
                   default_threshold=default)


def inverse_distance_weights(xy, threshold=None, power=1.0, row_standardise=True):
    """Weights ``d_ij ** -power`` for pairs within ``threshold``.

    Coincident points (``d = 0``) are an error: their weight would be infinite.
    """
    xy = _check_xy(xy)
    default = not threshold
    if default:
        threshold = default_distance_band(xy)
    rows, cols = _pairs_within(xy, threshold)
    d = np.hypot(xy[rows, 0] - xy[cols, 0], xy[rows, 1] - xy[cols, 1])
    if np.any(d == 0):
        raise WeightsError(
            f"{int((d == 0).sum()) // 2} pair(s) of features share the same location, so inverse-distance "
            "weights would be infinite. Merge or remove duplicate points, or use a fixed distance band."
        )
    n = len(xy)
    raw = sparse.csr_matrix((d ** -float(power), (rows, cols)), shape=(n, n))
    return _finish(raw, INVERSE_DISTANCE, row_standardise, threshold=float(threshold),
                   default_threshold=default, power=float(power))


def knn_weights(xy, k=8, row_standardise=True):
    """Binary weights to the ``k`` nearest other features (not symmetric)."""
    xy = _check_xy(xy)
    n = len(xy)
    k = int(k)
    if k < 1:
        raise WeightsError("The number of neighbours K must be at least 1.")
    if k > n - 1:
        raise WeightsError(f"K = {k} neighbours asked for but there are only {n} features; use K < {n}.")
    tree = cKDTree(xy)
    # Ask for one more in case self is not first (coincident points), and one more to see ties.
    extra = 2 if k + 2 <= n else 1
    dist, idx = tree.query(xy, k=k + extra, workers=-1)
    dist, idx = dist[:, : k + 1], idx[:, : k + 1]
    rows = np.repeat(np.arange(n), k + 1).reshape(n, k + 1)
    notself = idx != rows
    # Keep the first k entries that are not self in every row.
    order = np.cumsum(notself, axis=1)
    keep = notself & (order <= k)
    cols = idx.copy()
    tied = np.zeros(n, dtype=bool)
    if extra == 2:
        full_d = tree.query(xy, k=k + 2, workers=-1)[0]
        # k-th neighbour distance (self at distance 0 comes first) equals the next one: a tie.
        kth, nxt = full_d[:, k], full_d[:, k + 1]
        tied = np.isclose(kth, nxt, rtol=1e-12, atol=0.0)
    for i in np.flatnonzero(tied):
        # Ties at the k-th distance are broken deterministically: nearer first, then lower feature order.
        radius = full_d[i, k] * (1.0 + 1e-12)
        cand = np.asarray([j for j in tree.query_ball_point(xy[i], radius) if j != i], dtype=np.int64)
        dc = np.hypot(*(xy[cand] - xy[i]).T)
        chosen = cand[np.lexsort((cand, dc))][:k]
        row_keep = np.flatnonzero(keep[i])
        cols[i, row_keep] = chosen
    raw = sparse.csr_matrix((np.ones(keep.sum()), (rows[keep], cols[keep])), shape=(n, n))
    return _finish(raw, K_NEAREST, row_standardise, k=k, knn_ties=int(tied.sum()))


def contiguity_weights(polygons, queen=True, row_standardise=True, decimals=None):
    """Queen (shared vertex) or rook (shared edge) contiguity between polygons.

    Parameters
    ----------
    polygons : sequence
        One entry per feature: a list of rings, each an ``(m, 2)`` array of
        vertex coordinates (closed or not). Multi-part features simply list
        the rings of all parts.
    queen : bool
        True: neighbours share at least one vertex; False (rook): they share
        at least one edge (two consecutive vertices).
    decimals : int, optional
        Round coordinates to this many decimals before matching (to absorb
        floating-point noise between digitised neighbours). None: exact.
    """
    keys_poly = []
    keys = []
    for pid, rings in enumerate(polygons):
        for ring in rings:
            ring = np.asarray(ring, dtype=float)
            if len(ring) == 0:
                continue
            if decimals is not None:
                ring = np.round(ring, decimals)
            if queen:
                keys.append(ring)
                keys_poly.append(np.full(len(ring), pid))
            else:
                a = ring
                b = np.roll(ring, -1, axis=0)
                if np.array_equal(ring[0], ring[-1]):
                    a, b = ring[:-1], ring[1:]
                # An edge key that is independent of direction.
                swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
                lo = np.where(swap[:, None], b, a)
                hi = np.where(swap[:, None], a, b)
                keys.append(np.hstack([lo, hi]))
                keys_poly.append(np.full(len(a), pid))
    n = len(polygons)
    if not keys:
        raw = sparse.csr_matrix((n, n))
        return _finish(raw, QUEEN if queen else ROOK, row_standardise)
    keys = np.vstack(keys)
    poly = np.concatenate(keys_poly)
    _, key_id = np.unique(keys, axis=0, return_inverse=True)
    key_id = key_id.ravel()
    # Unique (key, polygon) incidences, grouped by key.
    inc = np.unique(np.column_stack([key_id, poly]), axis=0)
    starts = np.flatnonzero(np.r_[True, inc[1:, 0] != inc[:-1, 0]])
    counts = np.diff(np.r_[starts, len(inc)])
    rows, cols = [], []
    for size in np.unique(counts[counts > 1]):
        group_starts = starts[counts == size]
        members = inc[group_starts[:, None] + np.arange(size)[None, :], 1]  # (g, size)
        a, b = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
        off = a != b
        rows.append(members[:, a[off]].ravel())
        cols.append(members[:, b[off]].ravel())
    if rows:
        rows = np.concatenate(rows)
        cols = np.concatenate(cols)
        raw = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        raw.data[:] = 1.0  # duplicates (several shared vertices) summed: back to binary
    else:
        raw = sparse.csr_matrix((n, n))
    return _finish(raw, QUEEN if queen else ROOK, row_standardise)


def feature_weights(kind, xy=None, polygons=None, distance=None, k=8, power=1.0,
                    row_standardise=True):
    """Build feature weights of ``kind`` (one of the five neighbourhood codes)."""
    if kind == DISTANCE_BAND:
        return distance_band_weights(xy, distance, row_standardise)
    if kind == INVERSE_DISTANCE:
        return inverse_distance_weights(xy, distance, power, row_standardise)
    if kind == K_NEAREST:
        return knn_weights(xy, k, row_standardise)
    if kind in (QUEEN, ROOK):
        if polygons is None:
            raise WeightsError(
                "Queen and rook contiguity need polygons; for points use a distance band or "
                "k nearest neighbours."
            )
        return contiguity_weights(polygons, queen=kind == QUEEN, row_standardise=row_standardise)
    raise WeightsError(f"Unknown neighbourhood type {kind}.")


# ----------------------------------------------------------------------------
# Grids
# ----------------------------------------------------------------------------
def grid_kernel(kind, radius_cells=1.0, power=1.0, cell_size=1.0):
    """Stencil of a grid neighbourhood (centre weight 0, symmetric).

    Parameters
    ----------
    kind : int
        ``QUEEN`` (8 cells), ``ROOK`` (4 cells), ``DISTANCE_BAND`` (all cells
        whose centre lies within ``radius_cells``), ``INVERSE_DISTANCE``
        (same cells, weight ``(d * cell_size) ** -power``).
    radius_cells : float
        Band radius in cells (for the distance kinds).
    """
    if kind == QUEEN:
        k = np.ones((3, 3))
        k[1, 1] = 0
        return k
    if kind == ROOK:
        return np.array([[0.0, 1, 0], [1, 0, 1], [0, 1, 0]])
    if kind in (DISTANCE_BAND, INVERSE_DISTANCE):
        r = int(np.floor(radius_cells + 1e-9))
        if r < 1:
            raise WeightsError(
                f"A distance band of {radius_cells:g} cells contains no neighbouring cell; "
                "use at least one cell size."
            )
        dy, dx = np.mgrid[-r:r + 1, -r:r + 1]
        d = np.hypot(dy, dx)
        inside = (d <= radius_cells * (1 + 1e-9)) & (d > 0)
        if kind == DISTANCE_BAND:
            return inside.astype(float)
        out = np.zeros_like(d)
        out[inside] = (d[inside] * cell_size) ** -float(power)
        return out
    raise WeightsError(
        "On a raster grid the neighbourhood must be a distance band, inverse distance, queen or rook "
        "contiguity; k nearest neighbours is not defined for grid cells (use a distance band in cells)."
    )


_FFT_MIN_SIZE = 15  # kernels larger than this (per side) are applied by FFT


def _correlate(array, kernel):
    """``out_i = sum_o kernel[o] * array[i + o]`` with zeros outside the grid."""
    if kernel.shape[0] >= _FFT_MIN_SIZE:
        # Convolution with the flipped kernel = correlation; symmetric kernels anyway.
        from scipy.signal import fftconvolve  # here: scipy.signal imports scipy.stats (slow start-up)

        return fftconvolve(array, kernel[::-1, ::-1], mode="same")
    return ndimage.correlate(array, kernel, mode="constant", cval=0.0)


@dataclass(eq=False)
class GridWeights(_Moments):
    """Weights between the valid cells of a raster, as a stencil.

    Cell ``i`` and ``j`` are neighbours with raw weight ``kernel[j - i]`` when
    both are valid. Values are passed as 1-D arrays in the order of
    ``np.nonzero(mask)`` (row-major), like :func:`numpy.ndarray.__getitem__`
    with ``mask``.

    Attributes
    ----------
    mask : 2-D bool array
        Valid cells (the observations).
    kernel : 2-D float array
        Symmetric stencil with a zero centre.
    row_standardised : bool
    kind : int
    radius_cells : float or None
    default_threshold : bool
    """

    mask: np.ndarray
    kernel: np.ndarray
    row_standardised: bool
    kind: int
    radius_cells: Optional[float] = None
    default_threshold: bool = False
    _raw_sums: np.ndarray = field(default=None, repr=False)
    _counts: np.ndarray = field(default=None, repr=False)
    _s012: tuple = field(default=None, repr=False)

    def __post_init__(self):
        self.mask = np.asarray(self.mask, dtype=bool)
        self.kernel = np.asarray(self.kernel, dtype=float)
        if not np.allclose(self.kernel, self.kernel[::-1, ::-1]):
            raise WeightsError("Grid kernels must be symmetric.")
        if self.kernel[self.kernel.shape[0] // 2, self.kernel.shape[1] // 2] != 0:
            raise WeightsError("Grid kernels must have a zero centre.")
        if self._raw_sums is not None and self._counts is not None:
            return  # shared from a sibling with the same mask and kernel
        m = self.mask.astype(float)
        binary = (self.kernel != 0).astype(float)
        counts = _correlate(m, binary)[self.mask]
        self._counts = np.rint(counts).astype(np.int64)
        if self.is_binary:
            self._raw_sums = self._counts.astype(float)
        else:
            self._raw_sums = _correlate(m, self.kernel)[self.mask]
            self._raw_sums[self._counts == 0] = 0.0

    @property
    def is_binary(self):
        """True when every stencil weight is 0 or 1."""
        return bool(np.all((self.kernel == 0) | (self.kernel == 1)))

    @property
    def n(self):
        return int(self._counts.size)

    @property
    def shape(self):
        return self.mask.shape

    @property
    def cardinalities(self):
        """Number of valid neighbouring cells of each valid cell."""
        return self._counts

    def _scale(self):
        """Per-cell row factor: 1 (binary) or 1 / raw row sum (row standardised)."""
        if not self.row_standardised:
            return None
        s = self._raw_sums
        return np.divide(1.0, s, out=np.zeros_like(s), where=s > 0)

    def to_grid(self, values, fill=np.nan):
        """Scatter a length-``n`` array onto the grid (``fill`` elsewhere)."""
        out = np.full(self.mask.shape, fill, dtype=float)
        out[self.mask] = values
        return out

    def _apply(self, values, kernel):
        full = np.zeros(self.mask.shape)
        full[self.mask] = values
        return _correlate(full, kernel)[self.mask]

    def lag(self, values):
        """Spatial lag ``sum_j w_ij x_j`` of a length-``n`` array (by correlation)."""
        lag = self._apply(np.asarray(values, dtype=float), self.kernel)
        scale = self._scale()
        return lag if scale is None else lag * scale

    @property
    def row_sums(self):
        if self.row_standardised:
            return (self._raw_sums > 0).astype(float)
        return self._raw_sums.copy()

    @property
    def row_square_sums(self):
        sq = self._raw_sums if self.is_binary else self._apply_mask(self.kernel ** 2)
        scale = self._scale()
        return sq if scale is None else sq * scale ** 2

    def _apply_mask(self, kernel):
        return _correlate(self.mask.astype(float), kernel)[self.mask]

    def _moments(self):
        k = self.kernel
        scale = self._scale()
        # sum_j k(o)^2 v_j for each valid i
        sq = self._raw_sums if self.is_binary else self._apply_mask(k ** 2)
        if scale is None:
            s0 = float(self._raw_sums.sum())
            s1 = 2.0 * float(sq.sum())  # symmetric: (w_ij + w_ji)^2 = 4 w_ij^2
            s2 = float(((2.0 * self._raw_sums) ** 2).sum())
            return s0, s1, s2
        # Row standardised: w_ij = k(o) v_j c_i with c_i = 1 / r_i.
        s0 = float(np.count_nonzero(self._raw_sums > 0))
        sum_w2 = float((sq * scale ** 2).sum())
        col = self._apply(scale, k)  # w_.i = sum_j k(o) c_j
        k2_scale = col if self.is_binary else self._apply(scale, k ** 2)
        cross = float((scale * k2_scale).sum())  # sum_ij w_ij w_ji
        s1 = sum_w2 + cross
        row = (self._raw_sums > 0).astype(float)
        s2 = float(((row + col) ** 2).sum())
        return s0, s1, s2

    def unstandardised(self):
        if not self.row_standardised:
            return self
        return GridWeights(self.mask, self.kernel, False, self.kind, self.radius_cells,
                           self.default_threshold, self._raw_sums, self._counts)

    def binary(self):
        b = (self.kernel != 0).astype(float)
        return GridWeights(self.mask, b, False, self.kind, self.radius_cells, self.default_threshold)

    def self_weights(self):
        """Self weight used by Gi*, as for features: 1 for binary stencils, otherwise the
        largest raw weight among the cell's valid neighbours (its nearest one); 1 for islands."""
        if self.is_binary:
            return np.ones(self.n)
        out = np.zeros(self.n)
        m = self.mask.astype(float)
        for value in np.unique(self.kernel[self.kernel > 0])[::-1]:
            todo = out == 0
            if not todo.any():
                break
            has = _correlate(m, (self.kernel == value).astype(float))[self.mask] > 0.5
            out[todo & has] = value
        out[out == 0] = 1.0
        return out

    def to_sparse(self):
        """The weights as a CSR matrix (``n x nnz`` memory: only for permutation tests)."""
        rows_all, cols_all = np.nonzero(self.mask)
        index = np.full(self.mask.shape, -1, dtype=np.int64)
        index[self.mask] = np.arange(self.n)
        scale = self._scale()
        rr, cc, vv = [], [], []
        h, w = self.mask.shape
        ch, cw = self.kernel.shape[0] // 2, self.kernel.shape[1] // 2
        for (dy, dx) in zip(*np.nonzero(self.kernel)):
            oy, ox = dy - ch, dx - cw
            ty, tx = rows_all + oy, cols_all + ox
            ok = (ty >= 0) & (ty < h) & (tx >= 0) & (tx < w)
            src = np.flatnonzero(ok)
            tgt = index[ty[ok], tx[ok]]
            good = tgt >= 0
            src, tgt = src[good], tgt[good]
            val = np.full(len(src), self.kernel[dy, dx])
            if scale is not None:
                val = val * scale[src]
            rr.append(src)
            cc.append(tgt)
            vv.append(val)
        m = sparse.csr_matrix((np.concatenate(vv), (np.concatenate(rr), np.concatenate(cc))),
                              shape=(self.n, self.n))
        m.sort_indices()
        return m

    def neighbour_lists(self):
        m = self.to_sparse()
        return m.indptr, m.indices, m.data


def default_grid_band(mask, max_radius=50.0):
    """Smallest band (in cells) that gives every valid cell a valid neighbour.

    Tries the distinct cell distances 1, sqrt 2, 2, sqrt 5, ... up to
    ``max_radius`` cells and returns the first one without islands (or
    ``max_radius`` when some cells stay isolated).
    """
    mask = np.asarray(mask, dtype=bool)
    r = int(np.ceil(max_radius))
    d = np.unique(np.hypot(*np.mgrid[0:r + 1, 0:r + 1]).ravel())
    d = d[(d > 0) & (d <= max_radius)]
    lonely = mask.copy()
    m = mask.astype(float)
    for radius in d:
        kernel = grid_kernel(DISTANCE_BAND, radius)
        has = _correlate(m, kernel) > 0.5
        lonely &= ~has
        if not lonely.any():
            return float(radius)
    return float(max_radius)


def grid_weights(kind, mask, distance_cells=None, power=1.0, cell_size=1.0, row_standardise=True):
    """Build :class:`GridWeights` for the valid cells ``mask``.

    ``distance_cells`` is the band radius in cells for the distance kinds
    (None or 0: :func:`default_grid_band`).
    """
    mask = np.asarray(mask, dtype=bool)
    default = False
    radius = None
    if kind in (DISTANCE_BAND, INVERSE_DISTANCE):
        if not distance_cells:
            distance_cells = default_grid_band(mask)
            default = True
        radius = float(distance_cells)
    kernel = grid_kernel(kind, radius or 1.0, power, cell_size)
    return GridWeights(mask, kernel, bool(row_standardise), kind, radius, default)

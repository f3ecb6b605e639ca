"""Spatial kernel weights between all locations, and the worker pool that builds them.

The kernels, bandwidth conventions and arithmetic of mgwr 2.2.1 (Oshan et al.
2019), built without ``n x n`` matrices beyond what a memory budget allows:

* the kernel is built in row blocks, either from a k-d tree or sorted
  distance tables (small adaptive bisquare bandwidths: only the neighbours with
  a non-zero weight) or from dense distance blocks; whole weight matrices are
  cached (sparse or dense) while they fit a memory budget, so a bandwidth that
  a golden-section search visits again costs one sparse product;
* blocks are computed ahead by a small pool of worker threads (numpy, scipy and
  BLAS release the GIL) while the caller multiplies the block before.

Distances are in the units of the coordinates (metres for a projected CRS).
Adaptive bandwidths count neighbours *including* the location itself, as mgwr
and GWR4 do: the kernel radius at location i is the distance to its ``bw``-th
nearest point (itself first) times ``1.0000001``.

References
----------
Oshan, Li, Kang, Wolf & Fotheringham (2019) mgwr: a Python implementation of
multiscale geographically weighted regression. ISPRS IJGI 8(6), 269.
"""

import os
import threading
from collections import OrderedDict, deque
from concurrent.futures import ThreadPoolExecutor, wait

import numpy as np
from scipy import sparse
from scipy.spatial import ConvexHull, QhullError, cKDTree
from scipy.spatial.distance import cdist, pdist

from .linalg import matmul
from .rank_sums import GROUP, SMALL_GROUP, RankSums

KERNELS = ("bisquare", "gaussian", "exponential")
ADAPTIVE_EPS = 1.0000001  # mgwr/GWR4: radius = k-th neighbour distance * eps

# Work arrays are processed in blocks of about this many float64 numbers.
BLOCK_ELEMENTS = 4_000_000
# Element-wise kernel arithmetic runs on pieces of this many numbers (they stay in cache).
CHUNK_ELEMENTS = 131_072
# Up to this many locations, full sorted distance tables are kept (about 20 n^2 bytes).
TABLE_LIMIT = 4000
# Up to this many, row-sorted float32 distances and int32 neighbour orders (5.4 n^2 bytes;
# 8 n^2 with the full order of SpatialKernel.rank_sums).
LARGE_TABLE_LIMIT = 21000
# Memory for memoized kernel-weighted sums of fixed columns (see SpatialKernel.fixed_sums).
SUMS_BYTES = 64_000_000
# Memory for rank prefix-sum tables (150 MB a column at n = 20,000, 6 MB at n = 2,000): a
# search's table must fit it, and so must the tables kept for later searches (x^2 of each
# back-fitting term; see SpatialKernel.rank_sums).
RANK_BYTES = 460_000_000
# Working memory of a regression beside the kernel tables and cache (smoothers, tiles, temporaries).
WORKING_BYTES = 1_500_000_000


class RegressionError(ValueError):
    """Invalid data or settings for a regression (the message says what to do)."""


def default_cache_bytes(n):
    """The default weight-matrix budget of a :class:`SpatialKernel` of ``n`` locations."""
    if n <= TABLE_LIMIT:
        return 1_500_000_000
    return 3_500_000_000 if n <= LARGE_TABLE_LIMIT else 4_000_000_000


def table_bytes(n, fixed=False, full_order=False):
    """Bytes of the distance tables a :class:`SpatialKernel` of ``n`` locations builds."""
    if n <= TABLE_LIMIT:
        return 20 * n * n
    if n <= LARGE_TABLE_LIMIT:  # built for adaptive radii and for neighbour lists
        return int((8.0 if full_order and not fixed else 5.4) * n * n)
    return 0


def cache_budget(n, available, fixed=False, full_order=False):
    """A weight-matrix budget that fits ``available`` bytes of free memory.

    ``None`` (the default budget) when ``available`` is unknown. Raises
    :class:`RegressionError` when the tables and working memory alone do not
    fit; otherwise the default budget (less the full neighbour order's share,
    as :meth:`SpatialKernel.prefer_rank_sums`), capped at 80 % of what the
    tables and working memory leave free. A small budget costs time (weight
    matrices are rebuilt), never results.
    """
    if available is None:
        return None
    need = table_bytes(n, fixed, full_order) + WORKING_BYTES
    if need > available:
        raise RegressionError(
            f"A regression of {n:,} locations needs at least {need / 2 ** 30:.1f} GiB of memory, "
            f"but only {available / 2 ** 30:.1f} GiB are available. Close other programs, or "
            "aggregate the locations (fewer, larger units) before the regression.")
    default = default_cache_bytes(n)
    if full_order and not fixed and TABLE_LIMIT < n <= LARGE_TABLE_LIMIT:
        default -= int(2.6 * n * n)
    return int(min(default, 0.8 * (available - need)))


# ---------------------------------------------------------------------------
# Spatial kernel
# ---------------------------------------------------------------------------


class SpatialKernel:
    """Kernel weights ``w_ij`` between all locations, built block by block.

    Parameters
    ----------
    coords : (n, 2) array
        Projected coordinates (distance units = bandwidth units for fixed kernels).
    kernel : {"bisquare", "gaussian", "exponential"}
    fixed : bool
        ``True``: bandwidth is a distance; ``False``: number of nearest neighbours
        (including the location itself).
    cache_bytes : int, optional
        Memory budget for cached weight matrices (default 1.5 GB up to
        ``TABLE_LIMIT`` locations, else 3.5 GB beside the 5.4 n^2-byte neighbour
        tables -- two dense single-precision matrices at n = 20,000, the first two
        probes of every golden-section search -- , 2.6 n^2 bytes less once
        :meth:`prefer_rank_sums` asks for the full neighbour order, and 4 GB
        without tables). :meth:`keep_only` can lower it for later work.
    """

    def __init__(self, coords, kernel="bisquare", fixed=False, cache_bytes=None):
        if kernel not in KERNELS:
            raise RegressionError(f"Unknown kernel '{kernel}'. Use one of {', '.join(KERNELS)}.")
        self.coords = np.ascontiguousarray(coords, dtype=float)
        self.n = len(self.coords)
        self.kernel = kernel
        self.fixed = bool(fixed)
        self.truncated = kernel == "bisquare"
        self._default_budget = cache_bytes is None
        if cache_bytes is None:
            cache_bytes = default_cache_bytes(self.n)
        self.cache_bytes = int(cache_bytes)
        self._requests = {}
        self._cache = OrderedDict()
        self._cached_bytes = 0
        self._tree = None
        self._distance_range = None
        self._full = None
        self._sorted = None
        self._radii = {}
        self._sums = OrderedDict()
        self._sums_bytes = 0
        self._full_order = False
        self._rank_sums = None
        self._rank_memo = {}
        self.block_rows = max(1, BLOCK_ELEMENTS // max(self.n, 1))

    # -- geometry ---------------------------------------------------------
    @property
    def tree(self):
        if self._tree is None:
            self._tree = cKDTree(self.coords)
        return self._tree

    def distance_range(self):
        """(smallest nearest-neighbour distance, largest pairwise distance)."""
        if self._distance_range is None:
            d, _ = self.tree.query(self.coords, k=min(2, self.n))
            dmin = float(np.min(d[:, -1])) if self.n > 1 else 0.0
            pts = self.coords
            if self.n > 50:
                try:
                    pts = self.coords[ConvexHull(self.coords).vertices]
                except (QhullError, ValueError):
                    pts = self.coords
            if len(pts) > 6000:  # degenerate hull: fall back to extreme points
                pts = pts[np.unique(np.concatenate([
                    np.argsort(pts[:, 0])[[0, -1]], np.argsort(pts[:, 1])[[0, -1]]]))]
            dmax = float(np.max(pdist(pts))) if len(pts) > 1 else 0.0
            self._distance_range = (dmin, dmax)
        return self._distance_range

    def _kernel_values(self, z):
        """Kernel of the scaled distances ``z = d / radius``, computed in place of ``z``.

        The bisquare kernel is 0 from ``z >= 1`` on: clipping ``z`` at 1 gives
        exactly mgwr's ``(1 - z**2)**2`` inside and its zeros outside.
        """
        if self.kernel == "bisquare":
            np.minimum(z, 1.0, out=z)
            np.multiply(z, z, out=z)
            np.subtract(1.0, z, out=z)
            np.multiply(z, z, out=z)
        elif self.kernel == "gaussian":
            np.multiply(z, z, out=z)
            np.multiply(z, -0.5, out=z)
            np.exp(z, out=z)
        else:
            np.negative(z, out=z)
            np.exp(z, out=z)
        return z

    def _weights(self, d, radius):
        """``kernel(d / radius)`` row-wise, in cache-sized pieces (few passes over memory)."""
        w = np.empty(d.shape)
        step = max(1, CHUNK_ELEMENTS // max(d.shape[1], 1))
        for a in range(0, d.shape[0], step):
            b = a + step
            np.divide(d[a:b], radius[a:b, None], out=w[a:b])
            self._kernel_values(w[a:b])
        return w

    # -- blocks -----------------------------------------------------------
    def _check_radius(self, radius, rows, bw):
        bad = ~(radius > 0)
        if np.any(bad):
            i = int(rows[np.argmax(bad)])
            raise RegressionError(
                f"The bandwidth {bw:g} is too small: location {i} and its nearest "
                "neighbours share the same coordinates, so its kernel radius is 0. "
                "Set a larger minimum bandwidth or remove duplicate locations."
            )

    def _tables(self):
        """Full distance matrix and row-sorted distances/indices (small n only, exact)."""
        if self._full is None and self.n <= TABLE_LIMIT:
            n = self.n
            d = cdist(self.coords, self.coords)
            dist = np.empty((n, n))
            order = np.empty((n, n), dtype=np.int32)
            step = max(64, -(-n // 8))

            def build(r0):  # on a worker thread: rows r0:r0 + step
                order[r0:r0 + step], dist[r0:r0 + step] = _stable_order(d[r0:r0 + step])

            for _ in _prefetch(build, list(range(0, n, step))):
                pass
            self._full = (d, dist, order)
        return self._full

    def _large_tables(self, tick=None):
        """Row-sorted distances (float32) and nearest-neighbour order (int32) for mid-size n.

        All ``n`` sorted distances of every row (4 n^2 bytes, 1.6 GB at n = 20,000)
        and the order of its ``n / 3 + 64`` nearest neighbours -- as many as a
        neighbour-list kernel reads (1.4 n^2 bytes) --, built once in row blocks;
        every later adaptive radius is a lookup and every neighbour list a slice.
        Sorting single-precision values and ordering only the nearest third
        (partition, then sort) is several times faster than a full ``argsort``;
        after :meth:`prefer_rank_sums` (all ``n`` neighbours in order, 4 n^2 bytes,
        for :meth:`rank_sums`) one sort of (distance, index) keys gives both tables
        (:func:`_sorted_keys`; neighbours tied in single precision come in index
        order). Single precision moves a kernel
        radius by at most 6e-8 relative, less than the 1e-7 tie margin of adaptive
        kernels.
        """
        if self._sorted is None and TABLE_LIMIT < self.n <= LARGE_TABLE_LIMIT:
            n = self.n
            m = n if self._full_order else min(n, n // 3 + 64)
            dist = np.empty((n, n), dtype=np.float32)
            order = np.empty((n, m), dtype=np.int32)
            step = max(1, BLOCK_ELEMENTS // n // 4)
            ranges = [(r0, min(n, r0 + step)) for r0 in range(0, n, step)]

            def build(rows):
                r0, r1 = rows
                d = cdist(self.coords[r0:r1], self.coords)
                if m < n:
                    dist[r0:r1] = np.sort(d.astype(np.float32), axis=1)
                    near = np.argpartition(d, m - 1, axis=1)[:, :m]
                    o = np.take_along_axis(
                        near, np.argsort(np.take_along_axis(d, near, axis=1), axis=1), axis=1)
                else:  # one sort of (distance, index) keys gives both tables
                    o = _sorted_keys(d)
                    dist[r0:r1] = (o >> 32).astype(np.uint32).view(np.float32)
                    o &= np.uint64(0xFFFFFFFF)
                order[r0:r1] = o

            for (_, r1), _ in zip(ranges, _prefetch(build, ranges)):
                if tick is not None:
                    tick(r1 / n)
            self._sorted = (dist, order)
        return self._sorted

    @property
    def has_rank_sums(self):
        """Whether :meth:`rank_sums` is available (adaptive bisquare, n <= LARGE_TABLE_LIMIT)."""
        return (not self.fixed and self.truncated
                and self.n <= LARGE_TABLE_LIMIT)

    def _rank_group(self, columns):
        """Ranks per prefix sum of a table of ``columns`` columns: fewer for a single-covariate
        search at small n (short tails), ``GROUP`` otherwise (less memory)."""
        return SMALL_GROUP if self.n <= TABLE_LIMIT and columns <= 2 else GROUP

    def rank_sums_fit(self, columns):
        """Whether :meth:`rank_sums` of this many columns is available and fits ``RANK_BYTES``."""
        if not self.has_rank_sums:
            return False
        return columns * self.n * 3 * (self.n // self._rank_group(columns) + 1) * 8 <= RANK_BYTES

    def prefer_rank_sums(self):
        """Build the sorted tables with every row's full neighbour order (for :meth:`rank_sums`).

        Mid-size n only (small n has full tables anyway): the full order takes
        2.6 n^2 more bytes than the nearest third; the default weight-matrix
        budget shrinks by as much.
        """
        if self.has_rank_sums and self.n > TABLE_LIMIT and not self._full_order:
            self._full_order = True
            if self._default_budget:
                self.cache_bytes -= int(2.6 * self.n * self.n)

    def rank_sums(self, v, progress=None, fixed=None):
        """Prefix sums of the columns ``v`` along the neighbour order (see :mod:`.rank_sums`).

        One pass over the sorted tables (less than one dense kernel evaluation);
        every bandwidth after that is ``O(n)``. ``None`` where
        :attr:`has_rank_sums` is false. Small n uses the exact (double-precision)
        tables of the dense kernels, mid-size n the single-precision ones.

        The last table is kept: asked again for the same ``v`` -- the fit at the
        bandwidth a search found -- it is returned as is; asked for other
        columns, the new table is built in its memory, and the old one is no
        longer valid. ``fixed[j]`` true marks column j as one that comes back in
        later calls (``x^2`` of a back-fitting term, searched again every
        iteration): its table is memoized, within ``RANK_BYTES``, and not
        built again. :meth:`keep_only` drops them all.
        """
        if not self.has_rank_sums:
            return None
        v = np.ascontiguousarray(v, dtype=float).reshape(self.n, -1)
        key = v.tobytes()
        if self._rank_sums is not None and self._rank_sums[0] == key:
            return self._rank_sums[1]
        spare = []
        if self._rank_sums is not None:  # its tables are built over (the memoized ones excepted)
            last = self._rank_sums[1]
            spare = [t for t in last.tables if all(t is not m for m in self._rank_memo.values())]
            last.tables = None  # no longer valid: fails loudly if still used
        self._rank_sums = None
        small = self._tables()
        if small is not None:
            dist, order = small[1], small[2]
        else:
            self.prefer_rank_sums()
            large = self._large_tables()
            if large[1].shape[1] < self.n:  # built before with the nearest third only
                self._sorted = None
                large = self._large_tables()
            dist, order = large
        fixed = list(fixed) if fixed is not None else [False] * v.shape[1]
        names = [v[:, j].tobytes() if fixed[j] else None for j in range(v.shape[1])]
        known = [self._rank_memo.get(name) if name is not None else None for name in names]

        def rows(fn, ranges):
            for (_, r1), _ in zip(ranges, _prefetch(fn, ranges)):
                if progress is not None:
                    progress(r1 / self.n)
                yield

        sums = RankSums(dist, order, v, float(dist[:, -1].max()) or 1.0, rows, known,
                        group=self._rank_group(v.shape[1]), spare=spare)
        for name, old, table in zip(names, known, sums.tables):
            held = sum(t.nbytes for t in self._rank_memo.values())
            if name is not None and old is None and held + table.nbytes <= RANK_BYTES:
                self._rank_memo[name] = table
        self._rank_sums = (key, sums)
        return sums

    def rank_weighted_sums(self, sums, bw):
        """``W(bw) @ v`` from the prefix sums ``sums`` of :meth:`rank_sums`."""
        return sums.sums(int(bw), self.radii(bw))

    def radii(self, bw, tick=None):
        """Adaptive kernel radius of every location for ``bw`` neighbours (cached)."""
        k = int(bw)
        if k in self._radii:
            return self._radii[k]
        tables = self._tables()
        if tables is not None:
            r = tables[1][:, k - 1] * ADAPTIVE_EPS
        else:
            large = self._large_tables(tick)
            if large is not None:
                r = large[0][:, k - 1].astype(float) * ADAPTIVE_EPS
            else:
                r = np.empty(self.n)
                step = max(1, BLOCK_ELEMENTS // self.n)
                for r0 in range(0, self.n, step):
                    r1 = min(self.n, r0 + step)
                    d = cdist(self.coords[r0:r1], self.coords)
                    r[r0:r1] = np.partition(d, k - 1, axis=1)[:, k - 1] * ADAPTIVE_EPS
                    if tick is not None:
                        tick(r1 / self.n)
        self._check_radius(r, np.arange(self.n), bw)
        self._radii[k] = r
        return r

    def _dense_block(self, r0, r1, bw):
        tables = self._tables()
        radius = np.full(r1 - r0, float(bw)) if self.fixed else self.radii(bw)[r0:r1]
        if tables is not None:  # small n: exactly mgwr's arithmetic
            return self._weights(tables[0][r0:r1], radius)
        # large n: fewer passes over the block (same weights up to rounding), in
        # pieces that stay in cache
        z = np.empty((r1 - r0, self.n))
        scale = 1.0 / radius ** 2
        step = max(1, CHUNK_ELEMENTS // self.n)
        for a in range(0, r1 - r0, step):
            b = min(r1 - r0, a + step)
            w = z[a:b]
            cdist(self.coords[r0 + a:r0 + b], self.coords, "sqeuclidean", out=w)
            w *= scale[a:b, None]
            if self.kernel == "bisquare":
                np.subtract(1.0, w, out=w)
                np.maximum(w, 0.0, out=w)
                w *= w
            elif self.kernel == "gaussian":
                w *= -0.5
                np.exp(w, out=w)
            else:
                np.sqrt(w, out=w)
                np.negative(w, out=w)
                np.exp(w, out=w)
        return z

    def _sorted_neighbours(self, r0, r1, kk):
        tables = self._tables()
        if tables is not None:
            return tables[1][r0:r1, :kk], tables[2][r0:r1, :kk]
        large = self._large_tables()
        if large is not None:
            if kk <= large[1].shape[1]:  # single-precision distances, no copy
                return large[0][r0:r1, :kk], large[1][r0:r1, :kk]
            # wider than the stored order (ties): the k-d tree, at the tables' precision
            d, idx = self.tree.query(self.coords[r0:r1], k=kk)
            return d.astype(np.float32).astype(float), idx
        return self.tree.query(self.coords[r0:r1], k=kk)

    def _knn_block(self, r0, r1, bw):
        """Truncated-kernel weights from sorted neighbours: only non-zero entries."""
        n = self.n
        if self.fixed:
            tables = self._tables()
            if tables is not None:
                kk = int(min(n, np.max(np.sum(tables[1][r0:r1] < bw, axis=1)) + 1))
            else:
                kk = min(n, 64)
            d, idx = self._sorted_neighbours(r0, r1, kk)
            radius = np.full(r1 - r0, float(bw))
        else:
            k = int(bw)
            kk = min(n, k + 8)
            d, idx = self._sorted_neighbours(r0, r1, kk)
            radius = (self.radii(bw)[r0:r1] if k in self._radii
                      else d[:, k - 1].astype(float) * ADAPTIVE_EPS)
        # points tied with (or within) the radius beyond column kk: look wider
        while kk < n and np.any(d[:, -1] < radius):
            kk = min(n, 2 * kk)
            d, idx = self._sorted_neighbours(r0, r1, kk)
        self._check_radius(radius, np.arange(r0, r1), bw)
        # neighbours are sorted by distance, so those inside the radius come first (for an
        # adaptive radius, the nearest bw by construction): weights of those columns only
        first = 0 if self.fixed else k
        counts = first + np.count_nonzero(d[:, first:] < radius[:, None], axis=1)
        width = int(counts.max())
        w = self._weights(d[:, :width], radius)
        rows = r1 - r0
        if counts.min() == width:  # as many in every row (no ties): no masking
            return sparse.csr_matrix((w.ravel(), idx[:, :width].ravel(),
                                      np.arange(0, rows * width + 1, width)), shape=(rows, n))
        inside = np.arange(width) < counts[:, None]
        indptr = np.concatenate([[0], np.cumsum(counts)])
        return sparse.csr_matrix((w[inside], idx[:, :width][inside], indptr), shape=(rows, n))

    def sums_key(self, bw, values):
        """Key of the memoized ``W @ values`` (1-D) of bandwidth ``bw``; ``None``: not memoized.

        The back-fitting fits each term ``x_j`` at many bandwidths, again and again
        with new partial residuals: ``W @ x_j^2`` stays the same. Only neighbour-list
        kernels (CSR blocks, sums accumulated row by row in index order, whatever
        the number of columns) are memoized, apart for the weights of a fresh block
        and of its single-precision cached copy (large ``n``), so a memoized value
        is bitwise the one a new product would give. Take the key before the
        product (the product may cache the matrix).
        """
        if not self._use_neighbour_lists(bw):
            return None
        single = self.n > TABLE_LIMIT and float(bw) in self._cache
        return float(bw), single, np.ascontiguousarray(values, dtype=float).tobytes()

    def fixed_sums(self, key, sums=None):
        """The sums memoized under ``key`` (``None`` if none); with ``sums``, memoize them.

        The least recently used go first beyond ``SUMS_BYTES`` (keys included).
        """
        if key is None:
            return None
        if sums is None:
            found = self._sums.get(key)
            if found is not None:
                self._sums.move_to_end(key)
            return found
        size = len(key[2]) + sums.nbytes
        if key not in self._sums and size <= SUMS_BYTES:
            while self._sums and self._sums_bytes + size > SUMS_BYTES:
                old_key, old = self._sums.popitem(last=False)
                self._sums_bytes -= len(old_key[2]) + old.nbytes
            self._sums[key] = np.array(sums, dtype=float)
            self._sums_bytes += size
        return sums

    def _use_neighbour_lists(self, bw):
        if not self.truncated:
            return False
        if not self.fixed:
            return int(bw) * 3 < self.n
        return self.n <= TABLE_LIMIT and float(bw) * 3 < self.distance_range()[1]

    def _make_block(self, r0, r1, bw):
        if self._use_neighbour_lists(bw):
            return self._knn_block(r0, r1, bw)
        return self._dense_block(r0, r1, bw)

    def blocks(self, bw, progress=None):
        """Yield ``(r0, r1, W[r0:r1])`` (dense array or CSR) for bandwidth ``bw``."""
        yield from self.map_blocks(bw, _block_itself, progress)

    def map_blocks(self, bw, fn, progress=None):
        """Yield ``(r0, r1, fn(r0, r1, W[r0:r1]))`` for the row blocks of bandwidth ``bw``.

        ``fn`` runs on worker threads, several blocks at a time (numpy, scipy and
        BLAS release the GIL), so it must only write to its own rows of shared
        arrays. Results come back in row order; progress is reported (and a
        cancel request raised) between blocks.

        Up to ``TABLE_LIMIT`` locations every matrix is cached (float64) within
        the memory budget. Beyond, a bandwidth is cached from its second request
        on, in single precision (products still accumulate in float64): the
        golden-section search of every back-fitting step starts with the same two
        large bandwidths, which then cost one pass over memory instead of a
        kernel evaluation over all pairs.
        """
        key = float(bw)
        if key in self._cache:
            self._requests[key] += 1
            self._cache.move_to_end(key)
            parts = self._cache[key]
            for (r0, r1, _), result in zip(parts, _prefetch(lambda p: fn(*p), parts)):
                if progress is not None:
                    progress(r1 / self.n)
                yield r0, r1, result
            return
        if not np.isfinite(key):
            yield 0, self.n, fn(0, self.n, np.ones((self.n, self.n)))
            return
        if not self.fixed:
            self.radii(bw, progress)
        exact = self._tables() is not None
        self._requests[key] = self._requests.get(key, 0) + 1
        keep = exact or self._requests[key] >= 2
        parts = []
        total = 0
        small = self._use_neighbour_lists(bw)
        if small and not exact and self._large_tables() is None:
            _ = self.tree  # built here, not concurrently by the workers
        step = self.block_rows
        if small:  # neighbour lists: as many rows as hold about BLOCK_ELEMENTS weights
            width = 64 if self.fixed else int(bw) + 8
            step = int(np.clip(BLOCK_ELEMENTS // width, step, 8 * step))
        if exact:  # a few blocks, built side by side by the worker threads
            step = min(step, max(256, -(-self.n // 4)))
        ranges = [(r0, min(self.n, r0 + step)) for r0 in range(0, self.n, step)]

        def build(rows):
            block = self._make_block(rows[0], rows[1], bw)
            store = None
            if keep:
                store = block
                if exact:
                    # a dense adaptive block holds at least n / 3 weights a row: never worth
                    # CSR, so only fixed bisquare blocks are counted
                    if not sparse.issparse(block) and self.truncated and self.fixed:
                        nnz = np.count_nonzero(block)
                        if nnz * 12 < block.nbytes * 0.15:
                            store = sparse.csr_matrix(block)
                else:
                    store = _single(block)
            return store, fn(rows[0], rows[1], block)

        for (r0, r1), (store, result) in zip(ranges, _prefetch(build, ranges)):
            if progress is not None:
                progress(r1 / self.n)
            if keep:
                total += _nbytes(store)
                if self._make_room(key, total):
                    parts.append((r0, r1, store))
                else:
                    keep = False
                    parts = []
            yield r0, r1, result
        if keep:
            self._store(key, parts, total)

    def _make_room(self, key, size):
        """Evict the least requested (then least recently used) matrices until ``size`` more bytes fit.

        Called while a matrix is being built, so that the cache and the matrix
        in the making together stay within the budget. ``False`` if that would
        evict matrices in as much demand as ``key`` (requests count cache hits):
        two large matrices used in turn that do not fit together (the first two
        probes of every golden-section search) then keep one of them cached
        instead of evicting each other before either is used again.
        """
        if size > self.cache_bytes:
            return False
        wanted = self._requests.get(key, 1)
        while self._cache and self._cached_bytes + size > self.cache_bytes:
            victim = min(self._cache, key=lambda k: self._requests.get(k, 1))
            if self._requests.get(victim, 1) >= wanted:
                return False  # everything cached is in as much demand as this one
            self._drop(victim)
        return self._cached_bytes + size <= self.cache_bytes

    def _store(self, key, parts, size):
        """Cache ``parts`` (``size`` bytes) if they fit the budget."""
        if self._make_room(key, size):
            self._cache[key] = parts
            self._cached_bytes += size

    def keep_only(self, bandwidths, cache_bytes=None):
        """Drop the cached weight matrices of every bandwidth not in ``bandwidths`` (and rank sums).

        ``cache_bytes`` lowers the budget from now on (least requested matrices go first).
        """
        self._rank_sums = None
        self._rank_memo = {}
        keep = {float(b) for b in bandwidths}
        for key in [key for key in self._cache if key not in keep]:
            self._drop(key)
        if cache_bytes is not None and cache_bytes < self.cache_bytes:
            self.cache_bytes = int(cache_bytes)
            while self._cached_bytes > self.cache_bytes:
                self._drop(min(self._cache, key=lambda k: self._requests.get(k, 1)))

    def release(self, keep=()):
        """Free the distance tables, rank sums and cached weight matrices (but ``keep``'s).

        For a fit whose remaining steps need none of them (they are rebuilt if asked
        for again): their memory goes to what comes next instead of adding to it.
        """
        self._full = self._sorted = None
        self.keep_only(keep)

    def _drop(self, key):
        self._cached_bytes -= sum(_nbytes(p[2]) for p in self._cache.pop(key))

    def neighbour_order(self, i, k):
        """Indices of the ``k`` nearest locations to ``i`` (itself first)."""
        _, idx = self.tree.query(self.coords[i], k=min(k, self.n))
        return np.atleast_1d(idx)


# ---------------------------------------------------------------------------
# Worker pool and block products
# ---------------------------------------------------------------------------


_POOL = []
_WORKERS = min(4, os.cpu_count() or 1)


def _block_itself(r0, r1, w):
    return w


def _prefetch(fn, items, depth=None):
    """``fn(item)`` for each item, in order, computed ahead by worker threads.

    The kernel arithmetic (numpy and scipy release the GIL) then runs on every
    core while the caller multiplies the block before. Work not yet started is
    dropped when the caller stops early (an error or a cancel request).
    """
    workers = _WORKERS
    nested = threading.current_thread().name.startswith("carbon-kernel")
    if workers < 2 or len(items) < 2 or nested:  # a worker waiting on workers could deadlock
        yield from map(fn, items)
        return
    if not _POOL:
        _POOL.append(ThreadPoolExecutor(max_workers=workers, thread_name_prefix="carbon-kernel"))
    pool = _POOL[0]
    depth = depth or workers
    pending = deque()
    try:
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) > depth:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        # Stopped early: drop the blocks not started and wait for the running ones, so that
        # no worker is still computing (inside BLAS) when the caller unwinds or the process
        # exits (OpenBLAS can deadlock in its exit handler while a call runs in another thread).
        running = [future for future in pending if not future.cancel()]
        if running:
            wait(running)


def _sorted_keys(d):
    """Each row of distances ``d`` sorted, as keys ``float32 bits << 32 | column``.

    For non-negative floats the bit patterns order as the values, so one sort of
    unsigned integers orders every row by single-precision distance (ties by
    column) -- about a third faster than ``argsort`` followed by a gather.
    """
    keys = np.asarray(d, dtype=np.float32).view(np.uint32).astype(np.uint64)
    keys <<= np.uint64(32)
    keys |= np.arange(d.shape[1], dtype=np.uint64)
    keys.sort(axis=1)
    return keys


def _stable_order(d):
    """``argsort(d, axis=1, kind="stable")`` of non-negative distances, and the sorted rows.

    One sort of unsigned keys ``double bits with the low 12 mantissa bits replaced
    by the column`` (columns < 4096) orders each row by distance and ties by
    column, in about half the time; rows where two distances differ only in those
    12 bits (within 1e-12 relative) may come out of order and are sorted again the
    stable way.
    """
    n = d.shape[1]
    if n > 4096:
        order = np.argsort(d, axis=1, kind="stable")
        return order, np.take_along_axis(d, order, axis=1)
    keys = np.ascontiguousarray(d, dtype=np.float64).view(np.uint64) & np.uint64(~0xFFF & (2 ** 64 - 1))
    keys |= np.arange(n, dtype=np.uint64)
    keys.sort(axis=1)
    order = (keys & np.uint64(0xFFF)).astype(np.intp)
    ordered = np.take_along_axis(d, order, axis=1)
    wrong = np.flatnonzero(np.any(ordered[:, 1:] < ordered[:, :-1], axis=1))
    if len(wrong):
        order[wrong] = np.argsort(d[wrong], axis=1, kind="stable")
        ordered[wrong] = np.take_along_axis(d[wrong], order[wrong], axis=1)
    return order, ordered


def _nbytes(m):
    if sparse.issparse(m):
        return m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
    return m.nbytes


def squared_weights(block):
    """``w_ij^2`` of a kernel block (dense array or CSR)."""
    if sparse.issparse(block):  # same sparsity pattern; no index sorting
        return sparse.csr_matrix((block.data ** 2, block.indices, block.indptr), shape=block.shape)
    return block * block


def _single(block):
    """Single-precision copy (CSR rebuilt directly: ``astype`` would sort its indices)."""
    if sparse.issparse(block):
        return sparse.csr_matrix((block.data.astype(np.float32), block.indices, block.indptr),
                                 shape=block.shape)
    return block.astype(np.float32)


def weighted_sums(block, dense):
    """``block @ dense``: kernel-weighted sums of the columns of ``dense``, in float64.

    ``block`` is a kernel block from :meth:`SpatialKernel.map_blocks` (dense or
    CSR, float64 or cached float32); dense products go through the optimised BLAS.
    """
    if block.dtype == np.float32:  # cached in single precision: accumulate in double
        if sparse.issparse(block):
            block = sparse.csr_matrix((block.data.astype(np.float64), block.indices, block.indptr),
                                      shape=block.shape)
        elif dense.ndim > 1 and dense.shape[1] > 4:  # matrix products: one wide copy
            block = block.astype(np.float64)
        else:  # widen a few rows at a time (in cache) instead of copying the whole block
            out = np.empty((block.shape[0],) + dense.shape[1:])
            step = max(1, CHUNK_ELEMENTS // block.shape[1])
            wide = np.empty((step, block.shape[1]))
            for a in range(0, block.shape[0], step):
                b = min(block.shape[0], a + step)
                wide[:b - a] = block[a:b]
                matmul(wide[:b - a], dense, out=out[a:b])
            return out
    if sparse.issparse(block):
        return np.asarray(block @ dense)
    return matmul(block, dense)

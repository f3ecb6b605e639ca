"""Geographically weighted regression (GWR) and ordinary least squares (OLS).

A numpy/scipy engine that reproduces mgwr 2.2.1 (Oshan et al. 2019) with its
default settings -- kernels, golden-section and interval bandwidth searches,
AICc/AIC/BIC/CV criteria and GWR inference -- without ``n x n`` hat matrices:

* the spatial kernel is built in row blocks, either from a k-d tree (small
  adaptive bisquare bandwidths: only the neighbours with a non-zero weight) or
  from dense distance blocks; whole weight matrices are cached (sparse or dense)
  while they fit a memory budget, so a bandwidth that the golden-section search
  visits again costs one sparse product;
* the local ``k x k`` normal equations of all locations of a block are solved at
  once (``np.linalg.solve`` on stacked arrays);
* the hat-matrix diagonal (``tr S``), ``tr S'S`` and the coefficient covariance
  come from the same stacked systems.

Distances are in the units of the coordinates (metres for a projected CRS).
Adaptive bandwidths count neighbours *including* the location itself, as mgwr
and GWR4 do: the kernel radius at location i is the distance to its ``bw``-th
nearest point (itself first) times ``1.0000001``.

References
----------
Fotheringham, Brunsdon & Charlton (2002) *Geographically weighted regression*.
Oshan, Li, Kang, Wolf & Fotheringham (2019) mgwr: a Python implementation of
multiscale geographically weighted regression. ISPRS IJGI 8(6), 269.
"""

import os
import threading
from collections import OrderedDict, deque
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.spatial import ConvexHull, QhullError, cKDTree
from scipy.spatial.distance import cdist, pdist
from scipy.stats import t as t_dist

from .linalg import matmul
from .numerics import constant_columns

KERNELS = ("bisquare", "gaussian", "exponential")
CRITERIA = ("AICc", "AIC", "BIC", "CV")
GOLDEN_DELTA = 0.38197  # 1 - (sqrt(5) - 1) / 2, as mgwr
ADAPTIVE_EPS = 1.0000001  # mgwr/GWR4: radius = k-th neighbour distance * eps

# Work arrays are processed in blocks of about this many float64 numbers.
BLOCK_ELEMENTS = 4_000_000
# Element-wise kernel arithmetic runs on pieces of this many numbers (they stay in cache).
CHUNK_ELEMENTS = 131_072
# Up to this many locations, full sorted distance tables are kept (about 20 n^2 bytes).
TABLE_LIMIT = 4000
# Up to this many, row-sorted float32 distances and int32 neighbour orders (5.4 n^2 bytes).
LARGE_TABLE_LIMIT = 21000


class RegressionError(ValueError):
    """Invalid data or settings for a regression (the message says what to do)."""


def _noop_progress(fraction, message=None):
    return None


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
        ``TABLE_LIMIT`` locations, else 2.2 GB beside the 5.4 n^2-byte neighbour
        tables, 4 GB without them).
    """

    def __init__(self, coords, kernel="bisquare", fixed=False, cache_bytes=None):
        if kernel not in KERNELS:
            raise RegressionError(f"Unknown kernel '{kernel}'. Use one of {', '.join(KERNELS)}.")
        self.coords = np.ascontiguousarray(coords, dtype=float)
        self.n = len(self.coords)
        self.kernel = kernel
        self.fixed = bool(fixed)
        self.truncated = kernel == "bisquare"
        if cache_bytes is None:
            cache_bytes = 1_500_000_000 if self.n <= TABLE_LIMIT else (
                2_200_000_000 if self.n <= LARGE_TABLE_LIMIT else 4_000_000_000)
        self.cache_bytes = int(cache_bytes)
        self._requests = {}
        self._cache = OrderedDict()
        self._cached_bytes = 0
        self._tree = None
        self._distance_range = None
        self._full = None
        self._sorted = None
        self._radii = {}
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
                o = np.argsort(d[r0:r0 + step], axis=1, kind="stable")
                order[r0:r0 + step] = o
                dist[r0:r0 + step] = np.take_along_axis(d[r0:r0 + step], o, axis=1)

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
        (partition, then sort) is several times faster than a full ``argsort``.
        Single precision moves a kernel radius by at most 6e-8 relative, less
        than the 1e-7 tie margin of adaptive kernels.
        """
        if self._sorted is None and TABLE_LIMIT < self.n <= LARGE_TABLE_LIMIT:
            n = self.n
            m = min(n, n // 3 + 64)
            dist = np.empty((n, n), dtype=np.float32)
            order = np.empty((n, m), dtype=np.int32)
            step = max(1, BLOCK_ELEMENTS // n // 4)
            ranges = [(r0, min(n, r0 + step)) for r0 in range(0, n, step)]

            def build(rows):
                r0, r1 = rows
                d = cdist(self.coords[r0:r1], self.coords)
                dist[r0:r1] = np.sort(d.astype(np.float32), axis=1)
                if m < n:
                    near = np.argpartition(d, m - 1, axis=1)[:, :m]
                    o = np.take_along_axis(
                        near, np.argsort(np.take_along_axis(d, near, axis=1), axis=1), axis=1)
                else:
                    o = np.argsort(d, axis=1)
                order[r0:r1] = o

            for (_, r1), _ in zip(ranges, _prefetch(build, ranges)):
                if tick is not None:
                    tick(r1 / n)
            self._sorted = (dist, order)
        return self._sorted

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
            if kk <= large[1].shape[1]:
                return large[0][r0:r1, :kk].astype(float), large[1][r0:r1, :kk]
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
            radius = self.radii(bw)[r0:r1] if k in self._radii else d[:, k - 1] * ADAPTIVE_EPS
        # points tied with (or within) the radius beyond column kk: look wider
        while kk < n and np.any(d[:, -1] < radius):
            kk = min(n, 2 * kk)
            d, idx = self._sorted_neighbours(r0, r1, kk)
        self._check_radius(radius, np.arange(r0, r1), bw)
        inside = d < radius[:, None]
        w = self._weights(d, radius)
        counts = np.count_nonzero(inside, axis=1)
        indptr = np.concatenate([[0], np.cumsum(counts)])
        return sparse.csr_matrix((w[inside], idx[inside], indptr), shape=(r1 - r0, n))

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
                    if not sparse.issparse(block) and self.truncated:
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
        """Evict the least requested (then oldest) matrices until ``size`` more bytes fit.

        Called while a matrix is being built, so that the cache and the matrix
        in the making together stay within the budget. ``False`` if that would
        evict matrices in more demand than ``key``.
        """
        if size > self.cache_bytes:
            return False
        wanted = self._requests.get(key, 1)
        while self._cache and self._cached_bytes + size > self.cache_bytes:
            victim = min(self._cache, key=lambda k: self._requests.get(k, 1))
            if self._requests.get(victim, 1) > wanted:
                return False  # everything cached is in more demand than this one
            old = self._cache.pop(victim)
            self._cached_bytes -= sum(_nbytes(p[2]) for p in old)
        return self._cached_bytes + size <= self.cache_bytes

    def _store(self, key, parts, size):
        """Cache ``parts`` (``size`` bytes) if they fit the budget."""
        if self._make_room(key, size):
            self._cache[key] = parts
            self._cached_bytes += size

    def keep_only(self, bandwidths):
        """Drop the cached weight matrices of every bandwidth not in ``bandwidths``."""
        keep = {float(b) for b in bandwidths}
        for key in [key for key in self._cache if key not in keep]:
            self._cached_bytes -= sum(_nbytes(p[2]) for p in self._cache.pop(key))

    def neighbour_order(self, i, k):
        """Indices of the ``k`` nearest locations to ``i`` (itself first)."""
        _, idx = self.tree.query(self.coords[i], k=min(k, self.n))
        return np.atleast_1d(idx)


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


def _nbytes(m):
    if sparse.issparse(m):
        return m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
    return m.nbytes


def _square(block):
    if sparse.issparse(block):  # same sparsity pattern; no index sorting
        return sparse.csr_matrix((block.data ** 2, block.indices, block.indptr), shape=block.shape)
    return block * block


def _single(block):
    """Single-precision copy (CSR rebuilt directly: ``astype`` would sort its indices)."""
    if sparse.issparse(block):
        return sparse.csr_matrix((block.data.astype(np.float32), block.indices, block.indptr),
                                 shape=block.shape)
    return block.astype(np.float32)


def _times(block, dense):
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


# ---------------------------------------------------------------------------
# Criteria
# ---------------------------------------------------------------------------


def gaussian_loglike(rss, n):
    """Log-likelihood of a Gaussian model with residual sum of squares ``rss``."""
    return -np.log(rss) * n / 2.0 - (1.0 + np.log(np.pi / (n / 2.0))) * n / 2.0


def information_criterion(criterion, rss, tr_s, n, cv_resid=None):
    """AICc / AIC / BIC of a Gaussian (G)WR with ``tr_s`` effective parameters, or CV."""
    if criterion == "CV":
        return float(np.sum(cv_resid ** 2) / n)
    llf = gaussian_loglike(rss, n)
    if criterion == "AICc":
        return float(-2.0 * llf + 2.0 * n * (tr_s + 1.0) / (n - tr_s - 2.0))
    if criterion == "AIC":
        return float(-2.0 * llf + 2.0 * (tr_s + 1.0))
    if criterion == "BIC":
        return float(-2.0 * llf + (tr_s + 1.0) * np.log(n))
    raise RegressionError(f"Unknown criterion '{criterion}'. Use one of {', '.join(CRITERIA)}.")


# ---------------------------------------------------------------------------
# Local fits
# ---------------------------------------------------------------------------


def _pair_products(X):
    n, k = X.shape
    return (X[:, :, None] * X[:, None, :]).reshape(n, k * k)


def batched_inverse(a):
    """Inverses of a stack of small ``k x k`` matrices, and a mask of singular ones.

    Gauss-Jordan elimination with partial pivoting, vectorised over the stack.
    For the tiny matrices of local regressions this is much faster than LAPACK
    called once per matrix (whose thread start-up dominates on a busy machine),
    and it tells which locations are singular instead of failing as a whole.
    """
    a = np.array(a, dtype=float, copy=True)
    m, k, _ = a.shape
    inv = np.broadcast_to(np.eye(k), a.shape).copy()
    rows = np.arange(m)
    scale = np.max(np.abs(a), axis=(1, 2))
    singular = ~(scale > 0)
    for c in range(k):
        p = c + np.argmax(np.abs(a[:, c:, c]), axis=1)
        swap = p != c
        if np.any(swap):
            r = rows[swap]
            pr = p[swap]
            top_a, top_i = a[r, c, :].copy(), inv[r, c, :].copy()
            a[r, c, :], inv[r, c, :] = a[r, pr, :], inv[r, pr, :]
            a[r, pr, :], inv[r, pr, :] = top_a, top_i
        piv = a[:, c, c]
        bad = np.abs(piv) <= 1e-14 * scale
        singular |= bad
        piv = np.where(bad, 1.0, piv)
        a[:, c, :] /= piv[:, None]
        inv[:, c, :] /= piv[:, None]
        f = a[:, :, c].copy()
        f[:, c] = 0.0
        a -= f[:, :, None] * a[:, None, c, :]
        inv -= f[:, :, None] * inv[:, None, c, :]
    return inv, singular


def _invert_stack(a, row0, names, skernel, X, bw):
    inv, singular = batched_inverse(a)
    if np.any(singular):
        raise singular_local_error(row0 + np.flatnonzero(singular), names, skernel, X, bw)
    return inv


def singular_local_error(rows, names, skernel, X, bw):
    """A :class:`RegressionError` naming the culprit variable and a minimum bandwidth."""
    rows = list(rows)[:50]
    k = X.shape[1]
    names = list(names) if names is not None else [f"x{j}" for j in range(k)]
    culprits = set()
    needed = k + 1
    for i in rows:
        order = skernel.neighbour_order(i, skernel.n)
        m = k
        while m <= skernel.n and np.linalg.matrix_rank(X[order[:m]]) < k:
            m += 1
        needed = max(needed, m + 1)
        local = X[order[:max(int(bw) if not skernel.fixed else k, k)]]
        constant = constant_columns(local)
        for j in range(k):
            if constant[j] and names[j] != "Intercept":
                culprits.add(names[j])
    which = (f" '{', '.join(sorted(culprits))}' is constant among the neighbours of "
             f"location {rows[0]}" if culprits else
             f" the explanatory variables are collinear among the neighbours of location {rows[0]}")
    unit = "neighbours" if not skernel.fixed else "(distance units)"
    hint = (f"Set the minimum bandwidth to at least {needed} neighbours"
            if not skernel.fixed else
            f"Use a larger minimum distance bandwidth than {bw:g} {unit}, or an adaptive bandwidth")
    return RegressionError(
        f"The local regression is singular at bandwidth {bw:g}:{which}. {hint}, "
        "or remove/merge that variable."
    )


@dataclass
class LocalFit:
    """Result of one GWR calibration at a fixed bandwidth."""

    params: np.ndarray  # (n, k)
    predy: np.ndarray
    resid: np.ndarray
    influ: np.ndarray  # diagonal of the hat matrix S
    tr_s: float
    rss: float
    cct: np.ndarray = None  # (n, k) diag((X'WX)^-1 X'W^2X (X'WX)^-1), unscaled
    tr_sts: float = None
    local_r2: np.ndarray = None
    inverse: np.ndarray = None  # (n, k, k) (X'W_iX)^-1, when asked


def gwr_fit(skernel, y, X, bw, full=False, keep_inverse=False, names=None, progress=None):
    """Calibrate a GWR at bandwidth ``bw`` (lite: params, influence, residuals).

    ``full=True`` also returns the unscaled coefficient covariance diagonal,
    ``tr(S'S)`` and local R2. Never builds ``n x n`` matrices beyond one block.
    """
    n, k = X.shape
    y = np.asarray(y, dtype=float).reshape(-1)
    if k == 1:
        fit = _gwr_fit_single(skernel, y, X[:, 0], bw, full, progress)
        if keep_inverse:
            fit.inverse = (fit.influ / X[:, 0] ** 2)[:, None, None]
        return fit
    xx = _pair_products(X)
    xy = X * y[:, None]
    params = np.empty((n, k))
    influ = np.empty(n)
    cct = np.empty((n, k)) if full else None
    sts = np.empty(n) if full else None
    inverse = np.empty((n, k, k)) if keep_inverse else None
    extra = np.column_stack([np.ones(n), y, y * y]) if full else None
    wsums = np.empty((n, 3)) if full else None

    def local(r0, r1, w):  # on a worker thread: writes rows r0:r1 only
        a = _times(w, xx).reshape(-1, k, k)
        b = _times(w, xy)
        inv = _invert_stack(a, r0, names, skernel, X, bw)
        params[r0:r1] = np.einsum("rkl,rl->rk", inv, b)
        xi = X[r0:r1]
        cx = np.einsum("rkl,rl->rk", inv, xi)
        influ[r0:r1] = np.einsum("rk,rk->r", xi, cx)
        if keep_inverse:
            inverse[r0:r1] = inv
        if full:
            a2 = _times(_square(w), xx).reshape(-1, k, k)
            m = np.einsum("rkl,rlm,rmj->rkj", inv, a2, inv)
            cct[r0:r1] = np.einsum("rkk->rk", m)
            sts[r0:r1] = np.einsum("rk,rkl,rl->r", xi, m, xi)
            wsums[r0:r1] = _times(w, extra)

    for _ in skernel.map_blocks(bw, local, progress):
        pass
    predy = np.einsum("ik,ik->i", X, params)
    resid = y - predy
    rss = float(np.einsum("i,i->", resid, resid))
    fit = LocalFit(params, predy, resid, influ, float(np.sum(influ)), rss, inverse=inverse)
    if full:
        fit.cct = cct
        fit.tr_sts = float(np.sum(sts))
        fit.local_r2 = _local_r2(skernel, bw, wsums, resid)
    return fit


def _local_r2(skernel, bw, wsums, resid):
    e2 = np.empty(skernel.n)
    for r0, r1, s in skernel.map_blocks(bw, lambda r0, r1, w: _times(w, resid * resid)):
        e2[r0:r1] = s
    sw, swy, swy2 = wsums.T
    tss = swy2 - swy * swy / sw
    return (tss - e2) / tss


def _gwr_fit_single(skernel, y, x, bw, full, progress):
    """Single-covariate GWR in closed form: beta_i = sum w x y / sum w x^2."""
    n = len(y)
    num = np.empty(n)
    den = np.empty(n)
    den2 = np.empty(n) if full else None
    v = np.column_stack([x * y, x * x])

    def local(r0, r1, w):  # on a worker thread: writes rows r0:r1 only
        s = _times(w, v)
        num[r0:r1] = s[:, 0]
        den[r0:r1] = s[:, 1]
        if full:
            den2[r0:r1] = _times(_square(w), x * x)

    for _ in skernel.map_blocks(bw, local, progress):
        pass
    beta = num / den
    predy = beta * x
    resid = y - predy
    influ = x * x / den
    fit = LocalFit(beta[:, None], predy, resid, influ, float(np.sum(influ)),
                   float(np.einsum("i,i->", resid, resid)))
    if full:
        fit.cct = (den2 / den ** 2)[:, None]
        fit.tr_sts = float(np.sum(x * x * x * x * den2 / den ** 2))
    return fit


def fit_score(fit, criterion, n):
    cv = fit.resid / (1.0 - fit.influ) if criterion == "CV" else None
    return information_criterion(criterion, fit.rss, fit.tr_s, n, cv)


# ---------------------------------------------------------------------------
# Bandwidth searches (mgwr's exact rules)
# ---------------------------------------------------------------------------


def golden_section(a, c, function, tol=1.0e-6, max_iter=200, int_score=False):
    """mgwr's golden-section search (integer rounding for adaptive bandwidths).

    Returns ``(bandwidth, score, history)``; the bandwidth is rounded to 2
    decimals as mgwr does.
    """
    delta = GOLDEN_DELTA
    b = a + delta * np.abs(c - a)
    d = c - delta * np.abs(c - a)
    opt_val, opt_score = None, np.inf
    diff = 1.0e9
    iters = 0
    scores = {}
    history = []
    while np.abs(diff) > tol and iters < max_iter:
        iters += 1
        if int_score:
            b = np.round(b)
            d = np.round(d)
        if b not in scores:
            scores[b] = function(b)
        score_b = scores[b]
        if d not in scores:
            scores[d] = function(d)
        score_d = scores[d]
        if score_b <= score_d:
            opt_val, opt_score = b, score_b
            c = d
            d = b
            b = a + delta * np.abs(c - a)
        else:
            opt_val, opt_score = d, score_d
            a = b
            b = d
            d = c - delta * np.abs(c - a)
        history.append((float(opt_val), float(opt_score)))
        opt_val = np.round(opt_val, 2)
        diff = score_b - score_d
    return float(opt_val), float(opt_score), history


def equal_interval(lower, upper, step, function, int_score=False):
    """mgwr's interval search from ``lower`` to ``upper`` by ``step`` (both ends scored)."""
    if not step or step <= 0:
        raise RegressionError("The interval search needs a positive step.")
    a, c, b = lower, upper, lower + step
    if int_score:
        a, c, b = np.round(a, 0), np.round(c, 0), np.round(b, 0)
    history = []
    opt_val, opt_score = a, function(a)
    history.append((float(a), opt_score))
    while b < c:
        s = function(b)
        history.append((float(b), s))
        if s < opt_score:
            opt_val, opt_score = b, s
        b = b + step
    s = function(c)
    history.append((float(c), s))
    if s < opt_score:
        opt_val, opt_score = c, s
    return float(opt_val), float(opt_score), history


def search_bounds(skernel, n_vars, bw_min=None, bw_max=None):
    """mgwr's default search interval: [40 + 2 k, n] neighbours or [dmin/2, 2 dmax]."""
    if skernel.fixed:
        dmin, dmax = skernel.distance_range()
        a, c = dmin / 2.0, dmax * 2.0
    else:
        a, c = 40 + 2 * n_vars, skernel.n
    if bw_min is not None:
        a = bw_min
    if bw_max is not None and np.isfinite(bw_max):
        c = bw_max
    return a, c


def select_bandwidth(skernel, y, X, criterion="AICc", search="golden_section",
                     bw_min=None, bw_max=None, interval=0.0, tol=1.0e-6, max_iter=200,
                     names=None, progress=None):
    """Optimal bandwidth of a GWR of ``y`` on ``X`` (``X`` includes any intercept).

    Equivalent to ``mgwr.sel_bw.Sel_BW(coords, y, X, constant=False, ...).search``
    (with an intercept column in ``X``: ``Sel_BW(coords, y, X[:, 1:])``).
    """
    if criterion not in CRITERIA:
        raise RegressionError(f"Unknown criterion '{criterion}'. Use one of {', '.join(CRITERIA)}.")
    n, k = X.shape
    progress = progress or _noop_progress
    calls = [0]

    def score(bw):
        calls[0] += 1
        now = min(0.95, 1.0 - 0.9 ** calls[0])
        progress(now)
        if not skernel.fixed and (bw < 1 or bw > n):
            raise RegressionError(
                f"An adaptive bandwidth must be between 1 and the number of observations ({n}); "
                f"got {bw:g}.")
        # the per-block ticks let a cancel request through within one evaluation
        return fit_score(gwr_fit(skernel, y, X, bw, names=names,
                                 progress=lambda f, m=None: progress(now)), criterion, n)

    if search == "golden_section":
        a, c = search_bounds(skernel, k, bw_min, bw_max)
        if a > c:
            raise RegressionError(
                f"The minimum bandwidth ({a:g}) is larger than the maximum ({c:g}).")
        return golden_section(a, c, score, tol, max_iter, int_score=not skernel.fixed)
    if search == "interval":
        if bw_min is None or bw_max is None:
            raise RegressionError("The interval search needs a minimum and a maximum bandwidth.")
        return equal_interval(bw_min, bw_max, interval, score, int_score=not skernel.fixed)
    raise RegressionError(f"Unknown search method '{search}'.")


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------


def critical_t(alpha_adjusted, n):
    """Two-sided critical t for ``alpha_adjusted`` with ``n - 1`` degrees of freedom."""
    return t_dist.ppf(1.0 - np.abs(alpha_adjusted) / 2.0, n - 1)


@dataclass
class RegressionResult:
    """A fitted OLS, GWR or MGWR model (names follow mgwr's results)."""

    model: str
    names: list
    params: np.ndarray  # (n, k); OLS: repeated global coefficients
    bse: np.ndarray
    tvalues: np.ndarray
    predy: np.ndarray
    resid: np.ndarray
    std_resid: np.ndarray
    bandwidths: np.ndarray  # (k,) (all equal for GWR, inf for OLS)
    enp: np.ndarray  # (k,) ENP per term (MGWR); GWR: the model ENP; OLS: 1
    adj_alpha: np.ndarray  # (k,) adjusted alpha (0.05 level)
    adj_t_crit: np.ndarray  # (k,)
    tr_s: float
    sigma2: float
    rss: float
    aicc: float
    aic: float
    bic: float
    r2: float
    adj_r2: float
    n: int
    local_r2: np.ndarray = None
    influ: np.ndarray = None
    tr_sts: float = None
    cv: float = None
    pvalues: np.ndarray = None  # OLS only
    iterations: int = 0
    scores: list = field(default_factory=list)
    bandwidth_history: np.ndarray = None
    converged: bool = True
    inference: str = "exact"
    bw_init: float = None  # MGWR: bandwidth of the initial GWR

    @property
    def significant(self):
        """(n, k) 1 where |t| exceeds the term's adjusted critical t, else 0."""
        return (np.abs(self.tvalues) > self.adj_t_crit[None, :]).astype(int)


def _common_stats(y, predy, tr_s, n, enp=None):
    resid = y - predy
    rss = float(resid @ resid)
    tss = float(np.sum((y - y.mean()) ** 2))
    llf = gaussian_loglike(rss, n)
    r2 = 1.0 - rss / tss
    adj_r2 = 1.0 - (1.0 - r2) * (n - 1) / (n - (tr_s if enp is None else enp) - 1)
    return dict(
        resid=resid, rss=rss, r2=r2, adj_r2=adj_r2,
        aicc=float(-2.0 * llf + 2.0 * n * (tr_s + 1.0) / (n - tr_s - 2.0)),
        aic=float(-2.0 * llf + 2.0 * (tr_s + 1.0)),
        bic=float(-2.0 * llf + (tr_s + 1.0) * np.log(n)),
    )


def fit_gwr(coords, y, X, *, bw=None, names=None, kernel="bisquare", fixed=False,
            criterion="AICc", search="golden_section", bw_min=None, bw_max=None,
            interval=0.0, sigma2_v1=True, skernel=None, progress=None):
    """Select the bandwidth (unless ``bw`` is given) and calibrate a GWR with inference.

    ``X`` must contain the intercept column if one is wanted. Matches
    ``GWR(coords, y, X, bw).fit()`` of mgwr 2.2.1 (params, bse, tvalues, tr S,
    AICc, R2, local R2, adjusted critical t). ``sigma2_v1=False`` uses GWR4's
    residual variance ``RSS / (n - 2 tr S + tr S'S)`` (and ENP ``2 tr S - tr S'S``).
    """
    y = np.asarray(y, dtype=float).reshape(-1)
    X = np.asarray(X, dtype=float)
    n, k = X.shape
    progress = progress or _noop_progress
    skernel = skernel or SpatialKernel(coords, kernel, fixed)
    if bw is None:
        bw, _, _ = select_bandwidth(skernel, y, X, criterion, search, bw_min, bw_max,
                                    interval, names=names,
                                    progress=lambda f, m=None: progress(0.8 * f, m or "Bandwidth search"))
    progress(0.85, "GWR inference")
    fit = gwr_fit(skernel, y, X, bw, full=True, names=names)
    tr_s = fit.tr_s
    if np.any(fit.influ >= 1.0 - 1e-10) or tr_s >= n - 2:
        raise RegressionError(
            f"The bandwidth {bw:g} is too small: some local regressions have no more neighbours "
            f"than parameters ({k}) and reproduce their observation exactly. Use a bandwidth "
            f"of at least {2 * k + 2} neighbours (or a larger distance).")
    if sigma2_v1:
        sigma2 = fit.rss / (n - tr_s)
        enp = tr_s
    else:
        sigma2 = fit.rss / (n - 2.0 * tr_s + fit.tr_sts)
        enp = 2.0 * tr_s - fit.tr_sts
    stats = _common_stats(y, fit.predy, tr_s, n, enp)
    bse = np.sqrt(fit.cct * sigma2)
    adj_alpha = np.full(k, 0.05 * k / enp)
    return RegressionResult(
        model="GWR", names=list(names) if names else [f"x{j}" for j in range(k)],
        params=fit.params, bse=bse, tvalues=fit.params / bse, predy=fit.predy,
        resid=stats["resid"], std_resid=stats["resid"] / np.sqrt(sigma2 * (1.0 - fit.influ)),
        bandwidths=np.full(k, float(bw)), enp=np.full(k, enp), adj_alpha=adj_alpha,
        adj_t_crit=critical_t(adj_alpha, n), tr_s=tr_s, sigma2=sigma2, rss=fit.rss,
        aicc=stats["aicc"], aic=stats["aic"], bic=stats["bic"], r2=stats["r2"],
        adj_r2=stats["adj_r2"], n=n, local_r2=fit.local_r2, influ=fit.influ,
        tr_sts=fit.tr_sts, cv=float(np.sum((fit.resid / (1 - fit.influ)) ** 2) / n),
    )


def fit_ols(y, X, *, names=None):
    """Ordinary least squares with classical standard errors (``X`` includes the intercept)."""
    y = np.asarray(y, dtype=float).reshape(-1)
    X = np.asarray(X, dtype=float)
    n, k = X.shape
    if n <= k + 1:
        raise RegressionError(
            f"OLS needs more observations ({n}) than parameters plus one ({k + 1}).")
    xtx = X.T @ X
    if np.linalg.matrix_rank(X) < k:
        raise RegressionError("The explanatory variables are perfectly collinear; remove one of them.")
    inv = np.linalg.inv(xtx)
    beta = inv @ (X.T @ y)
    predy = X @ beta
    stats = _common_stats(y, predy, float(k), n)
    stats["adj_r2"] = 1.0 - (1.0 - stats["r2"]) * (n - 1) / (n - k)  # classical OLS
    sigma2 = stats["rss"] / (n - k)
    se = np.sqrt(np.diag(inv) * sigma2)
    tval = beta / se
    influ = np.einsum("ik,kl,il->i", X, inv, X)
    # OLS: no multiple-testing correction; the usual two-sided 5 % level.
    adj_alpha = np.full(k, 0.05)
    return RegressionResult(
        model="OLS", names=list(names) if names else [f"x{j}" for j in range(k)],
        params=np.tile(beta, (n, 1)), bse=np.tile(se, (n, 1)), tvalues=np.tile(tval, (n, 1)),
        predy=predy, resid=stats["resid"],
        std_resid=stats["resid"] / np.sqrt(sigma2 * (1.0 - influ)),
        bandwidths=np.full(k, np.inf), enp=np.ones(k), adj_alpha=adj_alpha,
        adj_t_crit=np.full(k, t_dist.ppf(0.975, n - k)), tr_s=float(k), sigma2=sigma2,
        rss=stats["rss"], aicc=stats["aicc"], aic=stats["aic"], bic=stats["bic"],
        r2=stats["r2"], adj_r2=stats["adj_r2"], n=n, influ=influ,
        pvalues=2.0 * t_dist.sf(np.abs(tval), n - k),
    )

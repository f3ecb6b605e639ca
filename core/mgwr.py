"""Multiscale geographically weighted regression (MGWR) by back-fitting.

Reproduces mgwr 2.2.1 (``Sel_BW(coords, y, X, multi=True).search()`` followed by
``MGWR(coords, y, X, selector).fit()``) with its default settings:

1. start from a GWR (bandwidth chosen by the same criterion and search);
2. back-fit: for each term j in turn, fit its partial residual
   ``beta_j x_j + e`` with a single-covariate GWR whose bandwidth minimises the
   criterion -- in closed form, ``beta_ij = sum_l w_il x_lj r_l / sum_l w_il x_lj^2``
   (for an adaptive bisquare kernel, every bandwidth a search scores comes from
   one table of neighbour-rank prefix sums, :mod:`.rank_sums`, and so do those
   of the initial GWR's search where its table fits);
   once all bandwidths have stayed the same for ``bws_same_times`` iterations the
   searches stop and the bandwidths are kept;
3. stop when the score of change
   ``SOC = sqrt(mean((XB_new - XB_old)^2) / sum_i (sum_j XB_new_ij)^2)``
   falls below ``tol`` (1e-5) or after ``max_iter`` (200) iterations.

Inference uses the covariate-specific hat matrices ``R_j`` (``S = sum_j R_j``),
obtained as mgwr does by replaying the back-fitting history on the columns of
the identity (Yu et al. 2019; Li & Fotheringham 2020), but block-wise: a block of
``c`` columns costs ``O(n k c)`` memory, and each smoothing step is a few dense
matrix products instead of a Python loop. Up to ``WHOLE_LIMIT`` locations each
term's smoother is held whole and cut into compact spatial tiles that keep only
the columns their kernels reach (a bisquare kernel of 150 neighbours among 2,000
locations needs about a third of the matrix); beyond, it is streamed block by
block. The replay numbers the locations tile by tile, so that a tile's rows and
the columns it reaches are a few contiguous runs, read and written in place;
each tile's product then completes the next term's input while it is in cache.
``ENP_j = tr(R_j)`` and the coefficient variances ``diag(C_j C_j') sigma^2``
(``C_j = R_j / x_j`` row-wise) follow. For large ``n`` (above
``exact_limit``) the same replay runs on Rademacher probe vectors instead of
identity columns (Hutchinson's estimator of ``tr R_j`` and of the row norms
of ``C_j``): an unbiased, documented approximation whose cost no longer grows
with ``n^2``.

References
----------
Fotheringham, Yang & Kang (2017) Multiscale geographically weighted regression.
Annals AAG 107(6), 1247-1265.
Yu, Fotheringham, Li, Oshan, Kang & Wolf (2019) Inference in multiscale GWR.
Geographical Analysis 52(1), 87-106.
Li & Fotheringham (2020) Computational improvements to MGWR. IJGIS 34(7).
"""

import time
from collections import Counter, OrderedDict

import numpy as np
from scipy import sparse

from .gwr import RegressionResult, critical_t, gwr_fit, model_statistics, no_progress, select_bandwidth
from .kernel import RegressionError, SpatialKernel, weighted_sums
from .linalg import matmul, matmul_add

# Replay blocks hold about this many float64 numbers per (n, k, c) array.
REPLAY_ELEMENTS = 25_000_000
# Rows per spatial tile of the exact replay's smoothers.
TILE_ROWS = 32
# A tile's reach is cut into at most this many contiguous column runs, else its columns are
# gathered; gaps of up to RUN_GAP columns inside a run are bridged with zero weights.
MAX_RUNS = 32
RUN_GAP = 16
# Up to this many locations the exact replay holds kernel matrices whole (8 n^2 bytes each).
WHOLE_LIMIT = 5000
# Beyond, the kernel cache is cut to this many bytes for the inference (room for its smoothers).
INFERENCE_CACHE_BYTES = 2_200_000_000
# Bytes of smoothers the replay keeps: held whole (up to WHOLE_LIMIT) or streamed beyond.
SMOOTHER_BYTES = 1_500_000_000
STREAMED_SMOOTHER_BYTES = 800_000_000


class _Throttle:
    """Calls ``progress`` at most every ``every`` seconds (always on messages)."""

    def __init__(self, progress, every=0.25):
        self.progress = progress or no_progress
        self.every = every
        self.last = 0.0
        self.fraction = 0.0

    def __call__(self, fraction=None, message=None):
        """Report ``fraction`` (``None``: the last one again, a cancel check)."""
        if fraction is not None:
            self.fraction = fraction
        now = time.monotonic()
        if message is not None or now - self.last >= self.every:
            self.last = now
            self.progress(self.fraction, message)


def backfit(skernel, y, X, criterion="AICc", search="golden_section", bw_min=None,
            bw_max=None, interval=0.0, bandwidths=None, init_bw=None, tol=1.0e-5,
            max_iter=200, bws_same_times=5, names=None, progress=None):
    """MGWR back-fitting (mgwr's ``multi_bw``); returns a dict of the run.

    ``bandwidths`` (one per column of ``X``) fixes the bandwidths instead of
    searching them. Keys: ``params``, ``bws``, ``bw_init``, ``history`` (iterations
    x k bandwidths), ``scores`` (SOC per iteration), ``converged``, ``resid``.
    """
    y = np.asarray(y, dtype=float).reshape(-1)
    n, k = X.shape
    report = _Throttle(progress)
    names = list(names) if names is not None else [f"x{j}" for j in range(k)]
    if bandwidths is None and skernel.has_rank_sums:  # single-covariate searches, below
        skernel.prefer_rank_sums()

    if init_bw is None:
        report(0.0, "Initial GWR: bandwidth search")
        init_bw, _, _ = select_bandwidth(skernel, y, X, criterion, search, bw_min, bw_max,
                                         interval, names=names,
                                         progress=lambda f, m=None: report(0.1 * f))
    report(0.1, f"Initial GWR bandwidth {init_bw:g}")
    fit = gwr_fit(skernel, y, X, init_bw, names=names)
    err = fit.resid
    xb = fit.params * X
    bws = np.empty(k)
    history, scores = [], []
    stable = 0
    converged = False
    params = fit.params.copy()
    for it in range(1, max_iter + 1):
        new_xb = np.zeros_like(X)
        params = np.zeros_like(X)
        for j in range(k):
            frac = 0.1 + 0.8 * (1.0 - 0.85 ** (it - 1 + j / k))
            report(frac)
            temp_y = xb[:, j] + err
            xj = X[:, j:j + 1]
            searched = bandwidths is None and stable < bws_same_times
            if bandwidths is not None:
                bw = float(bandwidths[j])
            elif not searched:
                bw = bws[j]
            else:
                bw, _, _ = select_bandwidth(skernel, temp_y, xj, criterion, search, bw_min,
                                            bw_max, interval, names=[names[j]],
                                            progress=lambda f, m=None, fr=frac: report(fr))
            # right after a search: the kernel sums of that search, at the bandwidth found
            single = gwr_fit(skernel, temp_y, xj, bw, names=[names[j]],
                             progress=lambda f, m=None, fr=frac: report(fr), ranked=searched)
            err = single.resid
            new_xb[:, j] = single.predy
            params[:, j] = single.params[:, 0]
            bws[j] = bw
        if it > 1 and np.allclose(history[-1], bws, rtol=1e-12, atol=0.0):
            stable += 1
        else:
            stable = 0
        num = np.sum((new_xb - xb) ** 2) / n
        den = np.sum(np.sum(new_xb, axis=1) ** 2)
        score = float((num / den) ** 0.5)
        xb = new_xb
        scores.append(score)
        history.append(bws.copy())
        report(0.1 + 0.8 * (1.0 - 0.85 ** it),
               f"Back-fitting iteration {it}: score of change {score:.3e} (tolerance {tol:g}); "
               "bandwidths " + ", ".join(f"{b:g}" for b in bws))
        if score < tol:
            converged = True
            break
    return dict(params=params, bws=history[-1].copy(), bw_init=float(init_bw),
                history=np.array(history), scores=scores, converged=converged,
                resid=err, iterations=len(scores))


def spatial_groups(coords, size):
    """Split locations into compact groups of at most ``size`` (k-d tree leaves)."""
    groups = []
    stack = [np.arange(len(coords))]
    while stack:
        idx = stack.pop()
        if len(idx) <= size:
            groups.append(idx)
            continue
        pts = coords[idx]
        axis = int(np.argmax(np.ptp(pts, axis=0)))
        order = idx[np.argsort(pts[:, axis], kind="stable")]
        half = len(order) // 2
        stack.extend([order[half:], order[:half]])
    return groups


def _whole_matrix(skernel, bw, tick=None):
    """The kernel matrix of ``bw`` in one piece (CSR when every block is sparse), float64."""
    parts = [w for _, _, w in skernel.blocks(bw, tick)]
    if all(sparse.issparse(w) for w in parts):
        # CSR stacked by hand: scipy's vstack with a dtype would sort every row's indices
        parts = [w.tocsr() for w in parts]
        indptr = np.concatenate([[0]] + [w.indptr[1:] + offset for w, offset in zip(
            parts, np.cumsum([0] + [w.indptr[-1] for w in parts[:-1]]))])
        return sparse.csr_matrix(
            (np.concatenate([w.data for w in parts]).astype(np.float64, copy=False),
             np.concatenate([w.indices for w in parts]), indptr),
            shape=(skernel.n, skernel.n))
    return np.vstack([w.toarray() if sparse.issparse(w) else w for w in parts]).astype(
        np.float64, copy=False)


class _TiledSmoother:
    """Coefficient smoother ``C = diag(1/den) W diag(x_j)`` of one term, held whole.

    The blocks hold ``diag(x_j) C``, so that a product gives the term's part
    ``x_j (C v)`` directly (:meth:`parts`), with no pass to multiply it; rows where
    ``x_j`` is zero or negligible (1e-100 of its largest value) hold ``C`` itself and are
    scaled after the product. ``self(v)`` is ``C v``.

    Rows are grouped into compact spatial tiles; each tile keeps only the columns
    its kernels reach, as dense blocks, so a product with an ``n x c`` block is
    a few dense matrix products over a fraction of ``W`` (the bisquare kernels of
    small bandwidths) instead of one over all of it. The locations are numbered
    tile by tile (``matrix`` and ``xj`` in :func:`tile_order`, ``groups`` its
    tiles of consecutive rows), so a tile's rows and the columns it reaches form
    a few contiguous runs: the products read ``v`` and write the result in place,
    with no gathered copy of the rows of ``v``.
    """

    def __init__(self, matrix, xj, groups, limit=None):
        n = matrix.shape[0]
        self.den = np.asarray(matrix @ (xj * xj)).reshape(-1)
        if sparse.issparse(matrix):
            matrix = matrix.tocsr()
        self.tiles = []
        size = 0
        for rows in groups:
            if limit is not None and 8 * size > limit:  # too big: the caller streams instead
                self.tiles, self.nbytes = None, 0
                return
            rows = _as_range(rows)
            if not isinstance(rows, slice):
                raise ValueError("Tiles must be consecutive rows (numbered by tile_order).")
            sub, cols = _tile_rows(matrix, rows)
            starts, ends = _runs(cols)
            if len(starts) <= MAX_RUNS:  # contiguous runs of v: read in place, no copies
                lo = starts[0]
                span = _dense_columns(sub, lo, ends[-1])
                parts = [(slice(int(a), int(b)), np.array(span[:, a - lo:b - lo]))
                         for a, b in zip(starts, ends)]
            else:
                block = sub[:, cols]
                parts = [(cols, block.toarray() if sparse.issparse(block) else block)]
            self.tiles.append((rows, parts))
            size += sum(block.size for _, block in parts)
        if limit is not None and 8 * size > limit:
            self.tiles, self.nbytes = None, 0
            return
        if size > 0.75 * n * n and limit is None:  # hardly sparse: one dense product is faster
            dense = matrix.toarray() if sparse.issparse(matrix) else np.array(matrix)
            self.tiles = [(slice(0, n), [(slice(0, n), dense)])]
        self.xj = xj
        negligible = np.abs(xj) <= 1e-100 * np.max(np.abs(xj), initial=0.0)
        self.row_scale = np.where(negligible, 1.0, xj)  # what each block row is multiplied by
        tiles = []
        for rows, parts in self.tiles:
            scale = (1.0 / self.den[rows])[:, None]
            for cols, block in parts:
                block *= scale
                block *= xj[cols][None, :]
                block *= self.row_scale[rows][:, None]
            raw = np.flatnonzero(negligible[rows])
            tiles.append((rows, parts, raw if len(raw) else None))
        self.tiles = tiles
        self.max_rows = max(rows.stop - rows.start for rows, _, _ in tiles)
        self.nbytes = sum(block.nbytes for _, parts, _ in self.tiles for _, block in parts)

    def _products(self, v, out):
        """Yield ``(rows, raw, (diag(row_scale) C v)[rows])`` tile by tile, written into ``out``."""
        for rows, parts, raw in self.tiles:
            target = out[rows]
            (cols, block), rest = parts[0], parts[1:]
            matmul(block, v[cols], out=target)
            for cols, block in rest:
                matmul_add(block, v[cols], target)
            yield rows, raw, target

    def parts(self, v, out, squares=False):
        """Yield ``(rows, p, sq)`` tile by tile: ``p = x_j (C v)`` on ``rows`` (a slice), written
        into ``out``; with ``squares``, ``sq`` the row sums of ``(C v)^2`` there, else ``None``."""
        scratch = np.empty((self.max_rows, v.shape[1])) if squares else None
        for rows, raw, target in self._products(v, out):
            sq = None
            if squares:  # the coefficients back from the parts, squared and summed
                coef = np.divide(target, self.row_scale[rows][:, None],
                                 out=scratch[:rows.stop - rows.start])
                sq = np.einsum("nc,nc->n", coef, coef)
            if raw is not None:  # these rows hold coefficients: their parts
                target[raw] *= self.xj[rows][raw][:, None]
            yield rows, target, sq

    def __call__(self, v, out=None):
        """``C v``."""
        out = np.empty_like(v) if out is None else out
        for rows, _, target in self._products(v, out):
            target /= self.row_scale[rows][:, None]
        return out


def _whole_parts(smoother, xj, v, out, squares):
    """:meth:`_TiledSmoother.parts` of a smoother applied at once (all rows in one piece)."""
    coef = smoother(v, out=out)
    sq = np.einsum("nc,nc->n", coef, coef) if squares else None
    coef *= xj[:, None]
    yield slice(0, len(v)), coef, sq


def _tile_rows(matrix, rows):
    """The rows of a tile (a slice) and the sorted columns where they have weights (at least one)."""
    if sparse.issparse(matrix):  # CSR: straight from its arrays
        p0, p1 = matrix.indptr[rows.start], matrix.indptr[rows.stop]
        sub = sparse.csr_matrix((matrix.data[p0:p1], matrix.indices[p0:p1],
                                 matrix.indptr[rows.start:rows.stop + 1] - p0),
                                shape=(rows.stop - rows.start, matrix.shape[1]))
        reached = np.zeros(matrix.shape[1], dtype=bool)  # cheaper than sorting the indices
        reached[sub.indices] = True
        cols = np.flatnonzero(reached)
    else:
        sub = matrix[rows]
        cols = np.flatnonzero(np.any(sub != 0.0, axis=0))
    return sub, cols if len(cols) else np.arange(1)


def _dense_columns(sub, lo, hi):
    """Columns ``lo:hi`` (holding all its weights) of a tile's rows as a dense array."""
    if not sparse.issparse(sub):
        return sub[:, lo:hi]
    rows, width = sub.shape[0], hi - lo
    flat = np.repeat(np.arange(rows) * width - lo, np.diff(sub.indptr)) + sub.indices
    return np.bincount(flat, weights=sub.data, minlength=rows * width).reshape(rows, width)


def _as_range(rows):
    """``rows`` as a slice when they are consecutive and increasing, else as they are."""
    rows = np.asarray(rows)
    if len(rows) and rows[-1] - rows[0] == len(rows) - 1 and np.all(np.diff(rows) == 1):
        return slice(int(rows[0]), int(rows[-1]) + 1)
    return rows


def _runs(cols):
    """Contiguous ranges ``[start, end)`` covering the sorted ``cols``; gaps of up to
    ``RUN_GAP`` columns are bridged (their zero weights cost less than another product)."""
    breaks = np.flatnonzero(np.diff(cols) > RUN_GAP + 1)
    starts = np.concatenate([cols[:1], cols[breaks + 1]])
    ends = np.concatenate([cols[breaks], cols[-1:]]) + 1
    return starts, ends


def tile_order(coords, size=None):
    """Locations numbered tile by tile: ``(order, groups)``.

    ``order[p]`` is the location at position ``p``; ``groups`` are the tiles of
    :func:`spatial_groups` as consecutive position ranges. The k-d tree leaves come
    depth first, so neighbouring tiles get nearby numbers and the columns a tile's
    kernels reach form a few contiguous runs.
    """
    groups = spatial_groups(coords, size or TILE_ROWS)
    order = np.concatenate(groups)
    bounds = np.cumsum([0] + [len(g) for g in groups])
    return order, [np.arange(a, b) for a, b in zip(bounds[:-1], bounds[1:])]


def _reordered(matrix, order, position):
    """``matrix[order][:, order]``: rows and columns renumbered (CSR stays CSR)."""
    if sparse.issparse(matrix):
        rows = matrix.tocsr()[order]
        return sparse.csr_matrix((rows.data, position[rows.indices], rows.indptr),
                                 shape=matrix.shape)
    return np.take(np.take(matrix, order, axis=0), order, axis=1)


class _StreamedSmoother:
    """The same smoother applied block by block (large ``n``: nothing whole in memory)."""

    def __init__(self, skernel, bw, xj, tick=None):
        self.skernel, self.bw, self.xj, self.tick = skernel, bw, xj, tick
        self.den = np.empty(skernel.n)
        for r0, r1, d in skernel.map_blocks(bw, lambda r0, r1, w: weighted_sums(w, xj * xj), tick):
            self.den[r0:r1] = d
        self.nbytes = 0

    def __call__(self, v, out=None):
        out = np.empty_like(v) if out is None else out
        v = self.xj[:, None] * v
        for r0, r1, s in self.skernel.map_blocks(self.bw, lambda r0, r1, w: weighted_sums(w, v),
                                                 self.tick):
            out[r0:r1] = s
        out /= self.den[:, None]
        return out


class _Reordered:
    """A smoother of locations in their own order, applied to rows in tile order."""

    def __init__(self, smoother, order, position):
        self.smoother, self.order, self.position = smoother, order, position
        self.xj = smoother.xj[order]
        self.nbytes = smoother.nbytes

    def __call__(self, v, out=None):
        result = self.smoother(v[self.position])
        if out is None:
            return result[self.order]
        return np.take(result, self.order, axis=0, out=out)

    def parts(self, v, out, squares=False):
        return _whole_parts(self, self.xj, v, out, squares)


class _Smoothers:
    """Smoothers of the back-fitting history, built once and kept within a budget.

    Beyond ``whole`` (large ``n``), a bandwidth whose kernel is a neighbour list
    (sparse: adaptive bisquare of fewer than ``n / 3`` neighbours) still gets a
    tiled smoother when its tiles fit ``tile_budget`` bytes: dense products over
    each tile's reach (optimised BLAS, all cores) instead of a single-threaded
    sparse product per kernel block; the weights, and so the results, are the same.

    The smoothers take and return arrays whose rows are the locations in
    :func:`tile_order` (``self.order``; ``self.position[i]`` is the row of
    location ``i``), so that every tile reads and writes contiguous rows.

    Without :meth:`plan` the least recently used smoothers go first beyond the
    budget. A replay asks for the same terms in turn, iteration after iteration,
    which evicts every smoother before its next use once they do not all fit;
    with the planned requests a smoother is dropped after its last use, and one
    that does not fit beside those still to come is used without being kept.
    """

    def __init__(self, skernel, X, whole, tick=None, budget=None, tile_budget=600_000_000):
        self.skernel, self.X, self.whole, self.tick = skernel, X, whole, tick
        # large n: the kernel cache and the sorted tables hold several GB already
        self.budget = budget or (SMOOTHER_BYTES if whole else STREAMED_SMOOTHER_BYTES)
        self.tile_budget = tile_budget
        self.cache = OrderedDict()
        self.remaining = None
        self.order, self.groups = tile_order(skernel.coords)
        self.position = np.empty_like(self.order)
        self.position[self.order] = np.arange(len(self.order))

    def _tiled(self, bw):
        """Whether the smoother of ``bw`` is held as spatial tiles."""
        if self.whole:
            return True
        sk = self.skernel
        if not sk._use_neighbour_lists(bw):
            return False
        # tile reach: rows of a tile plus a kernel radius around it (bisquare, 2-D)
        area = TILE_ROWS / sk.n
        reach = area + 4.0 * np.sqrt(area * float(bw) / (np.pi * sk.n)) + float(bw) / sk.n
        return 8.0 * sk.n * sk.n * min(1.0, 1.5 * reach) <= self.tile_budget

    def plan(self, keys):
        """The ``(j, bw)`` requests to come, each as many times as it will be asked for."""
        self.remaining = Counter(keys)

    def __getitem__(self, key):
        j, bw = key
        last = False
        if self.remaining is not None:
            self.remaining[key] -= 1
            last = self.remaining[key] <= 0
        if key in self.cache:
            self.cache.move_to_end(key)
            return self.cache.pop(key) if last else self.cache[key]
        smoother = self._build(key)
        if self.remaining is None:
            self.cache[key] = smoother
            while self._held() > self.budget and len(self.cache) > 1:
                self.cache.popitem(last=False)
        elif not last and self._held() + smoother.nbytes <= self.budget:
            self.cache[key] = smoother
        return smoother

    def _held(self):
        """Bytes of the smoothers kept."""
        return sum(s.nbytes for s in self.cache.values())

    def prepare(self):
        """Build every planned smoother now, while they fit the budget together.

        ``True`` when all of them are held: the replay then needs no kernel matrix
        nor distance table any more (see :meth:`SpatialKernel.release`).
        """
        for key in self.remaining or ():
            if key not in self.cache:
                smoother = self._build(key)
                if self._held() + smoother.nbytes > self.budget:
                    return False
                self.cache[key] = smoother
        return True

    def _build(self, key):
        """The smoother of ``key = (j, bw)``: tiled when it fits, else streamed."""
        j, bw = key
        smoother = None
        if self._tiled(bw):
            matrix = _reordered(_whole_matrix(self.skernel, bw, self.tick), self.order,
                                self.position)
            smoother = _TiledSmoother(matrix, self.X[self.order, j], self.groups,
                                      limit=None if self.whole else self.tile_budget)
            del matrix
            if smoother.tiles is None:
                smoother = None
        if smoother is None:
            smoother = _Reordered(_StreamedSmoother(self.skernel, bw, self.X[:, j], self.tick),
                                  self.order, self.position)
        return smoother


def replay_inference(X, init_coef, history, probes, smoothers, columns=None, progress=None,
                     spare=None, support=None):
    """Replay the back-fitting on the columns of ``probes`` (n x c).

    Rows of ``X``, ``init_coef``, ``probes`` and the results are the locations in the
    smoothers' tile order (``smoothers.order``).

    ``init_coef[j]`` (n x c) is the initial GWR's coefficient of term j for each
    probe. Returns ``(enp_part (k,), cct_part (n, k), influ_part (n,))``: sums
    over the probe columns of ``z' R_j z``, of ``(C_j z)_i^2`` and of
    ``z_i (S z)_i``. With identity columns (``columns`` = their indices) these
    are the exact ``tr R_j``, row sums of squares of ``C_j`` and the diagonal
    of ``S``.

    Work space: ``init_coef`` is overwritten, and so is ``probes`` with
    ``columns`` (the identity is not read after the start). Besides the k parts
    ``x_j C_j z`` only two n x c arrays are held: the input of the current term
    and that of the next, which each tile of the smoother's product completes
    while its rows are in cache (the coefficients themselves are never stored).
    ``spare`` (n x c, C-contiguous), if given, is the second of them.
    ``support``: ``(rows, cols)``, where alone ``init_coef`` and ``probes`` may differ
    from zero (repeats allowed); the first input is then formed there only.
    """
    n, k = X.shape
    report = progress or no_progress
    state = probes if columns is not None else probes.copy()
    if support is None:
        # the parts x_j c_j, in place of the initial coefficients
        part = [np.multiply(X[:, j, None], c, out=c) for j, c in enumerate(init_coef)]
        for p in part:  # the residual of the initial fit
            state -= p
        state += part[0]  # the input of term 0: its part plus the residual
    else:  # the same operations, in the same order, where the entries may not be zero
        r, c = support
        part = init_coef
        first = state[r, c]
        for j, p in enumerate(part):
            values = p[r, c]
            values *= X[r, j]
            p[r, c] = values
            first -= values
            if j == 0:
                head = values
        first += head
        state[r, c] = first
    spare = np.empty_like(state) if spare is None else spare
    cct = np.zeros((n, k))
    iterations = history.shape[0]
    steps = max(1, iterations * k)
    step = 0
    for it in range(iterations):
        final = it == iterations - 1
        for j in range(k):
            # part_j = x_j C_j old (in place of the old part, which ``old`` includes);
            # err = old - part_j; and the next term's input, part_next + err, goes to the
            # other array, tile by tile
            nxt = part[(j + 1) % k]
            smoother = smoothers[(j, float(history[it, j]))]
            for rows, p, sq in smoother.parts(state, part[j], squares=final):
                if final:
                    cct[rows, j] = sq
                e = np.subtract(state[rows], p, out=spare[rows])
                np.add(e, nxt[rows], out=e)
            state, spare = spare, state
            step += 1
            report(step / steps)
    if columns is not None:  # identity columns: z' R_j z is the diagonal entry
        diag = [p[columns, np.arange(len(columns))] for p in part]
        enp = np.array([d.sum() for d in diag])
        influ = np.zeros(n)
        influ[columns] = sum(diag)
        return enp, cct, influ
    enp = np.array([np.einsum("nc,nc->", probes, p) for p in part])
    influ = np.einsum("nc,nc->n", probes, sum(part))
    return enp, cct, influ


def _initial_coefficients(skernel, X, bw_init, inverse, probes, columns, whole, out=None):
    """Coefficients of the initial GWR for each probe: ``(X'W_iX)^-1 X'W_i z``, per term.

    ``columns``: the probes are these columns of the identity (contiguous; ``probes``
    is not read), and ``whole`` the initial kernel matrix if it is held in one dense
    piece (a sparse one goes to :func:`_neighbour_list_coefficients`). With ``columns``
    and ``whole``, the rows of the results follow the rows of ``inverse`` and ``whole``
    (both may be given in another order of the locations).
    ``out``: k C-contiguous n x c arrays to write the coefficients into.
    """
    n, k = X.shape
    c = len(columns) if columns is not None else probes.shape[1]
    coef = out if out is not None else [np.empty((n, c)) for _ in range(k)]
    if columns is not None:  # X'W_i e_c = x_c w_ic: no product needed
        span = slice(columns[0], columns[-1] + 1)
        if whole is not None:
            wc = whole[:, span]
        else:
            wc = np.empty((n, c))
            for r0, r1, w in skernel.blocks(bw_init):
                wc[r0:r1] = w[:, span].toarray() if sparse.issparse(w) else w[:, span]
        xc = X[columns].T
        for j, cj in enumerate(coef):
            matmul(inverse[:, j, :], xc, out=cj)
            cj *= wc
        return coef
    xz = (X[:, :, None] * probes[:, None, :]).reshape(n, k * c)

    def local(r0, r1, w):  # on a worker thread: writes rows r0:r1 only
        g = weighted_sums(w, xz).reshape(-1, k, c)
        for j in range(k):
            coef[j][r0:r1] = np.einsum("rl,rlc->rc", inverse[r0:r1, j, :], g)

    for _ in skernel.map_blocks(bw_init, local):
        pass
    return coef


def _neighbour_list_coefficients(X, inverse, columns, weights, out):
    """:func:`_initial_coefficients` of identity ``columns`` from a sparse initial kernel.

    ``weights``: the kernel's columns ``columns`` (COO); the coefficients are non-zero
    only where these weights are, and only there computed (``out`` is zeroed first).
    """
    xw = X[columns[weights.col]]
    for j, cj in enumerate(out):
        cj.fill(0.0)
        cj[weights.row, weights.col] = (np.einsum("el,el->e", inverse[weights.row, j, :], xw)
                                        * weights.data)
    return out


def mgwr_inference(skernel, X, bw_init, history, exact=True, n_probes=100, seed=0,
                   names=None, progress=None):
    """``ENP_j``, unscaled coefficient variances (n, k) and hat diagonal of an MGWR."""
    n, k = X.shape
    report = _Throttle(progress)
    init = gwr_fit(skernel, np.zeros(n), X, bw_init, keep_inverse=True, names=names)
    inverse = init.inverse
    enp = np.zeros(k)
    cct = np.zeros((n, k))
    influ = np.zeros(n)
    hold_whole = exact and n <= WHOLE_LIMIT
    # the searches' kernels and rank tables are done with: their memory goes to the replay
    # (recently freed memory is quicker to touch again than new); large n: the kernel cache
    # also shrinks, to leave room for the smoothers
    skernel.keep_only(set(np.asarray(history, dtype=float).ravel()) | {float(bw_init)},
                      cache_bytes=None if hold_whole else INFERENCE_CACHE_BYTES)
    # the replay runs with the locations numbered tile by tile (contiguous tiles and
    # reaches: products in place); its per-location results are put back in order at the end
    smoothers = _Smoothers(skernel, X, hold_whole, tick=lambda f, m=None: report())
    order, position = smoothers.order, smoothers.position
    width = max(1, min(n if exact else n_probes, REPLAY_ELEMENTS // (n * k)))
    blocks = -(-(n if exact else n_probes) // width)  # the replay runs once per block of columns
    smoothers.plan([(j, float(bw)) for row in np.asarray(history) for j, bw in enumerate(row)]
                   * blocks)
    X_tiles = X[order]

    def in_tile_order(coef):
        return [np.take(c, order, axis=0) for c in coef]

    if exact:
        init_matrix = None
        if hold_whole:  # rows in tile order: the initial coefficients come out in tile order
            init_matrix = _whole_matrix(skernel, bw_init)[order]
            if smoothers.prepare():  # the distance tables and the other kernels are done with
                skernel.release(keep=(bw_init,))
        inverse_tiles = inverse[order]
        # every block reuses the same k + 2 arrays (parts, input, spare): new memory is
        # dear to touch (page faults), memory touched once is not
        work = [np.empty(n * width) for _ in range(k + 2)]
        for c0 in range(0, n, width):
            c1 = min(n, c0 + width)
            *parts, probes, spare = [w[:n * (c1 - c0)].reshape(n, c1 - c0) for w in work]
            columns = np.arange(c0, c1)
            rows = position[columns]  # where the identity columns have their 1, in tile order
            probes.fill(0.0)
            probes[rows, np.arange(c1 - c0)] = 1.0
            support = None
            if init_matrix is not None and sparse.issparse(init_matrix):
                # a neighbour list: the initial coefficients, and so the parts and the first
                # input, differ from zero only where the weights (or the identity's 1) are
                weights = init_matrix[:, c0:c1].tocoo()
                init_coef = _neighbour_list_coefficients(X, inverse_tiles, columns, weights, parts)
                support = (np.concatenate([weights.row, rows]),
                           np.concatenate([weights.col, np.arange(c1 - c0)]))
            elif init_matrix is not None:
                init_coef = _initial_coefficients(skernel, X, bw_init, inverse_tiles, None,
                                                  columns, init_matrix, out=parts)
            else:
                init_coef = _initial_coefficients(skernel, X, bw_init, inverse, None, columns,
                                                  None)
                init_coef = [np.take(c, order, axis=0, out=p) for c, p in zip(init_coef, parts)]
            e, cc, inf = replay_inference(
                X_tiles, init_coef, history, probes, smoothers, rows,
                progress=lambda f, a=c0, b=c1: report((a + f * (b - a)) / n), spare=spare,
                support=support)
            enp += e
            cct += cc[position]
            influ += inf[position]
        return enp, cct, influ
    rng = np.random.default_rng(seed)
    done = 0
    while done < n_probes:
        c = min(width, n_probes - done)
        probes = rng.choice(np.array([-1.0, 1.0]), size=(n, c))
        init_coef = in_tile_order(_initial_coefficients(skernel, X, bw_init, inverse, probes,
                                                        None, None))
        e, cc, inf = replay_inference(
            X_tiles, init_coef, history, probes[order], smoothers,
            progress=lambda f, a=done, b=done + c: report((a + f * (b - a)) / n_probes))
        enp += e
        cct += cc[position]
        influ += inf[position]
        done += c
    return enp / n_probes, cct / n_probes, influ / n_probes


def fit_mgwr(coords, y, X, *, names=None, kernel="bisquare", fixed=False, criterion="AICc",
             search="golden_section", bw_min=None, bw_max=None, interval=0.0,
             bandwidths=None, init_bw=None, tol=1.0e-5, max_iter=200, bws_same_times=5,
             inference="auto", exact_limit=5000, exact_flops=5e12, n_probes=100, seed=0,
             skernel=None, progress=None):
    """Fit an MGWR with inference (``X`` includes the intercept column if wanted).

    Parameters
    ----------
    coords : (n, 2) array
        Projected coordinates; fixed bandwidths are in these units.
    y : (n,) array
    X : (n, k) array
    bandwidths : sequence of k numbers, optional
        User-given bandwidths (no search).
    inference : {"auto", "exact", "stochastic"}
        ``"auto"``: exact when ``n <= exact_limit`` and replaying the back-fitting
        on the identity costs at most ``exact_flops`` (about
        ``2 * (iterations + 1) * k * n**3`` as dense products; the spatial tiles
        do it at about 1e11 of those per second on 2 cores, and a fit that
        needed hundreds of iterations would take hours), else ``n_probes``
        Rademacher probes (seeded by ``seed``).
    progress : callable ``progress(fraction, message=None)``, optional
        Receives the back-fitting iteration and its score of change.

    Returns
    -------
    RegressionResult
        ``bandwidths``, ``enp`` (ENP_j), ``adj_alpha`` (0.05 / ENP_j),
        ``adj_t_crit``, ``params``, ``bse``, ``tvalues``, ``aicc``, ``scores``
        (SOC per iteration), ``iterations``, ``converged`` ...
    """
    y = np.asarray(y, dtype=float).reshape(-1)
    X = np.asarray(X, dtype=float)
    n, k = X.shape
    names = list(names) if names is not None else [f"x{j}" for j in range(k)]
    progress = progress or no_progress
    skernel = skernel or SpatialKernel(coords, kernel, fixed)
    if bandwidths is not None and len(bandwidths) != k:
        raise RegressionError(
            f"Give one bandwidth per term ({k}: {', '.join(names)}); got {len(bandwidths)}.")
    run = backfit(skernel, y, X, criterion, search, bw_min, bw_max, interval, bandwidths,
                  init_bw, tol, max_iter, bws_same_times, names,
                  progress=lambda f, m=None: progress(0.75 * f, m))
    replay_flops = 2.0 * (run["iterations"] + 1) * k * float(n) ** 3
    exact = inference == "exact" or (
        inference == "auto" and n <= exact_limit and replay_flops <= exact_flops)
    progress(0.75, "MGWR inference (covariate-specific hat matrices)"
             + ("" if exact else f", estimated with {n_probes} random probes"))
    enp, cct, influ = mgwr_inference(skernel, X, run["bw_init"], run["history"], exact,
                                     n_probes, seed, names,
                                     progress=lambda f, m=None: progress(0.75 + 0.25 * f))
    params = run["params"]
    predy = np.sum(X * params, axis=1)
    tr_s = float(np.sum(enp))
    stats = model_statistics(y, predy, tr_s, n)
    sigma2 = stats["rss"] / (n - tr_s)
    bse = np.sqrt(cct * sigma2)
    adj_alpha = 0.05 / enp
    resid = stats["resid"]
    std_resid = resid / np.sqrt(sigma2 * (1.0 - influ)) if exact else resid / np.sqrt(sigma2)
    return RegressionResult(
        model="MGWR", names=names, params=params, bse=bse, tvalues=params / bse, predy=predy,
        resid=resid, std_resid=std_resid, bandwidths=np.asarray(run["bws"], dtype=float),
        enp=enp, adj_alpha=adj_alpha, adj_t_crit=critical_t(adj_alpha, n), tr_s=tr_s,
        sigma2=sigma2, rss=stats["rss"], aicc=stats["aicc"], aic=stats["aic"],
        bic=stats["bic"], r2=stats["r2"], adj_r2=stats["adj_r2"], n=n,
        influ=influ if exact else None, iterations=run["iterations"], scores=run["scores"],
        bandwidth_history=run["history"], converged=run["converged"],
        inference="exact" if exact else f"stochastic ({n_probes} probes, seed {seed})",
        bw_init=run["bw_init"],
    )

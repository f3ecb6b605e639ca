"""Adaptive bisquare kernel sums at any bandwidth, from one pass over the neighbour ranks.

A golden-section search scores a single-covariate GWR at 15-20 bandwidths,
each needing ``W(bw) @ v`` for the same two columns ``v`` (``x y`` and ``x^2``).
For the adaptive bisquare kernel, location i's weights are
``(1 - d^2 / r^2)^2 = 1 - 2 d^2 / r^2 + d^4 / r^4`` on its ``c`` nearest
neighbours (those closer than the radius ``r``), so

    (W v)_i = F0_i(c) - 2 F2_i(c) / r^2 + F4_i(c) / r^4

where ``Fp_i(c)`` sums ``d^p v`` over the first ``c`` neighbours in distance
order. :class:`RankSums` keeps these prefix sums at every ``GROUP``-th rank
(one pass over the row-sorted neighbour tables, less than one dense kernel
evaluation) and adds the last few neighbours of each row directly; any
bandwidth then costs ``O(n GROUP)`` instead of an ``O(n^2)`` kernel
evaluation. Each column has its own table, so the table of ``x^2``, the same
in every search of a back-fitting term, can be kept and reused (``known``).

The sums equal the kernel products up to rounding (a few units of
``eps * sum |v|`` per row); distances are the tables' values (double precision
for small n, where the kernels use them too; single precision for mid-size n,
as in the neighbour-list kernels), scaled to at most 1 before they are raised
to the fourth power.
"""

import threading

import numpy as np

# Prefix sums are kept at every GROUP-th neighbour rank; SMALL_GROUP suits the two columns of
# a single-covariate search at small n, where the tables are small and shorter tails make
# every bandwidth cheaper (a multi-covariate search's many columns keep GROUP: less memory).
GROUP = 64
SMALL_GROUP = 16
# Numbers per piece of the table build (a piece's work arrays stay in cache).
PIECE_ELEMENTS = 262_144


class RankSums:
    """Prefix sums of ``v``, ``d^2 v`` and ``d^4 v`` along every row's neighbour order.

    Parameters
    ----------
    dist : (n, n) float32 or float64 array
        Row-sorted distances (``dist[i, l]`` is the distance from i to ``order[i, l]``).
    order : (n, n) int32 array
        Every row's neighbours in distance order.
    v : (n, q) float array
        The columns to be kernel-weighted.
    scale : float
        Distances are divided by it (the largest one) before they are squared.
    rows : callable, optional
        ``rows(fn, ranges)`` runs ``fn((r0, r1))`` over row ranges (worker threads)
        and yields after each; default: in turn.
    known : sequence of q arrays or None, optional
        Column tables (:attr:`tables`) of an earlier instance on the same tables and
        group size, for columns that are the same (only the others are built).
    group : int, optional
        Ranks per group (default ``GROUP``).
    spare : list of arrays, optional
        Tables of an instance no longer used, to build into instead of new arrays
        (fresh memory is slow to touch; taken from the list as they are used).
    """

    def __init__(self, dist, order, v, scale, rows=None, known=None, group=None, spare=None):
        self.dist = dist
        self.order = order
        self.v = np.ascontiguousarray(v, dtype=float)
        n, q = self.v.shape
        self.n = n
        self.scale = float(scale)
        self.group = group or GROUP
        groups = n // self.group
        known = list(known) if known is not None else [None] * q
        # one (n, 3, groups + 1) table per column: sums of v, (d/scale)^2 v and
        # (d/scale)^4 v over the first 0, group, 2 group ... neighbours of every row
        shape = (n, 3, groups + 1)
        spare = [t for t in (spare or []) if t.shape == shape and t.dtype == np.float64]
        self.tables = [t if t is not None else (spare.pop() if spare else np.empty(shape))
                       for t in known]
        todo = [j for j in range(q) if known[j] is None]
        if not todo:
            return
        for j in todo:
            self.tables[j][:, :, 0] = 0.0
        step = max(1, PIECE_ELEMENTS // n)
        block = max(step, -(-n // 64))
        ranges = [(r0, min(n, r0 + block)) for r0 in range(0, n, block)]
        columns = [(self.tables[j], np.ascontiguousarray(self.v[:, j])) for j in todo]
        # each thread's work arrays, reused by all its pieces (new memory is slow to
        # touch, and arrays this size would be mapped and unmapped for every piece)
        local = threading.local()
        width = groups * self.group

        def build(span):
            work = getattr(local, "work", None)
            if work is None:
                work = local.work = (np.empty((step, width), dtype=np.intp),
                                     np.empty((step, width)), np.empty((step, width)),
                                     np.empty((step, width)))
            for a in range(span[0], span[1], step):
                self._build(a, min(span[1], a + step), groups, columns, work)

        if width > 0:
            for _ in (rows or _in_turn)(build, ranges):
                pass

    def _build(self, a, b, groups, columns, work):
        """Prefix sums of rows ``a:b`` (a few passes over data that stays in cache)."""
        m, width = b - a, groups * self.group
        shape = (m, groups, self.group)
        index = work[0][:m]
        np.copyto(index, self.order[a:b, :width])  # take() would convert int32 on every call
        # d^2, scaled (in double precision, also from single-precision tables)
        z = np.multiply(self.dist[a:b, :width], 1.0 / self.scale, out=work[1][:m],
                        dtype=np.float64)
        np.multiply(z, z, out=z)
        z4 = np.multiply(z, z, out=work[2][:m]).reshape(shape)
        z = z.reshape(shape)
        vals = work[3][:m]
        for table, column in columns:
            np.take(column, index, out=vals, mode="clip")  # "clip": no buffered copy
            terms = vals.reshape(shape)
            out = table[a:b, :, 1:]
            # einsum: a short inner axis sums about twice as fast as with ndarray.sum
            np.einsum("rgk->rg", terms, out=out[:, 0])
            np.einsum("rgk,rgk->rg", terms, z, out=out[:, 1])
            np.einsum("rgk,rgk->rg", terms, z4, out=out[:, 2])
            np.cumsum(out, axis=2, out=out)

    def counts(self, k, radius):
        """Neighbours of every location strictly closer than ``radius`` (at least ``k``)."""
        ahead = self.dist[:, k:k + 8]
        counts = k + np.count_nonzero(ahead < radius[:, None], axis=1)
        if ahead.shape[1] == 8:  # ties beyond the next 8 neighbours: those rows in full
            for i in np.flatnonzero(counts == k + 8):
                counts[i] = np.searchsorted(self.dist[i].astype(float), radius[i], side="left")
        return counts

    def sums(self, k, radius):
        """``W @ v`` (n, q) for the adaptive radii ``radius`` of ``k`` neighbours.

        Every location's weights are non-zero on its neighbours strictly closer
        than its radius (the ``k`` nearest and any tied with the ``k``-th).
        """
        n = self.n
        radius = np.asarray(radius, dtype=float)
        counts = self.counts(int(k), radius)
        inv = (self.scale / radius) ** 2  # 1 / r^2, scaled
        groups = np.minimum(counts // self.group, self.tables[0].shape[2] - 1)
        rows = np.arange(n)
        out = np.empty((n, len(self.tables)))
        for j, table in enumerate(self.tables):
            head = table[rows, :, groups]  # (n, 3)
            out[:, j] = head[:, 0] - 2.0 * inv * head[:, 1] + (inv * inv) * head[:, 2]
        start = groups * self.group
        extra = counts - start
        width = int(extra.max()) if n else 0
        if width > 0:
            cols = start[:, None] + np.arange(width)
            inside = cols < counts[:, None]
            np.minimum(cols, n - 1, out=cols)
            flat = cols + (rows * self.dist.shape[1])[:, None]  # flat takes: no 2-D fancy indexing
            z = np.take(self.dist, flat).astype(float)
            z *= 1.0 / self.scale
            z *= z
            z *= inv[:, None]
            np.subtract(1.0, z, out=z)
            z *= z
            z[~inside] = 0.0
            flat += (rows * (self.order.shape[1] - self.dist.shape[1]))[:, None]
            out += np.einsum("iw,iwq->iq", z, np.take(self.v, np.take(self.order, flat), axis=0))
        return out


def _in_turn(fn, items):
    for item in items:
        yield fn(item)

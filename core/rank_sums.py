"""Adaptive bisquare kernel sums at any bandwidth, from one pass over the neighbour ranks.

A golden-section search scores a single-covariate GWR at 15-20 bandwidths,
each needing ``W(bw) @ v`` for the same two columns ``v`` (``x y`` and ``x^2``).
For the adaptive bisquare kernel, location i's weights are
``(1 - d^2 / r^2)^2 = 1 - 2 d^2 / r^2 + d^4 / r^4`` on its ``c`` nearest
neighbours (those closer than the radius ``r``), so

    (W v)_i = F0_i(c) - 2 F2_i(c) / r^2 + F4_i(c) / r^4

where ``Fp_i(c)`` sums ``d^p v`` over the first ``c`` neighbours in distance
order. :class:`RankSums` keeps these prefix sums at every ``GROUP``-th rank
(one pass over the row-sorted neighbour tables, about the cost of one dense
kernel evaluation) and adds the last few neighbours of each row directly; any
bandwidth then costs ``O(n GROUP)`` instead of an ``O(n^2)`` kernel evaluation.

The sums equal the kernel products up to rounding (a few units of
``eps * sum |v|`` per row); distances are the tables' single-precision values,
as in the neighbour-list kernels, and are scaled to at most 1 before they are
raised to the fourth power.
"""

import numpy as np

# Prefix sums are kept at every GROUP-th neighbour rank.
GROUP = 64
# Numbers per piece of the table build (a piece's work arrays stay in cache).
PIECE_ELEMENTS = 262_144


class RankSums:
    """Prefix sums of ``v``, ``d^2 v`` and ``d^4 v`` along every row's neighbour order.

    Parameters
    ----------
    dist : (n, n) float32 array
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
    """

    def __init__(self, dist, order, v, scale, rows=None):
        self.dist = dist
        self.order = order
        self.v = np.ascontiguousarray(v, dtype=float)
        n, q = self.v.shape
        self.n = n
        self.scale = float(scale)
        groups = n // GROUP
        self.table = np.empty((n, q, 3, groups + 1))
        self.table[:, :, :, 0] = 0.0
        step = max(1, PIECE_ELEMENTS // n)
        block = max(step, -(-n // 64))
        ranges = [(r0, min(n, r0 + block)) for r0 in range(0, n, block)]
        columns = [np.ascontiguousarray(self.v[:, j]) for j in range(q)]

        def build(span):
            for a in range(span[0], span[1], step):
                self._build(a, min(span[1], a + step), groups, columns)

        for _ in (rows or _in_turn)(build, ranges):
            pass

    def _build(self, a, b, groups, columns):
        """Prefix sums of rows ``a:b`` (each a few passes over data that stays in cache)."""
        width = groups * GROUP
        if width == 0:
            return
        shape = (b - a, groups, GROUP)
        index = self.order[a:b, :width].astype(np.intp)  # take() converts int32 on every call
        z = self.dist[a:b, :width].astype(float)
        z *= 1.0 / self.scale
        np.multiply(z, z, out=z)  # d^2, scaled
        out = self.table[a:b, :, :, 1:]
        for j, column in enumerate(columns):
            vals = np.take(column, index)
            out[:, j, 0] = vals.reshape(shape).sum(axis=2)
            vals *= z
            out[:, j, 1] = vals.reshape(shape).sum(axis=2)
            vals *= z
            out[:, j, 2] = vals.reshape(shape).sum(axis=2)
        np.cumsum(out, axis=3, out=out)

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
        groups = np.minimum(counts // GROUP, self.table.shape[3] - 1)
        head = self.table[np.arange(n), :, :, groups]  # (n, q, 3)
        out = (head[:, :, 0] - 2.0 * inv[:, None] * head[:, :, 1]
               + (inv * inv)[:, None] * head[:, :, 2])
        start = groups * GROUP
        extra = counts - start
        width = int(extra.max()) if n else 0
        if width > 0:
            cols = start[:, None] + np.arange(width)
            inside = cols < counts[:, None]
            np.minimum(cols, n - 1, out=cols)
            rows = np.arange(n)[:, None]
            z = self.dist[rows, cols].astype(float)
            z *= 1.0 / self.scale
            z *= z
            z *= inv[:, None]
            np.subtract(1.0, z, out=z)
            z *= z
            z[~inside] = 0.0
            out += np.einsum("iw,iwq->iq", z, self.v[self.order[rows, cols]])
        return out


def _in_turn(fn, items):
    for item in items:
        yield fn(item)

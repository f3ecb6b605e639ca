"""Adaptive bisquare kernel sums from neighbour-rank prefix sums (core.rank_sums)."""

import numpy as np
import pytest
from carbon_spacetime.core import gwr as eng
from carbon_spacetime.core import kernel as kern
from carbon_spacetime.core import mgwr as meng
from carbon_spacetime.core import rank_sums as rs
from numpy.testing import assert_allclose
from scipy.spatial.distance import cdist


def _tables(coords):
    d = cdist(coords, coords)
    order = np.argsort(d, axis=1, kind="stable").astype(np.int32)
    return np.take_along_axis(d, order, axis=1).astype(np.float32), order, d.astype(np.float32)


def _direct(d32, radius, v):
    """Bisquare weights written out: (1 - (d / r)^2)^2 inside the radius, 0 outside."""
    d = d32.astype(float)
    r = radius[:, None]
    w = np.where(d < r, (1.0 - (d / r) ** 2) ** 2, 0.0)
    return w @ v, np.abs(w) @ np.abs(v)


@pytest.mark.parametrize("layout", ["random", "grid"])
@pytest.mark.parametrize("group", [rs.GROUP, 7, rs.SMALL_GROUP])
def test_rank_sums_equal_the_kernel_product_at_every_kind_of_bandwidth(monkeypatch, layout, group):
    """Any k (below, at and above a group boundary, up to all n), ties with the k-th
    neighbour (a regular grid), n not a multiple of the group size."""
    monkeypatch.setattr(rs, "PIECE_ELEMENTS", 3000)  # several pieces per worker range
    rng = np.random.default_rng(4)
    if layout == "grid":
        gx, gy = np.meshgrid(np.arange(23.0), np.arange(21.0))
        coords = np.column_stack([gx.ravel(), gy.ravel()]) * 1000.0
    else:
        coords = rng.uniform(0, 5e5, (483, 2))
    n = len(coords)
    dist, order, d32 = _tables(coords)
    v = rng.normal(size=(n, 3))
    sums = rs.RankSums(dist, order, v, float(dist[:, -1].max()), group=group)
    for k in sorted({2, 3, group - 1, group, group + 1, 5 * group, 100, 240, n - 1, n}):
        radius = dist[:, k - 1].astype(float) * kern.ADAPTIVE_EPS
        ours = sums.sums(k, radius)
        ref, scale = _direct(d32, radius, v)
        assert np.all(np.abs(ours - ref) <= 1e-12 * scale), k
        counts = sums.counts(k, radius)
        assert np.array_equal(counts, np.sum(d32.astype(float) < radius[:, None], axis=1))
        if layout == "grid" and k == 5 * group:
            assert np.any(counts > k)  # ties with the k-th neighbour were counted


def test_ties_beyond_the_next_eight_neighbours_are_counted():
    """A ring of 30 points at the same distance from the centre: the 2nd neighbour of the
    centre ties with the next 28."""
    angles = np.linspace(0, 2 * np.pi, 30, endpoint=False)
    coords = np.vstack([[0.0, 0.0], np.column_stack([np.cos(angles), np.sin(angles)]) * 100.0,
                        np.random.default_rng(1).uniform(300, 900, (40, 2))])
    dist, order, d32 = _tables(coords)
    v = np.ones((len(coords), 1))
    sums = rs.RankSums(dist, order, v, float(dist[:, -1].max()))
    radius = dist[:, 1].astype(float) * kern.ADAPTIVE_EPS
    assert sums.counts(2, radius)[0] == 31
    ref, scale = _direct(d32, radius, v)
    assert np.all(np.abs(sums.sums(2, radius) - ref) <= 1e-12 * scale)


def test_spatial_kernel_rank_sums_need_and_build_the_full_neighbour_order(monkeypatch):
    """Mid-size n only (adaptive bisquare); tables first built with the nearest third are
    rebuilt in full; the sums agree with the kernel products; the last table is reused."""
    monkeypatch.setattr(kern, "TABLE_LIMIT", 50)
    rng = np.random.default_rng(2)
    n = 310
    coords = rng.uniform(0, 1e4, (n, 2))
    assert not kern.SpatialKernel(coords, fixed=True).has_rank_sums
    assert not kern.SpatialKernel(coords, kernel="gaussian").has_rank_sums
    sk = kern.SpatialKernel(coords)
    assert sk._large_tables()[1].shape == (n, n // 3 + 64)
    v = rng.normal(size=(n, 2))
    budget = sk.cache_bytes
    table = sk.rank_sums(v)
    assert sk._large_tables()[1].shape == (n, n)
    assert sk.cache_bytes == budget - int(2.6 * n * n)  # room for the full order
    given = kern.SpatialKernel(coords, cache_bytes=10**6)
    given.prefer_rank_sums()
    assert given.cache_bytes == 10**6 and given._large_tables()[1].shape == (n, n)
    assert sk.rank_sums(v.copy()) is table  # same columns: the same table
    for bw in (20, 60, 103, 104, 200, n):
        ref = np.vstack([s for _, _, s in sk.map_blocks(bw, lambda r0, r1, w: kern.weighted_sums(w, v))])
        scale = np.vstack([s for _, _, s in sk.map_blocks(
            bw, lambda r0, r1, w: kern.weighted_sums(np.abs(w), np.abs(v)))])
        # neighbour lists use the tables' single-precision distances like the rank sums;
        # dense blocks (bw >= n / 3) double-precision ones
        tol = 1e-12 if bw * 3 < n else 1e-6
        assert np.all(np.abs(sk.rank_weighted_sums(table, bw) - ref) <= tol * scale), bw
    assert sk.rank_sums(v[:, :1]) is not table
    sk.keep_only([])
    assert sk._rank_sums is None


def test_small_n_rank_sums_use_the_exact_tables_and_keep_fixed_columns(monkeypatch):
    """Small n: prefix sums over the double-precision tables of the dense kernels, equal to the
    kernel products to rounding at every bandwidth; a column marked fixed (x^2 of a term) is
    built once and reused while it fits RANK_BYTES; keep_only drops it."""
    rng = np.random.default_rng(8)
    n = 350
    coords = rng.uniform(0, 1e4, (n, 2))
    sk = kern.SpatialKernel(coords)
    assert sk.has_rank_sums and n <= kern.TABLE_LIMIT
    budget = sk.cache_bytes
    sk.prefer_rank_sums()
    assert sk.cache_bytes == budget and sk._sorted is None  # nothing to do at small n
    x2 = rng.normal(size=n) ** 2
    v = np.column_stack([rng.normal(size=n), x2])
    built = []
    build = rs.RankSums._build

    def counted(self, a, b, groups, columns, work):
        built.append(len(columns))
        build(self, a, b, groups, columns, work)

    monkeypatch.setattr(rs.RankSums, "_build", counted)
    table = sk.rank_sums(v, fixed=(False, True))
    assert table.dist.dtype == np.float64 and table.group == rs.SMALL_GROUP
    x2_table = table.tables[1]
    assert set(built) == {2}
    for bw in (5, 40, 116, 117, 200, n):
        ref = np.vstack([s for _, _, s in sk.map_blocks(bw, lambda r0, r1, w: kern.weighted_sums(w, v))])
        scale = np.vstack([s for _, _, s in sk.map_blocks(
            bw, lambda r0, r1, w: kern.weighted_sums(np.abs(w), np.abs(v)))])
        assert np.all(np.abs(sk.rank_weighted_sums(table, bw) - ref) <= 1e-13 * scale), bw
    built.clear()
    other = sk.rank_sums(np.column_stack([rng.normal(size=n), x2]), fixed=(False, True))
    assert set(built) == {1} and other.tables[1] is x2_table  # x^2: not built again
    assert table.tables is None  # the last table was built over: no longer valid
    sk.keep_only([])
    built.clear()
    sk.rank_sums(v, fixed=(False, True))
    assert set(built) == {2}
    monkeypatch.setattr(kern, "RANK_BYTES", 1000)  # too small: built every time
    tight = kern.SpatialKernel(coords)
    for _ in range(2):
        built.clear()
        tight.rank_sums(np.column_stack([rng.normal(size=n), x2]), fixed=(False, True))
        assert set(built) == {2}


def test_full_order_tables_sort_rows_by_single_precision_distance_ties_by_index(monkeypatch):
    """The full neighbour order comes from one sort of (float32 distance, index) keys: the
    same tables as a stable argsort of the single-precision distances."""
    monkeypatch.setattr(kern, "TABLE_LIMIT", 50)
    u, v = np.meshgrid(np.arange(15.0), np.arange(14.0))  # a grid: many exact ties
    coords = np.column_stack([u.ravel(), v.ravel()]) * 1000.0
    coords[:7] += 1e-4  # and distances tied only in single precision
    sk = kern.SpatialKernel(coords)
    sk.prefer_rank_sums()
    dist, order = sk._large_tables()
    d32 = cdist(coords, coords).astype(np.float32)
    want = np.argsort(d32, axis=1, kind="stable")
    assert order.dtype == np.int32 and dist.dtype == np.float32
    assert np.array_equal(order, want)
    assert np.array_equal(dist, np.take_along_axis(d32, want, axis=1))


def test_small_n_tables_are_the_stable_argsort_of_the_exact_distances():
    """Small n: the packed-key sort gives exactly argsort(kind="stable") of the double
    distances -- ties (a grid) by index, and distances that differ only in the bits the
    keys drop (within 1e-12 relative) by value."""
    rng = np.random.default_rng(5)
    u, v = np.meshgrid(np.arange(30.0), np.arange(20.0))
    grid = np.column_stack([u.ravel(), v.ravel()]) * 1000.0
    near = grid.copy()
    near[::7] += 3e-10  # distances equal but for the last bits
    for coords in (rng.uniform(0, 1e5, (600, 2)), grid, near):
        sk = kern.SpatialKernel(coords)
        d, dist, order = sk._tables()
        want = np.argsort(d, axis=1, kind="stable")
        assert np.array_equal(order, want)
        assert np.array_equal(dist, np.take_along_axis(d, want, axis=1))
    d = cdist(grid[:300], grid[:300])
    d[:, 5] = d[:, 6] * (1 + 2e-16)  # one ulp apart: the keys cannot tell
    order, ordered = kern._stable_order(d)
    assert np.array_equal(order, np.argsort(d, axis=1, kind="stable"))


@pytest.mark.parametrize("table_limit", [100, kern.TABLE_LIMIT])
def test_backfitting_with_rank_sums_finds_the_same_bandwidths(monkeypatch, table_limit):
    """Mid-size n (single-precision tables) and small n (exact tables): single-covariate
    searches scored from rank sums choose the bandwidths and estimates of searches scored
    from kernel blocks."""
    monkeypatch.setattr(kern, "TABLE_LIMIT", table_limit)
    rng = np.random.default_rng(6)
    n = 600
    coords = rng.uniform(0, 1e5, (n, 2))
    u, w = coords.T / 1e5
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.normal(size=n)])
    y = 1 + 2 * u + (1 + u * w) * X[:, 1] + 0.5 * X[:, 2] + rng.normal(scale=0.3, size=n)
    calls = []
    build = rs.RankSums.__init__

    def counted(self, *args, **kwargs):
        calls.append(1)
        build(self, *args, **kwargs)

    monkeypatch.setattr(rs.RankSums, "__init__", counted)
    ranked = meng.backfit(kern.SpatialKernel(coords), y, X)
    assert len(calls) >= 3  # one table per single-covariate search, reused by its fit
    searched = len(calls)
    fit = eng.gwr_fit(kern.SpatialKernel(coords), y, X[:, 1:2], 80, ranked=True)
    assert len(calls) == searched + 1
    monkeypatch.setattr(kern.SpatialKernel, "has_rank_sums", property(lambda self: False))
    blocks = meng.backfit(kern.SpatialKernel(coords), y, X)
    assert np.array_equal(ranked["history"], blocks["history"])
    tol = 1e-6 if table_limit < n else 1e-12  # single-precision tables, or the kernels' own
    assert_allclose(ranked["params"], blocks["params"], rtol=tol, atol=1e-9 * tol / 1e-6)
    assert_allclose(fit.params, eng.gwr_fit(kern.SpatialKernel(coords), y, X[:, 1:2], 80).params,
                    rtol=1e-12)


def test_multi_covariate_fits_of_a_search_use_one_table_when_it_fits(monkeypatch):
    """A bandwidth search of a GWR with several covariates scores every probe from one table
    of all its kernel-weighted columns (X'WX and X'Wy); the fits equal kernel-block fits to
    rounding; beyond RANK_BYTES the kernel blocks are used."""
    rng = np.random.default_rng(12)
    n = 400
    coords = rng.uniform(0, 1e4, (n, 2))
    X = np.column_stack([np.ones(n), rng.normal(size=n), rng.normal(size=n)])
    y = X @ [1.0, 2.0, -1.0] + coords[:, 0] / 1e4 * X[:, 1] + rng.normal(scale=0.2, size=n)
    sk = kern.SpatialKernel(coords)
    assert sk.rank_sums_fit(9) and not kern.SpatialKernel(coords, fixed=True).rank_sums_fit(9)
    for bw in (30, 133, 200, n):
        ranked = eng.gwr_fit(sk, y, X, bw, ranked=True)
        table = sk._rank_sums[1]
        assert len(table.tables) == 9 and table.group == rs.GROUP  # 6 + 3 columns
        plain = eng.gwr_fit(sk, y, X, bw)
        assert_allclose(ranked.params, plain.params, rtol=1e-11, atol=1e-12)
        assert_allclose(ranked.influ, plain.influ, rtol=1e-11, atol=1e-14)
        assert_allclose(ranked.rss, plain.rss, rtol=1e-12)
    monkeypatch.setattr(kern, "RANK_BYTES", 8 * n * 3 * (n // rs.GROUP + 1) * 8)
    tight = kern.SpatialKernel(coords)
    assert tight.rank_sums_fit(8) and not tight.rank_sums_fit(9)
    eng.gwr_fit(tight, y, X, 133, ranked=True)
    assert tight._rank_sums is None  # kernel blocks

"""MGWR back-fitting and inference against mgwr 2.2.1 and known coefficient surfaces."""

import numpy as np
import pytest
from _georgia import georgia, with_intercept
from carbon_spacetime.core import gwr as eng
from carbon_spacetime.core import kernel as kern
from carbon_spacetime.core import mgwr as meng
from mgwr.gwr import MGWR  # noqa: E402
from mgwr.sel_bw import Sel_BW  # noqa: E402
from numpy.testing import assert_allclose

pytestmark = pytest.mark.usefixtures("one_blas_thread")


@pytest.fixture(scope="module")
def georgia_reference():
    coords, y, X = georgia()
    selector = Sel_BW(coords, y[:, None], X, multi=True, n_jobs=1)
    bws = selector.search()
    result = MGWR(coords, y[:, None], X, selector, n_jobs=1).fit()
    return coords, y, X, selector, bws, result


def test_mgwr_matches_mgwr_on_georgia(georgia_reference):
    coords, y, X, selector, bws, ref = georgia_reference
    messages = []
    ours = meng.fit_mgwr(coords, y, with_intercept(X),
                         progress=lambda f, m=None: messages.append(m) if m else None)
    assert np.array_equal(ours.bandwidths, bws)
    assert np.array_equal(ours.bandwidth_history, selector.bw[1])
    assert_allclose(ours.scores, selector.bw[2], rtol=1e-8)
    assert ours.converged and ours.iterations == len(selector.bw[2])
    assert_allclose(ours.params, ref.params, atol=1e-5)
    assert_allclose(ours.bse, ref.bse, atol=1e-5)
    assert_allclose(ours.tvalues, ref.tvalues, atol=1e-5)
    assert_allclose(ours.aicc, ref.aicc, atol=1e-3)
    assert_allclose(ours.enp, ref.ENP_j, rtol=1e-8)
    assert_allclose(ours.adj_alpha, ref.adj_alpha_j[:, 1], rtol=1e-8)
    assert_allclose(ours.adj_t_crit, ref.critical_tval(), rtol=1e-8)
    assert_allclose(ours.tr_s, ref.tr_S, rtol=1e-8)
    assert_allclose(ours.sigma2, ref.sigma2, rtol=1e-8)
    assert_allclose(ours.r2, ref.R2, rtol=1e-10)
    assert_allclose(ours.adj_r2, ref.adj_R2, rtol=1e-10)
    assert any("score of change" in m for m in messages)


def test_mgwr_hat_matrix_diagonal_matches_mgwr(georgia_reference):
    coords, y, X, selector, bws, ref = georgia_reference
    full = MGWR(coords, y[:, None], X, selector, hat_matrix=True, n_jobs=1).fit()
    ours = meng.fit_mgwr(coords, y, with_intercept(X), init_bw=selector.bw_init)
    assert_allclose(ours.influ, np.diag(full.S), atol=1e-10)


def test_stochastic_inference_is_close_to_exact(georgia_reference):
    coords, y, X, selector, bws, ref = georgia_reference
    est = meng.fit_mgwr(coords, y, with_intercept(X), inference="stochastic", n_probes=400,
                        seed=1)
    assert_allclose(est.params, ref.params, atol=1e-5)  # estimates are exact anyway
    assert_allclose(est.enp, ref.ENP_j, rtol=0.1)
    assert np.median(np.abs(est.bse / ref.bse - 1)) < 0.05


def test_auto_inference_falls_back_to_probes_when_exact_replay_is_too_costly(georgia_reference):
    coords, y, X, selector, bws, ref = georgia_reference
    exact = meng.fit_mgwr(coords, y, with_intercept(X))
    assert exact.inference == "exact"
    n, k = X.shape[0], X.shape[1] + 1
    budget = 2.0 * (exact.iterations + 1) * k * float(n) ** 3
    assert meng.fit_mgwr(coords, y, with_intercept(X), exact_flops=budget).inference == "exact"
    cheap = meng.fit_mgwr(coords, y, with_intercept(X), exact_flops=budget / 2)
    assert cheap.inference.startswith("stochastic")
    assert_allclose(cheap.params, exact.params, atol=1e-12)  # estimates do not depend on inference
    assert_allclose(cheap.enp, ref.ENP_j, rtol=0.15)


def test_gaussian_fixed_kernel_matches_mgwr():
    coords, y, X = georgia()
    X = X[:, :2]
    selector = Sel_BW(coords, y[:, None], X, multi=True, kernel="gaussian", fixed=True,
                      n_jobs=1)
    bws = selector.search()
    ref = MGWR(coords, y[:, None], X, selector, kernel="gaussian", fixed=True, n_jobs=1).fit()
    ours = meng.fit_mgwr(coords, y, with_intercept(X), kernel="gaussian", fixed=True)
    assert np.array_equal(ours.bandwidths, bws)
    assert_allclose(ours.params, ref.params, atol=1e-5)
    assert_allclose(ours.bse, ref.bse, atol=1e-5)
    assert_allclose(ours.aicc, ref.aicc, atol=1e-3)


def synthetic(size=25, seed=7):
    """The design of Fotheringham, Yang & Kang (2017): three surfaces of different scale."""
    u, v = np.meshgrid(np.arange(size, dtype=float), np.arange(size, dtype=float))
    u, v = u.ravel(), v.ravel()
    rng = np.random.default_rng(seed)
    b0 = np.full(u.size, 3.0)  # global
    b1 = 1.0 + (u + v) / 12.0  # regional trend
    b2 = 1.0 + (36.0 - (6.0 - u / 2.0 * 24 / size) ** 2) * (
        36.0 - (6.0 - v / 2.0 * 24 / size) ** 2) / 324.0  # local bump
    x1, x2 = rng.normal(size=(2, u.size))
    y = b0 + b1 * x1 + b2 * x2 + rng.normal(scale=0.5, size=u.size)
    return np.column_stack([u, v]), y, np.column_stack([np.ones(u.size), x1, x2]), \
        np.column_stack([b0, b1, b2])


def test_known_surfaces_are_recovered():
    coords, y, X, truth = synthetic()
    res = meng.fit_mgwr(coords, y, X, names=["Intercept", "x1", "x2"])
    rmse = np.sqrt(np.mean((res.params - truth) ** 2, axis=0))
    spread = truth.std(axis=0)
    assert rmse[0] < 0.1  # the global intercept 3
    assert np.all(rmse[1:] < 0.35 * spread[1:])
    # the global term gets the widest bandwidth, the local bump the narrowest
    assert res.bandwidths[0] > res.bandwidths[1] > res.bandwidths[2]
    assert res.enp[0] < res.enp[1] < res.enp[2]
    gwr = eng.fit_gwr(coords, y, X)
    assert res.aicc < gwr.aicc  # multiscale beats one bandwidth for all
    ols = eng.fit_ols(y, X)
    assert gwr.aicc < ols.aicc


def test_user_bandwidths_and_non_convergence():
    coords, y, X, _ = synthetic(size=14)
    res = meng.fit_mgwr(coords, y, X, bandwidths=[196, 120, 60], max_iter=2, tol=1e-12)
    assert list(res.bandwidths) == [196, 120, 60]
    assert not res.converged and res.iterations == 2 and len(res.scores) == 2
    with pytest.raises(kern.RegressionError, match="one bandwidth per term"):
        meng.fit_mgwr(coords, y, X, bandwidths=[50, 50])


def test_cancel_stops_promptly():
    coords, y, X, _ = synthetic(size=14)

    class CancelledError(Exception):
        pass

    calls = []

    def progress(fraction, message=None):
        calls.append(fraction)
        if len(calls) > 3:
            raise CancelledError()

    with pytest.raises(CancelledError):
        meng.fit_mgwr(coords, y, X, progress=progress)


def _assert_inference_matches(ours, ref, bse_atol=1e-5, enp_rtol=1e-8):
    assert_allclose(ours.params, ref.params, atol=1e-5)
    assert_allclose(ours.bse, ref.bse, atol=bse_atol)
    assert_allclose(ours.tvalues, ref.tvalues, atol=max(bse_atol, 1e-5) * 10)
    assert_allclose(ours.enp, ref.ENP_j, rtol=enp_rtol)
    assert_allclose(ours.aicc, ref.aicc, atol=1e-3)


@pytest.mark.parametrize("tile_rows", [7, 40])
def test_exact_inference_over_many_spatial_tiles_matches_mgwr(georgia_reference, monkeypatch,
                                                              tile_rows):
    coords, y, X, selector, bws, ref = georgia_reference
    monkeypatch.setattr(meng, "TILE_ROWS", tile_rows)
    _assert_inference_matches(meng.fit_mgwr(coords, y, with_intercept(X)), ref)


def test_exact_inference_block_by_block_matches_mgwr(georgia_reference, monkeypatch):
    """Past WHOLE_LIMIT the replay streams kernel blocks and works on column blocks."""
    coords, y, X, selector, bws, ref = georgia_reference
    monkeypatch.setattr(meng, "WHOLE_LIMIT", 10)
    monkeypatch.setattr(meng, "REPLAY_ELEMENTS", 159 * 4 * 30)  # 30 identity columns a block
    monkeypatch.setattr(kern, "BLOCK_ELEMENTS", 159 * 20)  # 20-row kernel blocks
    ours = meng.fit_mgwr(coords, y, with_intercept(X), inference="exact")
    _assert_inference_matches(ours, ref)
    full = MGWR(coords, y[:, None], X, selector, hat_matrix=True, n_jobs=1).fit()
    assert_allclose(ours.influ, np.diag(full.S), atol=1e-10)


@pytest.mark.parametrize("large_limit", [21000, 50])
def test_large_n_kernel_paths_match_mgwr(georgia_reference, monkeypatch, large_limit):
    """The code paths of n > TABLE_LIMIT (single-precision sorted tables or none, weights
    cached in single precision from their second use, kernel blocks built ahead by worker
    threads), forced on Georgia: same bandwidths, estimates to single-precision accuracy."""
    coords, y, X, selector, bws, ref = georgia_reference
    monkeypatch.setattr(kern, "TABLE_LIMIT", 50)
    monkeypatch.setattr(kern, "LARGE_TABLE_LIMIT", large_limit)
    monkeypatch.setattr(kern, "BLOCK_ELEMENTS", 159 * 12)
    sk = kern.SpatialKernel(coords)
    assert sk.block_rows == 12 and sk._tables() is None
    assert (sk._large_tables() is not None) == (large_limit > 159)
    ours = meng.fit_mgwr(coords, y, with_intercept(X), inference="exact", skernel=sk)
    assert np.array_equal(ours.bandwidths, bws)
    assert any(p[2].dtype == np.float32 for parts in sk._cache.values() for p in parts)
    _assert_inference_matches(ours, ref, bse_atol=1e-5, enp_rtol=1e-5)


def test_prefetch_keeps_order_passes_errors_and_drops_unstarted_work():
    from carbon_spacetime.core.kernel import _prefetch

    assert list(_prefetch(lambda v: v * v, list(range(50)))) == [v * v for v in range(50)]
    started = []

    def slow(v):
        started.append(v)
        if v == 3:
            raise kern.RegressionError("bad block 3")
        return v

    with pytest.raises(kern.RegressionError, match="bad block 3"):
        list(_prefetch(slow, list(range(1000))))
    assert len(started) < 20  # the rest was never started
    started.clear()
    gen = _prefetch(slow, list(range(10, 1000)))
    assert next(gen) == 10
    gen.close()  # the caller stops early (a cancel request)
    assert len(started) < 20


def test_tiled_smoother_equals_direct_product():
    coords, y, X, _ = synthetic(size=20)
    sk = kern.SpatialKernel(coords)
    rng = np.random.default_rng(3)
    v = rng.normal(size=(len(y), 37))
    for bw, kernel in ((30, "bisquare"), (250, "bisquare"), (30, "gaussian")):
        sk = kern.SpatialKernel(coords, kernel)
        w = meng._whole_matrix(sk, bw)
        w = w.toarray() if hasattr(w, "toarray") else w
        direct = (w @ (X[:, 1, None] * v)) / (w @ X[:, 1] ** 2)[:, None]
        order, groups = meng.tile_order(coords, 16)
        position = np.argsort(order)
        smoother = meng._TiledSmoother(meng._reordered(meng._whole_matrix(sk, bw), order, position),
                                       X[order, 1], groups)
        assert_allclose(smoother(v[order]), direct[order], rtol=1e-12, atol=1e-14)
        assert sorted(np.concatenate(groups).tolist()) == list(range(len(y)))
        assert max(len(g) for g in groups) <= 16
    with pytest.raises(ValueError, match="consecutive"):  # tiles of scattered rows
        meng._TiledSmoother(meng._whole_matrix(sk, 30), X[:, 1], meng.spatial_groups(coords, 16))


def test_prefetch_inside_a_worker_runs_in_line():
    """Nested use (a worker's task that itself prefetches) must not wait on busy workers."""
    from carbon_spacetime.core.kernel import _prefetch

    def inner(v):
        return sum(_prefetch(lambda u: u + v, list(range(5))))

    assert list(_prefetch(inner, list(range(8)))) == [sum(u + v for u in range(5)) for v in range(8)]


def test_large_n_replay_tiles_neighbour_list_kernels():
    """Beyond WHOLE_LIMIT, small adaptive bisquare bandwidths are tiled (BLAS products over
    each tile's reach), larger ones streamed; both equal the direct smoother."""
    coords, y, X, _ = synthetic(size=20)
    sk = kern.SpatialKernel(coords)
    n = len(y)
    smoothers = meng._Smoothers(sk, X, whole=False)
    o = smoothers.order
    rng = np.random.default_rng(5)
    v = rng.normal(size=(n, 11))
    for bw, kind in ((40, meng._TiledSmoother), (n // 2, meng._Reordered)):
        w = meng._whole_matrix(sk, bw)
        w = w.toarray() if hasattr(w, "toarray") else w
        direct = (w @ (X[:, 1, None] * v)) / (w @ X[:, 1] ** 2)[:, None]
        smoother = smoothers[(1, float(bw))]
        assert isinstance(smoother, kind)
        assert kind is meng._TiledSmoother or isinstance(smoother.smoother, meng._StreamedSmoother)
        assert_allclose(smoother(v[o]), direct[o], rtol=1e-12, atol=1e-14)
    tight = meng._Smoothers(sk, X, whole=False, tile_budget=1000)  # tiles do not fit: streamed
    assert isinstance(tight[(1, 40.0)].smoother, meng._StreamedSmoother)


def test_tile_order_gives_contiguous_tiles_and_runs_and_the_same_smoothers():
    """Numbered tile by tile, every tile is a run of consecutive rows and its reach a few
    runs of consecutive columns (products in place, no gathered copies); tiled, whole and
    streamed smoothers on rows in that order equal the direct smoother."""
    coords, y, X, _ = synthetic(size=20)
    n = len(y)
    order, groups = meng.tile_order(coords, 16)
    assert sorted(order.tolist()) == list(range(n))
    assert [g.tolist() for g in groups] == [list(range(g[0], g[-1] + 1)) for g in groups]
    assert max(len(g) for g in groups) <= 16
    starts, ends = meng._runs(np.array([0, 1, 2, 5, 5 + meng.RUN_GAP + 2, 60]))
    assert starts.tolist() == [0, 5 + meng.RUN_GAP + 2, 60] and ends.tolist() == [6, 24, 61]
    rng = np.random.default_rng(11)
    v = rng.normal(size=(n, 9))
    sk = kern.SpatialKernel(coords)
    for whole, cases in ((False, ((40, meng._TiledSmoother), (n // 2, meng._Reordered))),
                         (True, ((40, meng._TiledSmoother), (n // 2, meng._TiledSmoother)))):
        smoothers = meng._Smoothers(sk, X, whole=whole)
        o = smoothers.order
        assert np.array_equal(smoothers.position[o], np.arange(n))
        for bw, kind in cases:
            w = meng._whole_matrix(sk, bw)
            w = w.toarray() if hasattr(w, "toarray") else w
            direct = (w @ (X[:, 1, None] * v)) / (w @ X[:, 1] ** 2)[:, None]
            smoother = smoothers[(1, float(bw))]
            assert isinstance(smoother, kind)
            assert_allclose(smoother(v[o]), direct[o], rtol=1e-12, atol=1e-14)
            out = np.full_like(v, np.nan)
            assert smoother(v[o], out=out) is out
            assert_allclose(out, direct[o], rtol=1e-12, atol=1e-14)
            if kind is meng._TiledSmoother and bw == 40:
                assert all(isinstance(rows, slice) for rows, _, _ in smoother.tiles)
                runs = [cols for _, parts, _ in smoother.tiles for cols, _ in parts]
                assert all(isinstance(cols, slice) for cols in runs)
                assert len(runs) < 4 * len(smoother.tiles)


@pytest.mark.parametrize("dummy", [False, True])
def test_replay_matches_a_textbook_replay_in_every_smoother_layout(dummy):
    """The replay keeps only the parts and two inputs, completing the next term's input tile
    by tile; it must equal the plain back-fitting recursion with dense smoother matrices, for
    tiles of consecutive rows (tile order), and whole or streamed smoothers. ``dummy``: a 0/1
    covariate (and one negligible value), whose rows the tiles keep as coefficient rows."""
    coords, y, X, _ = synthetic(size=16)
    n, k = X.shape
    if dummy:
        X = X.copy()
        X[:, 2] = (np.arange(n) % 3 != 0).astype(float)
        X[5, 2] = 1e-130
    sk = kern.SpatialKernel(coords)
    history = np.array([[90.0, 40.0, 200.0], [120.0, 40.0, 160.0]])
    init_bw = 70.0
    init = eng.gwr_fit(sk, np.zeros(n), X, init_bw, keep_inverse=True)
    w0 = meng._whole_matrix(sk, init_bw)
    w0 = w0.toarray() if hasattr(w0, "toarray") else w0
    rng = np.random.default_rng(3)
    for columns in (np.arange(n), None):
        probes = np.eye(n) if columns is not None else rng.choice([-1.0, 1.0], size=(n, 7))
        # textbook: the initial GWR's coefficients (X'W_iX)^-1 X'W_i z, then per term
        # coef_j = C_j (part_j + err)
        initial = [np.stack([init.inverse[i, j, :] @ (X.T * w0[i]) @ probes for i in range(n)])
                   for j in range(k)]
        coef = [c.copy() for c in initial]
        part = [X[:, j, None] * coef[j] for j in range(k)]
        err = probes - sum(part)
        for row in history:
            for j, bw in enumerate(row):
                w = meng._whole_matrix(sk, bw)
                w = w.toarray() if hasattr(w, "toarray") else w
                smoother = (w * X[:, j]) / (w @ X[:, j] ** 2)[:, None]
                old = part[j] + err
                coef[j] = smoother @ old
                part[j] = X[:, j, None] * coef[j]
                err = old - part[j]
        if columns is not None:
            want = ([np.trace(p) for p in part], np.stack([(c * c).sum(axis=1) for c in coef], 1),
                    np.diag(sum(part)))
        else:
            want = ([np.sum(probes * p) for p in part],
                    np.stack([(c * c).sum(axis=1) for c in coef], 1),
                    np.sum(probes * sum(part), axis=1))
        for whole in (True, False):
            smoothers = meng._Smoothers(sk, X, whole=whole)
            order = smoothers.order
            position = np.argsort(order)
            init_coef = [c[order] for c in initial]
            rows = position[columns] if columns is not None else None
            enp, cct, influ = meng.replay_inference(
                X[order], init_coef, history, np.array(probes[order]), smoothers, rows)
            assert_allclose(enp, want[0], rtol=1e-11)
            assert_allclose(cct[position], want[1], rtol=1e-11)
            assert_allclose(influ[position], want[2], rtol=1e-11, atol=1e-14)


def test_exact_replay_in_column_blocks_reuses_one_work_space(georgia_reference, monkeypatch):
    """Smoothers held whole, identity columns in blocks of 37 (the last one 11): every block
    works in the same arrays, and the inference still matches mgwr's."""
    coords, y, X, selector, bws, ref = georgia_reference
    n, k = X.shape[0], X.shape[1] + 1
    monkeypatch.setattr(meng, "REPLAY_ELEMENTS", n * k * 37)
    seen = []
    replay = meng.replay_inference

    def spy(X_, init_coef, history, probes, smoothers, columns=None, progress=None, spare=None,
            support=None):
        seen.append([a.__array_interface__["data"][0] for a in (*init_coef, probes, spare)])
        return replay(X_, init_coef, history, probes, smoothers, columns, progress, spare,
                      support)

    monkeypatch.setattr(meng, "replay_inference", spy)
    ours = meng.fit_mgwr(coords, y, with_intercept(X), inference="exact")
    assert len(seen) == -(-n // 37) and all(addresses == seen[0] for addresses in seen)
    _assert_inference_matches(ours, ref)
    full = MGWR(coords, y[:, None], X, selector, hat_matrix=True, n_jobs=1).fit()
    assert_allclose(ours.influ, np.diag(full.S), atol=1e-10)


def test_initial_coefficients_from_a_neighbour_list_equal_the_dense_products():
    """A sparse initial kernel gives the coefficients of its non-zero weights only, written
    over whatever the work arrays held; they equal the dense products."""
    coords, y, X, _ = synthetic(size=20)
    n, k = X.shape
    sk = kern.SpatialKernel(coords)
    bw = 40.0
    whole = meng._whole_matrix(sk, bw)
    assert kern.sparse.issparse(whole)
    inverse = eng.gwr_fit(sk, y, X, bw, keep_inverse=True).inverse
    columns = np.arange(150, 290)
    out = [np.full((n, len(columns)), np.nan) for _ in range(k)]
    weights = whole[:, columns[0]:columns[-1] + 1].tocoo()
    ours = meng._neighbour_list_coefficients(X, inverse, columns, weights, out)
    dense = meng._initial_coefficients(sk, X, bw, inverse, None, columns, whole.toarray())
    assert all(a is b for a, b in zip(ours, out))
    for a, b in zip(ours, dense):
        assert_allclose(a, b, rtol=1e-14, atol=1e-17 * np.abs(b).max())
        assert np.count_nonzero(a) == np.count_nonzero(b)


def test_replay_from_a_sparse_start_is_the_dense_replay_exactly():
    """With a sparse initial kernel, the parts and the first input are formed only where the
    initial coefficients and the identity may differ from zero: bit for bit the same."""
    coords, y, X, _ = synthetic(size=20)
    n, k = X.shape
    sk = kern.SpatialKernel(coords)
    smoothers = meng._Smoothers(sk, X, whole=True)
    order, position = smoothers.order, smoothers.position
    init_bw = 40.0
    inverse = eng.gwr_fit(sk, np.zeros(n), X, init_bw, keep_inverse=True).inverse[order]
    whole = meng._whole_matrix(sk, init_bw)[order]
    assert kern.sparse.issparse(whole)
    history = np.array([[90.0, 40.0, 200.0], [120.0, 40.0, 160.0]])
    columns = np.arange(100, 260)
    rows = position[columns]
    weights = whole[:, columns[0]:columns[-1] + 1].tocoo()
    results = []
    for support in (None, (np.concatenate([weights.row, rows]),
                           np.concatenate([weights.col, np.arange(len(columns))]))):
        probes = np.zeros((n, len(columns)))
        probes[rows, np.arange(len(columns))] = 1.0
        parts = [np.full((n, len(columns)), np.nan) for _ in range(k)]
        init_coef = meng._neighbour_list_coefficients(X, inverse, columns, weights, parts)
        results.append(meng.replay_inference(X[order], init_coef, history, probes, smoothers,
                                             rows, support=support))
    for a, b in zip(*results):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("room", [True, False])
def test_inference_frees_the_kernel_tables_once_every_smoother_is_built(monkeypatch, room):
    """Small n: with every smoother built before the replay, the distance tables and kernels
    (but the initial one) are freed; without room for them all, they are kept for the
    smoothers built on the way. Results are the same, and the kernel still serves later fits."""
    coords, y, X, _ = synthetic(size=20)
    if not room:
        monkeypatch.setattr(meng, "SMOOTHER_BYTES", 200_000)
    sk = kern.SpatialKernel(coords)
    ours = meng.fit_mgwr(coords, y, X, skernel=sk)
    assert (sk._full is None) == room
    if room:
        assert list(sk._cache) == [ours.bw_init]
    ref = meng.fit_mgwr(coords, y, X, inference="exact")
    assert_allclose(ours.bse, ref.bse, rtol=1e-12)
    assert_allclose(ours.enp, ref.enp, rtol=1e-12)
    again = eng.gwr_fit(sk, y, X, 55.0)
    assert_allclose(again.params, eng.gwr_fit(kern.SpatialKernel(coords), y, X, 55.0).params,
                    rtol=1e-12)


def test_planned_smoothers_are_kept_while_needed_and_never_thrash(monkeypatch):
    """A replay asks for the terms in turn; when they do not all fit the budget, the planned
    cache keeps those that fit (least recently used would evict each before its next use),
    drops each after its last use, and the smoothers are the same either way."""
    coords, y, X, _ = synthetic(size=20)
    sk = kern.SpatialKernel(coords)
    built = []

    class Counted(meng._TiledSmoother):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            built.append(self.nbytes)

    monkeypatch.setattr(meng, "_TiledSmoother", Counted)
    keys = [(0, 60.0), (1, 90.0), (2, 120.0)]
    sizes = [meng._Smoothers(sk, X, whole=True)[key].nbytes for key in keys]
    budget = sizes[0] + sizes[1] + sizes[2] // 2  # two of the three fit
    v = np.random.default_rng(2).normal(size=(len(y), 5))
    results = {}
    for planned in (False, True):
        built.clear()
        smoothers = meng._Smoothers(sk, X, whole=True, budget=budget)
        if planned:
            smoothers.plan(keys * 4)
        for _ in range(4):
            for key in keys:
                out = smoothers[key](v)
                assert_allclose(out, results.setdefault(key, out), rtol=0, atol=0)
        assert len(built) == (2 + 4 if planned else 12)
        assert not planned or not smoothers.cache  # each dropped after its last use


def test_memory_budget_refuses_or_shrinks_and_never_changes_results(georgia_reference):
    """cache_budget: unknown memory keeps the default; too little is refused with the numbers;
    little memory shrinks the weight-matrix cache, which costs time, not results."""
    gib = 2 ** 30
    assert kern.cache_budget(20_000, None) is None
    with pytest.raises(kern.RegressionError, match=r"20,000 locations needs at least 4\.4 GiB.*only 2\.0 GiB"):
        kern.cache_budget(20_000, 2 * gib, full_order=True)
    assert kern.cache_budget(20_000, 64 * gib) == kern.default_cache_bytes(20_000)
    full = kern.cache_budget(20_000, 64 * gib, full_order=True)
    assert full == kern.default_cache_bytes(20_000) - int(2.6 * 20_000 ** 2)
    assert kern.cache_budget(20_000, 64 * gib, fixed=True, full_order=True) == kern.default_cache_bytes(20_000)
    need = kern.table_bytes(20_000, full_order=True) + kern.WORKING_BYTES
    assert kern.cache_budget(20_000, need + gib, full_order=True) == int(0.8 * gib)
    assert kern.cache_budget(50_000, 3 * gib) == int(0.8 * (3 * gib - kern.WORKING_BYTES))
    assert kern.table_bytes(3000) == 20 * 3000 ** 2 and kern.table_bytes(50_000) == 0

    coords, y, X, selector, bws, ref = georgia_reference
    starved = meng.fit_mgwr(coords, y, with_intercept(X),
                            skernel=kern.SpatialKernel(coords, cache_bytes=0))
    assert np.array_equal(starved.bandwidths, bws)
    assert_allclose(starved.params, ref.params, atol=1e-5)
    assert_allclose(starved.bse, ref.bse, atol=1e-5)

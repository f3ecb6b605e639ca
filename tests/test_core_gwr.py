"""GWR / OLS engine against mgwr 2.2.1, GWR4's Georgia outputs and spreg."""

import numpy as np
import pytest
from _georgia import georgia, georgia_path, read_csv, with_intercept
from carbon_spacetime.core import gwr as eng
from carbon_spacetime.core import kernel as kern
from mgwr.gwr import GWR  # noqa: E402
from mgwr.sel_bw import Sel_BW  # noqa: E402
from numpy.testing import assert_allclose

pytestmark = pytest.mark.usefixtures("one_blas_thread")


@pytest.mark.parametrize(
    "kernel,fixed,criterion",
    [
        ("bisquare", False, "AICc"),
        ("bisquare", False, "AIC"),
        ("bisquare", False, "BIC"),
        ("bisquare", False, "CV"),
        ("gaussian", False, "AICc"),
        ("exponential", False, "AICc"),
        ("bisquare", True, "AICc"),
        ("gaussian", True, "CV"),
    ],
)
def test_gwr_matches_mgwr(kernel, fixed, criterion):
    coords, y, X = georgia()
    bw = Sel_BW(coords, y[:, None], X, kernel=kernel, fixed=fixed).search(criterion=criterion)
    ref = GWR(coords, y[:, None], X, bw, kernel=kernel, fixed=fixed).fit()
    ours = eng.fit_gwr(coords, y, with_intercept(X), kernel=kernel, fixed=fixed, criterion=criterion)
    assert ours.bandwidths[0] == bw
    assert_allclose(ours.params, ref.params, atol=1e-5)
    assert_allclose(ours.bse, ref.bse, atol=1e-5)
    assert_allclose(ours.tvalues, ref.tvalues, atol=1e-5)
    assert_allclose(ours.aicc, ref.aicc, atol=1e-3)
    assert_allclose(ours.aic, ref.aic, atol=1e-3)
    assert_allclose(ours.bic, ref.bic, atol=1e-3)
    assert_allclose(ours.tr_s, ref.tr_S, rtol=1e-9)
    assert_allclose(ours.tr_sts, ref.tr_STS, rtol=1e-9)
    assert_allclose(ours.sigma2, ref.sigma2, rtol=1e-9)
    assert_allclose(ours.r2, ref.R2, atol=1e-9)
    assert_allclose(ours.adj_r2, ref.adj_R2, atol=1e-9)
    assert_allclose(ours.local_r2, ref.localR2.ravel(), atol=1e-8)
    assert_allclose(ours.std_resid, ref.std_res.ravel(), atol=1e-8)
    assert_allclose(ours.influ, ref.influ.ravel(), atol=1e-10)
    assert_allclose(ours.adj_t_crit[0], ref.critical_tval(), rtol=1e-10)
    assert_allclose(ours.predy, ref.predy.ravel(), atol=1e-10)


def test_interval_search_matches_mgwr():
    coords, y, X = georgia()
    sel = Sel_BW(coords, y[:, None], X)
    bw = sel.search(search_method="interval", bw_min=60, bw_max=150, interval=7)
    sk = kern.SpatialKernel(coords)
    ours, score, hist = eng.select_bandwidth(sk, y, with_intercept(X), search="interval",
                                           bw_min=60, bw_max=150, interval=7)
    assert ours == bw
    assert [h[0] for h in hist] == [h[0] for h in sel.sel_hist]
    assert_allclose([h[1] for h in hist], [float(np.ravel(h[1])[0]) for h in sel.sel_hist])


def test_bounded_golden_section_matches_mgwr():
    coords, y, X = georgia()
    bw = Sel_BW(coords, y[:, None], X, fixed=True).search(bw_min=100000.0, bw_max=250000.0)
    ours = eng.fit_gwr(coords, y, with_intercept(X), fixed=True, bw_min=100000.0, bw_max=250000.0)
    assert ours.bandwidths[0] == bw


@pytest.mark.parametrize(
    "stem,kernel,fixed,bw",
    [("georgia_BS_NN", "bisquare", False, 90.0), ("georgia_GS_F", "gaussian", True, 87308.298)],
)
def test_gwr_matches_gwr4_outputs(stem, kernel, fixed, bw):
    """GWR4's own listwise output for Georgia (unstandardised, as in mgwr's tests)."""
    path = georgia_path(stem + "_listwise.csv")
    ref = read_csv(path)
    coords, y, X = georgia(standardise=False, explanatory=("PctRural", "PctPov", "PctBlack"))
    ours = eng.fit_gwr(coords, y, with_intercept(X), bw=bw, kernel=kernel, fixed=fixed,
                     sigma2_v1=False)
    for j, name in enumerate(["Intercept", "PctRural", "PctPov", "PctBlack"]):
        assert_allclose(ours.params[:, j], ref["est_" + name], rtol=1e-4, atol=1e-6)
        assert_allclose(ours.bse[:, j], ref["se_" + name], rtol=1e-4, atol=1e-6)
        assert_allclose(ours.tvalues[:, j], ref["t_" + name], rtol=1e-4, atol=1e-5)
    assert_allclose(ours.predy, ref["yhat"], rtol=1e-5)
    assert_allclose(ours.local_r2, ref["localR2"], rtol=1e-5, atol=1e-6)
    assert_allclose(ours.influ, ref["influence"], rtol=1e-4, atol=1e-6)
    assert_allclose(ours.std_resid, ref["std_residual"], rtol=1e-4, atol=1e-5)


def test_ols_matches_spreg():
    import spreg
    coords, y, X = georgia()
    ref = spreg.OLS(y[:, None], X)
    ours = eng.fit_ols(y, with_intercept(X))
    assert_allclose(ours.params[0], ref.betas.ravel(), rtol=1e-10)
    assert_allclose(ours.bse[0], ref.std_err, rtol=1e-10)
    assert_allclose(ours.tvalues[0], [t[0] for t in ref.t_stat], rtol=1e-10)
    assert_allclose(ours.pvalues, [t[1] for t in ref.t_stat], rtol=1e-8, atol=1e-12)
    assert_allclose(ours.r2, ref.r2, rtol=1e-10)
    assert_allclose(ours.adj_r2, ref.ar2, rtol=1e-10)
    assert_allclose(ours.sigma2, ref.sig2n_k, rtol=1e-10)


def test_gwr_at_infinite_bandwidth_is_ols():
    coords, y, X = georgia()
    Xc = with_intercept(X)
    big = eng.fit_gwr(coords, y, Xc, bw=1e12, kernel="gaussian", fixed=True)
    ols = eng.fit_ols(y, Xc)
    assert_allclose(big.params, ols.params, atol=1e-8)
    assert_allclose(big.aicc, ols.aicc, atol=1e-6)


def test_sparse_knn_path_equals_dense_path():
    """The k-d tree path (large n, small bandwidth) equals dense distance blocks."""
    rng = np.random.default_rng(3)
    coords = rng.uniform(0, 100, (2600, 2))
    coords[5] = coords[6]  # a duplicate location (tied neighbours)
    sk = kern.SpatialKernel(coords, cache_bytes=0)
    dense = np.vstack([sk._dense_block(r0, min(r0 + 500, 2600), 60) for r0 in range(0, 2600, 500)])
    knn = sk._knn_block(0, 2600, 60).toarray()
    assert_allclose(knn, dense, atol=1e-15)
    assert np.all((knn > 0).sum(axis=1) >= 59)


def test_singular_local_regression_names_variable():
    rng = np.random.default_rng(0)
    coords = np.column_stack([np.arange(60.0), np.zeros(60)])
    dummy = (coords[:, 0] >= 30).astype(float)  # constant in each half
    X = np.column_stack([np.ones(60), rng.normal(size=60), dummy])
    y = rng.normal(size=60)
    with pytest.raises(kern.RegressionError, match="'dummy'.*at least"):
        eng.fit_gwr(coords, y, X, bw=10, names=["Intercept", "x", "dummy"])


def test_large_tables_hold_sorted_distances_and_the_nearest_third(monkeypatch):
    """Mid-size n: all sorted distances (float32) but the neighbour order of the nearest
    n / 3 + 64 only; neighbour lists wider than that come from the k-d tree."""
    monkeypatch.setattr(kern, "TABLE_LIMIT", 50)
    rng = np.random.default_rng(11)
    coords = rng.uniform(0, 100, (300, 2))
    sk = kern.SpatialKernel(coords)
    dist, order = sk._large_tables()
    full = np.linalg.norm(coords[:, None, :] - coords[None, :, :], axis=2)
    m = 300 // 3 + 64
    assert dist.shape == (300, 300) and order.shape == (300, m)
    assert_allclose(dist, np.sort(full, axis=1), rtol=1e-7)
    assert np.array_equal(order, np.argsort(full, axis=1)[:, :m])
    d, idx = sk._sorted_neighbours(0, 40, m + 20)  # wider: the tree, same precision
    assert np.array_equal(idx, np.argsort(full[:40], axis=1)[:, :m + 20])
    assert_allclose(d, dist[:40, :m + 20], rtol=0, atol=0)
    w = sk._knn_block(0, 300, 90).toarray()
    dense = kern.SpatialKernel(coords)._dense_block(0, 300, 90)
    assert_allclose(w, dense, atol=1e-6)


def test_kernel_cache_keeps_one_of_two_matrices_used_in_turn(monkeypatch):
    """Two large bandwidths requested in turn (the first two probes of every golden-section
    search) with room for one: one stays cached instead of both evicting each other."""
    monkeypatch.setattr(kern, "TABLE_LIMIT", 50)
    rng = np.random.default_rng(5)
    n = 300
    coords = rng.uniform(0, 100, (n, 2))
    sk = kern.SpatialKernel(coords, cache_bytes=int(1.5 * n * n * 4))  # one float32 matrix
    built = []
    dense_block = sk._dense_block
    monkeypatch.setattr(sk, "_dense_block",
                        lambda r0, r1, bw: (r0 == 0 and built.append(bw)) or dense_block(r0, r1, bw))
    ones = np.ones((n, 1))
    for _ in range(6):
        for bw in (150, 250):
            sums = np.vstack([s for _, _, s in sk.map_blocks(bw, lambda r0, r1, w: kern.weighted_sums(w, ones))])
            assert_allclose(sums[:, 0], dense_block(0, n, bw).sum(axis=1), rtol=1e-6)
    assert min(built.count(150), built.count(250)) == 2  # cached from its second request on
    assert len(sk._cache) == 1
    sk.keep_only([], cache_bytes=0)
    assert not sk._cache and sk.cache_bytes == 0


def test_single_covariate_fits_reuse_kernel_sums_of_x_squared(monkeypatch):
    """Back-fitting fits a term again and again at the same bandwidths: sum_l w_il x_l^2 is
    memoized for neighbour-list kernels only, bitwise equal to a new product, within a budget."""
    rng = np.random.default_rng(8)
    n = 400
    coords = rng.uniform(0, 100, (n, 2))
    x = rng.normal(size=(n, 1))
    sk = kern.SpatialKernel(coords)
    ys = rng.normal(size=(3, n))
    fits = [eng.gwr_fit(sk, y, x, 60) for y in ys]
    assert len(sk._sums) == 1  # one memo for (bandwidth 60, x), used by the second and third fits
    for y, fit in zip(ys, fits):
        new = eng.gwr_fit(kern.SpatialKernel(coords), y, x, 60)
        assert np.array_equal(fit.params, new.params) and np.array_equal(fit.influ, new.influ)
    eng.gwr_fit(sk, ys[0], x, 300)  # dense kernel (300 * 3 > n): not memoized
    assert len(sk._sums) == 1
    monkeypatch.setattr(kern, "SUMS_BYTES", 16 * n)  # room for one (key and sums: 8 n bytes each)
    eng.gwr_fit(sk, ys[0], x, 70)
    assert [key[0] for key in sk._sums] == [70.0]


def test_student_t_values_equal_scipy_stats_without_importing_it():
    """Critical t values and OLS p-values come from scipy.special (what scipy.stats.t uses),
    equal to scipy.stats.t; a regression never imports scipy.stats (0.4-0.8 s to import)."""
    import os
    import subprocess
    import sys

    from conftest import PLUGINS
    from scipy.stats import t as t_dist
    alpha = 0.05 / np.array([1.0, 2.5, 7.3, 40.0, 310.0])
    for n in (12, 159, 2000, 250_000):
        assert_allclose(eng.critical_t(alpha, n), t_dist.ppf(1.0 - alpha / 2.0, n - 1), rtol=1e-15)
    coords, y, X = georgia()
    ols = eng.fit_ols(y, with_intercept(X))
    n, k = ols.n, len(ols.names)
    assert_allclose(ols.pvalues, 2.0 * t_dist.sf(np.abs(ols.tvalues[0]), n - k), rtol=1e-15)
    assert_allclose(ols.adj_t_crit, t_dist.ppf(0.975, n - k), rtol=1e-15)
    script = (
        "import sys, numpy as np\n"
        "from carbon_spacetime.core.mgwr import fit_mgwr\n"
        "from carbon_spacetime.core.gwr import fit_gwr, fit_ols\n"
        "rng = np.random.default_rng(0)\n"
        "c = rng.random((120, 2)); X = np.column_stack([np.ones(120), rng.random(120)])\n"
        "y = X @ [1.0, 2.0] + rng.random(120)\n"
        "fit_mgwr(c, y, X); fit_gwr(c, y, X); fit_ols(y, X)\n"
        "print('scipy.stats' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(PLUGINS)}, check=True)
    assert out.stdout.strip() == "False"

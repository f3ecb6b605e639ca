"""Spatial weights and clustering statistics against esda 2.7 / libpysal 4.13.

Real data shipped inside the libpysal wheel (Columbus, Baltimore, St Louis,
SIDS, de Smith), small grids with NaN holes and an isolated cell, and exact
enumeration of all permutations for the randomisation moments.
"""

import itertools
import warnings

import esda
import libpysal
import numpy as np
import pytest
from carbon_spacetime.core import getis_ord, moran
from carbon_spacetime.core import weights as sw
from carbon_spacetime.core.inference import StatisticError, confidence_bins, fdr_thresholds
from libpysal import examples  # noqa: E402
from numpy.testing import assert_allclose, assert_array_equal

warnings.filterwarnings("ignore")
TOL = dict(rtol=1e-9, atol=1e-12)


def _shapes(name):
    f = libpysal.io.open(examples.get_path(name))
    shapes = list(f)
    f.close()
    return shapes


def _column(dbf, name):
    db = libpysal.io.open(examples.get_path(dbf))
    values = np.asarray(db.by_col(name), dtype=float)
    db.close()
    return values


def _rings(shapes):
    return [[np.asarray(r, dtype=float) for r in s.parts] for s in shapes]


def _binary_ref(w):
    w.transform = "b"
    return w


# ---------------------------------------------------------------------------
# Weights
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("shp", ["columbus.shp", "stl_hom.shp", "sids2.shp"])
@pytest.mark.parametrize("queen", [True, False])
def test_polygon_contiguity_matches_libpysal(shp, queen):
    ours = sw.contiguity_weights(_rings(_shapes(shp)), queen=queen, row_standardise=False)
    cls = libpysal.weights.Queen if queen else libpysal.weights.Rook
    ref = _binary_ref(cls.from_shapefile(examples.get_path(shp)))
    assert (ours.raw != ref.sparse).nnz == 0
    assert ours.n_islands == len(ref.islands)
    assert_allclose([ours.s0, ours.s1, ours.s2], [ref.s0, ref.s1, ref.s2], **TOL)


def _baltimore_xy():
    return np.column_stack([_column("baltim.dbf", "X"), _column("baltim.dbf", "Y")])


def _columbus_xy():
    return np.asarray([s.centroid for s in _shapes("columbus.shp")])


def test_default_distance_band_gives_everyone_a_neighbour():
    xy = _baltimore_xy()
    w = sw.distance_band_weights(xy, None, row_standardise=False)
    assert w.default_threshold
    assert w.n_islands == 0
    ref = libpysal.weights.min_threshold_distance(xy)
    assert_allclose(w.threshold, ref, rtol=1e-8)
    # A band slightly shorter leaves somebody alone.
    assert sw.distance_band_weights(xy, ref * (1 - 1e-6), row_standardise=False).n_islands >= 1


@pytest.mark.parametrize("threshold", [None, 1.0, 2.5])
def test_distance_band_matches_libpysal(threshold):
    xy = _columbus_xy()
    ours = sw.distance_band_weights(xy, threshold, row_standardise=True)
    ref = libpysal.weights.DistanceBand(xy, ours.threshold, binary=True, silence_warnings=True)
    ref.transform = "r"
    assert_allclose(ours.matrix.toarray(), ref.sparse.toarray(), **TOL)
    assert_allclose([ours.s0, ours.s1, ours.s2], [ref.s0, ref.s1, ref.s2], **TOL)


@pytest.mark.parametrize("power", [1.0, 2.0])
def test_inverse_distance_matches_libpysal(power):
    xy = _baltimore_xy()
    ours = sw.inverse_distance_weights(xy, 20.0, power=power, row_standardise=False)
    ref = libpysal.weights.DistanceBand(xy, 20.0, binary=False, alpha=-power, silence_warnings=True)
    assert_allclose(ours.raw.toarray(), ref.sparse.toarray(), **TOL)


@pytest.mark.parametrize("k", [1, 4, 8])
def test_knn_matches_libpysal(k):
    # Columbus centroids: no distance ties (Baltimore's integer coordinates have many, which
    # any k-NN implementation breaks arbitrarily).
    xy = _columbus_xy()
    ours = sw.knn_weights(xy, k, row_standardise=True)
    ref = libpysal.weights.KNN(xy, k=k)
    ref.transform = "r"
    assert_allclose(ours.matrix.toarray(), ref.sparse.toarray(), **TOL)
    assert_allclose([ours.s0, ours.s1, ours.s2], [ref.s0, ref.s1, ref.s2], **TOL)


def test_weights_errors():
    xy = np.array([[0.0, 0], [0, 0], [1, 1]])
    with pytest.raises(sw.WeightsError, match="same location"):
        sw.inverse_distance_weights(xy, 5.0)
    with pytest.raises(sw.WeightsError, match="K = 5"):
        sw.knn_weights(xy, 5)
    with pytest.raises(sw.WeightsError, match="k nearest"):
        sw.grid_kernel(sw.K_NEAREST)


# ---------------------------------------------------------------------------
# Grids: stencil engine against lat2W (with holes and an isolated cell)
# ---------------------------------------------------------------------------
def _grid_case(seed=3, h=11, w=13):
    rng = np.random.default_rng(seed)
    values = rng.gamma(2.0, 3.0, size=(h, w))
    values[:4, :5] += 12.0  # a hot corner
    mask = np.ones((h, w), bool)
    mask[4:6, 5:9] = False
    mask[0, 7] = False
    mask[9, 0] = mask[9, 1] = mask[10, 1] = False  # cell (10, 0) becomes an island for rook
    return values, mask


def _subset(wref, mask):
    ids = np.flatnonzero(mask.ravel())
    return libpysal.weights.w_subset(wref, ids, silence_warnings=True)


@pytest.mark.parametrize("kind", [sw.QUEEN, sw.ROOK])
@pytest.mark.parametrize("row", [True, False])
def test_grid_moments_and_moran_match_lat2w(kind, row):
    values, mask = _grid_case()
    h, w = mask.shape
    gw = sw.grid_weights(kind, mask, row_standardise=row)
    ref = _subset(libpysal.weights.lat2W(h, w, rook=kind == sw.ROOK), mask)
    y = values[mask]
    ref.transform = "r" if row else "b"
    assert_allclose([gw.s0, gw.s1, gw.s2], [ref.s0, ref.s1, ref.s2], **TOL)
    assert_allclose(gw.to_sparse().toarray(), ref.sparse.toarray(), **TOL)
    assert gw.n_islands == len(ref.islands)
    ours = moran.global_morans_i(y, gw)
    esd = esda.Moran(y, ref, transformation="r" if row else "b", permutations=0)
    assert_allclose(
        [ours.morans_i, ours.expected_i, ours.variance, ours.variance_normal, ours.z_score, ours.z_normal,
         ours.p_value, ours.p_normal],
        [esd.I, esd.EI, esd.VI_rand, esd.VI_norm, esd.z_rand, esd.z_norm, esd.p_rand, esd.p_norm], **TOL)


@pytest.mark.parametrize("kind", [sw.QUEEN, sw.ROOK])
def test_grid_local_statistics_match_esda(kind):
    values, mask = _grid_case()
    h, w = mask.shape
    y = values[mask]
    ref = _subset(libpysal.weights.lat2W(h, w, rook=kind == sw.ROOK), mask)
    gw = sw.grid_weights(kind, mask, row_standardise=True)
    n = y.size
    lm = moran.local_morans_i(y, gw)
    rl = esda.Moran_Local(y, ref, transformation="r", permutations=0)
    ok = gw.cardinalities > 0
    assert_allclose(lm.local_i[ok] * (n - 1) / n, rl.Is[ok], **TOL)
    assert_allclose(lm.expected_conditional, rl.EIc, **TOL)
    assert_allclose(lm.variance_conditional, rl.VIc, **TOL)
    assert_array_equal(lm.quadrant[ok], rl.q[ok])
    gi = getis_ord.getis_ord_gi_star(y, gw)
    ref.transform = "b"
    rg = esda.G_Local(y, ref, transform="B", star=True, permutations=0)
    assert_allclose(gi.z_score[ok], rg.Zs[ok], **TOL)
    assert np.all(np.isnan(gi.z_score[~ok])) and np.all(gi.bins[~ok] == 0)
    assert_array_equal(gi.n_neighbours, gw.cardinalities + 1)
    g = getis_ord.general_g(y, gw)
    rG = esda.G(y, ref, permutations=0)
    assert_allclose([g.observed_g, g.expected_g, g.variance, g.z_score, g.p_value],
                    [rG.G, rG.EG, rG.VG, rG.z_norm, 2 * rG.p_norm], **TOL)


@pytest.mark.parametrize("radius", [2.0, 2.9, 7.5])  # 7.5 cells -> 15x15 kernel -> FFT path
def test_grid_distance_band_matches_libpysal(radius):
    values, mask = _grid_case(h=24, w=26)
    rows, cols = np.nonzero(mask)
    xy = np.column_stack([cols + 0.5, -(rows + 0.5)]) * 30.0  # 30 m cells
    y = values[mask]
    ref = libpysal.weights.DistanceBand(xy, radius * 30.0 * (1 + 1e-9), binary=True, silence_warnings=True)
    gw = sw.grid_weights(sw.DISTANCE_BAND, mask, distance_cells=radius, row_standardise=True)
    ref.transform = "r"
    assert_allclose([gw.s0, gw.s1, gw.s2], [ref.s0, ref.s1, ref.s2], rtol=1e-9)
    ours = moran.global_morans_i(y, gw)
    esd = esda.Moran(y, ref, permutations=0)
    assert_allclose([ours.morans_i, ours.variance, ours.z_score], [esd.I, esd.VI_rand, esd.z_rand], rtol=1e-9)
    gi = getis_ord.getis_ord_gi_star(y, gw)
    ref.transform = "b"
    rg = esda.G_Local(y, ref, transform="B", star=True, permutations=0)
    assert_allclose(gi.z_score, rg.Zs, rtol=1e-8, atol=1e-10)


def test_grid_inverse_distance_matches_sparse_engine():
    values, mask = _grid_case(h=14, w=12)
    mask[12, 9:12] = False
    mask[13, 9] = False
    mask[13, 11] = False  # cell (13, 10): nearest valid neighbours 2 cells away
    rows, cols = np.nonzero(mask)
    xy = np.column_stack([cols + 0.5, -(rows + 0.5)]) * 100.0
    y = values[mask]
    gw = sw.grid_weights(sw.INVERSE_DISTANCE, mask, distance_cells=3.0, power=2.0, cell_size=100.0)
    fw = sw.inverse_distance_weights(xy, 300.0 * (1 + 1e-9), power=2.0)
    assert_allclose(gw.to_sparse().toarray(), fw.matrix.toarray(), rtol=1e-12)
    for stat in (moran.global_morans_i,):
        a, b = stat(y, gw), stat(y, fw)
        assert_allclose([a.morans_i, a.variance, a.z_score], [b.morans_i, b.variance, b.z_score], rtol=1e-10)
    assert_allclose(getis_ord.getis_ord_gi_star(y, gw).z_score, getis_ord.getis_ord_gi_star(y, fw).z_score,
                    rtol=1e-10)


def test_default_grid_band_grows_past_isolated_cells():
    mask = np.zeros((9, 9), bool)
    mask[0, :] = True
    mask[4, 4] = True  # nearest valid cell 4 cells away
    assert sw.default_grid_band(mask) == 4.0
    assert sw.default_grid_band(np.ones((3, 3), bool)) == 1.0


# ---------------------------------------------------------------------------
# Feature statistics on real data
# ---------------------------------------------------------------------------
def _case(name):
    if name == "columbus-queen":
        y = _column("columbus.dbf", "CRIME")
        ours = sw.contiguity_weights(_rings(_shapes("columbus.shp")), queen=True)
        ref = libpysal.weights.Queen.from_shapefile(examples.get_path("columbus.shp"))
    elif name == "stl-rook":
        y = _column("stl_hom.dbf", "HR8893")
        ours = sw.contiguity_weights(_rings(_shapes("stl_hom.shp")), queen=False)
        ref = libpysal.weights.Rook.from_shapefile(examples.get_path("stl_hom.shp"))
    elif name == "columbus-knn":
        y = _column("columbus.dbf", "HOVAL")
        ours = sw.knn_weights(_columbus_xy(), 6)
        ref = libpysal.weights.KNN(_columbus_xy(), k=6)
    elif name == "baltimore-band":
        y = _column("baltim.dbf", "PRICE")
        ours = sw.distance_band_weights(_baltimore_xy(), None)
        ref = libpysal.weights.DistanceBand(_baltimore_xy(), ours.threshold, silence_warnings=True)
    elif name == "desmith":
        data = np.loadtxt(examples.get_path("desmith.txt"), delimiter=",", skiprows=2)
        y = data[:, 1]
        ref = libpysal.io.open(examples.get_path("desmith.gal")).read()
        ours = sw.FeatureWeights.from_sparse(ref.sparse, row_standardise=True)
    else:  # sids2 queen, SIDR79
        y = _column("sids2.dbf", "SIDR79")
        ours = sw.contiguity_weights(_rings(_shapes("sids2.shp")), queen=True)
        ref = libpysal.weights.Queen.from_shapefile(examples.get_path("sids2.shp"))
    return y, ours, ref


CASES = ["columbus-queen", "stl-rook", "columbus-knn", "baltimore-band", "desmith", "sids2-queen"]


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("row", [True, False])
def test_global_moran_matches_esda(name, row):
    y, ours, ref = _case(name)
    if not row:
        ours = ours.unstandardised()
    r = moran.global_morans_i(y, ours)
    e = esda.Moran(y, ref, transformation="r" if row else "b", permutations=0)
    assert_allclose(
        [r.morans_i, r.expected_i, r.variance, r.z_score, r.p_value, r.variance_normal, r.z_normal,
         r.p_normal],
        [e.I, e.EI, e.VI_rand, e.z_rand, e.p_rand, e.VI_norm, e.z_norm, e.p_norm], **TOL)


@pytest.mark.parametrize("name", CASES)
def test_local_moran_matches_esda(name):
    y, ours, ref = _case(name)
    n = y.size
    r = moran.local_morans_i(y, ours)
    e = esda.Moran_Local(y, ref, transformation="r", permutations=0)
    # esda scales I_i by (n - 1) / n relative to Anselin (1995), GeoDa and spdep.
    assert_allclose(r.local_i * (n - 1) / n, e.Is, **TOL)
    assert_allclose(r.expected, e.EI, **TOL)
    assert_allclose(r.expected_conditional, e.EIc, **TOL)
    assert_allclose(r.variance_conditional, e.VIc, **TOL)
    assert_array_equal(r.quadrant, e.q)


@pytest.mark.parametrize("name", CASES)
def test_getis_ord_match_esda(name):
    y, ours, ref = _case(name)
    if np.any(y < 0):
        with pytest.raises(StatisticError, match="negative"):
            getis_ord.general_g(y, ours)
        y = y - y.min() + 1.0
    ref.transform = "b"
    gi = getis_ord.getis_ord_gi_star(y, ours)
    e = esda.G_Local(y, ref, transform="B", star=True, permutations=0)
    assert_allclose(gi.z_score, e.Zs, **TOL)
    assert_allclose(gi.p_value, 2 * e.p_norm, **TOL)
    g = getis_ord.general_g(y, ours)
    eg = esda.G(y, ref, permutations=0)
    assert_allclose([g.observed_g, g.expected_g, g.variance, g.z_score, g.p_value],
                    [eg.G, eg.EG, eg.VG, eg.z_norm, 2 * eg.p_norm], **TOL)


def test_gi_star_inverse_distance_against_dense_formula():
    """Ord & Getis (1995) Gi* written out densely for non-binary weights (self weight = row max)."""
    xy = _baltimore_xy()
    y = _column("baltim.dbf", "PRICE")
    w = sw.inverse_distance_weights(xy, 25.0, power=1.0)
    dense = w.raw.toarray()
    np.fill_diagonal(dense, np.where(dense.max(axis=1) > 0, dense.max(axis=1), 1.0))
    n = y.size
    xbar, s = y.mean(), np.sqrt((y ** 2).mean() - y.mean() ** 2)
    wi, s1 = dense.sum(1), (dense ** 2).sum(1)
    expected = (dense @ y - xbar * wi) / (s * np.sqrt((n * s1 - wi ** 2) / (n - 1)))
    got = getis_ord.getis_ord_gi_star(y, w).z_score
    ok = w.cardinalities > 0
    assert_allclose(got[ok], expected[ok], rtol=1e-10)
    assert np.isnan(got[~ok]).all()


# ---------------------------------------------------------------------------
# Randomisation moments by exact enumeration of all permutations
# ---------------------------------------------------------------------------
def test_randomisation_moments_by_exact_enumeration():
    rng = np.random.default_rng(7)
    xy = rng.random((7, 2))
    w = sw.knn_weights(xy, 2)
    y = np.array([1.0, 4.0, 2.5, 9.0, 3.0, 0.5, 6.0])
    glob = moran.global_morans_i(y, w)
    loc = moran.local_morans_i(y, w)
    stats, locs = [], []
    for perm in itertools.permutations(range(7)):
        yp = y[list(perm)]
        stats.append(moran.global_morans_i(yp, w).morans_i)
        locs.append(moran.local_morans_i(yp, w).local_i)
    stats, locs = np.array(stats), np.array(locs)
    assert_allclose(stats.mean(), glob.expected_i, rtol=1e-10)
    assert_allclose(stats.var(), glob.variance, rtol=1e-10)
    assert_allclose(locs.mean(axis=0), loc.expected, rtol=1e-10)
    assert_allclose(locs.var(axis=0), loc.variance, rtol=1e-10)
    # Conditional randomisation: z_i stays, the other values are permuted among the
    # other places. The z-score written as LMiZScore uses these moments.
    for i in range(7):
        others = [j for j in range(7) if j != i]
        values = []
        for perm in itertools.permutations(others):
            yp = y.copy()
            yp[others] = y[list(perm)]
            values.append(moran.local_morans_i(yp, w).local_i[i])
        values = np.array(values)
        assert_allclose(values.mean(), loc.expected_conditional[i], rtol=1e-10)
        assert_allclose(values.var(), loc.variance_conditional[i], rtol=1e-10)
        assert_allclose(loc.z_score[i], (loc.local_i[i] - values.mean()) / values.std(), rtol=1e-10)


# ---------------------------------------------------------------------------
# Permutations
# ---------------------------------------------------------------------------
def test_global_permutations_reproduce_esda_draws():
    y, ours, ref = _case("columbus-queen")
    r = moran.global_morans_i(y, ours, permutations=199, seed=12345)
    np.random.seed(12345)
    e = esda.Moran(y, ref, permutations=199)
    assert_allclose(r.simulated, e.sim, **TOL)
    assert r.pseudo_p_value == pytest.approx(e.p_sim)
    again = moran.global_morans_i(y, ours, permutations=199, seed=12345)
    assert again.pseudo_p_value == r.pseudo_p_value
    assert_array_equal(again.simulated, r.simulated)
    assert not np.array_equal(moran.global_morans_i(y, ours, permutations=199, seed=1).simulated, r.simulated)
    g = getis_ord.general_g(y, ours, permutations=99, seed=5)
    np.random.seed(5)
    eg = esda.G(y, ref, permutations=99)
    assert g.pseudo_p_value == pytest.approx(eg.p_sim)


def test_local_permutations_reproducible_and_agree_with_esda():
    y, ours, ref = _case("columbus-queen")
    a = moran.local_morans_i(y, ours, permutations=999, seed=42)
    b = moran.local_morans_i(y, ours, permutations=999, seed=42)
    c = moran.local_morans_i(y, ours, permutations=999, seed=43)
    assert_array_equal(a.pseudo_p_value, b.pseudo_p_value)
    assert not np.array_equal(a.pseudo_p_value, c.pseudo_p_value)
    e = esda.Moran_Local(y, ref, permutations=999, seed=42)
    # Independent random draws: pseudo p-values agree to Monte Carlo error.
    assert np.mean(np.abs(a.pseudo_p_value - e.p_sim)) < 0.02
    assert np.corrcoef(a.pseudo_p_value, e.p_sim)[0, 1] > 0.95


def test_grid_local_permutations_match_sparse_path():
    values, mask = _grid_case()
    gw = sw.grid_weights(sw.QUEEN, mask)
    fw = sw.FeatureWeights.from_sparse(gw.unstandardised().to_sparse(), row_standardise=True)
    y = values[mask]
    a = moran.local_morans_i(y, gw, permutations=99, seed=3)
    b = moran.local_morans_i(y, fw, permutations=99, seed=3)
    assert_allclose(a.pseudo_p_value, b.pseudo_p_value, equal_nan=True)


# ---------------------------------------------------------------------------
# Bins, FDR and errors
# ---------------------------------------------------------------------------
def test_confidence_bins_and_fdr_worked_example():
    z = np.array([3.5, -2.2, 1.8, 0.3, -3.1, 2.0, -1.7, 2.6])
    p = 2 * (1 - __import__("scipy").stats.norm.cdf(np.abs(z)))
    assert_array_equal(confidence_bins(z, p), [3, -2, 1, 0, -3, 2, -1, 3])
    # Benjamini-Hochberg by hand: sorted p and k/m*alpha.
    order = np.sort(p)
    m = len(p)
    for magnitude, alpha in ((3, 0.01), (2, 0.05), (1, 0.10)):
        passing = [order[k] for k in range(m) if order[k] <= (k + 1) / m * alpha]
        expected = passing[-1] if passing else -1.0
        assert fdr_thresholds(p)[magnitude] == pytest.approx(expected)
    fdr = confidence_bins(z, p, fdr=True)
    assert np.all(np.abs(fdr) <= np.abs(confidence_bins(z, p)))
    assert fdr[0] == 3 and fdr[3] == 0


def test_clear_errors():
    w = sw.knn_weights(np.random.default_rng(0).random((10, 2)), 3)
    with pytest.raises(StatisticError, match="same value"):
        moran.global_morans_i(np.full(10, 2.0), w)
    with pytest.raises(StatisticError, match="at least 3"):
        moran.global_morans_i([1.0, 2.0], sw.knn_weights(np.array([[0.0, 0], [1, 1]]), 1))
    with pytest.raises(StatisticError, match="negative"):
        getis_ord.general_g(np.linspace(-1, 1, 10), w)
    lonely = sw.distance_band_weights(np.arange(20.0).reshape(10, 2) * 10, 1.0)
    with pytest.raises(StatisticError, match="No observation has any neighbour"):
        moran.global_morans_i(np.arange(10.0), lonely)
    with pytest.raises(StatisticError, match="missing"):
        moran.global_morans_i(np.r_[np.nan, np.arange(9.0)], w)


def test_class_counts_of_local_results_match_counts_of_esda_classes():
    """Gi* bin counts and local Moran cluster counts equal counting esda's own z/quadrant classes."""
    y, ours, ref = _case(CASES[0])
    y = y - y.min() + 1.0
    ref.transform = "b"
    gi = getis_ord.getis_ord_gi_star(y, ours)
    e = esda.G_Local(y, ref, transform="B", star=True, permutations=0)
    z = np.abs(e.Zs)
    level = np.select([z >= 2.5758293035489, z >= 1.959963984540054, z >= 1.6448536269514722], [3, 2, 1], 0)
    expected_bins = np.sign(e.Zs).astype(int) * level
    counts = getis_ord.bin_counts(gi.bins)
    assert counts == {b: int(np.count_nonzero(expected_bins == b)) for b in range(-3, 4)}
    assert sum(counts.values()) == y.size
    assert getis_ord.bin_counts([3, None, float("nan"), -2, 3]) == {-3: 0, -2: 1, -1: 0, 0: 0, 1: 0, 2: 0, 3: 2}

    ref.transform = "r"
    r = moran.local_morans_i(y, ours)
    el = esda.Moran_Local(y, ref, transformation="r", permutations=0)
    names = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
    sig = r.significance < r.alpha
    expected = {names[q]: int(np.count_nonzero((el.q == q) & sig)) for q in (1, 2, 3, 4)}
    expected[""] = int(np.count_nonzero(~sig))
    assert r.cluster_counts == expected
    assert sum(r.cluster_counts.values()) == y.size

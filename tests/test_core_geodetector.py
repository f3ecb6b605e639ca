"""Geographical detector against PyPI geodetector 0.2.0, hand-worked strata, and the
discretisation against numpy, mapclassify 2.8.1 and jenkspy 0.4.1."""

import warnings

import numpy as np
import pandas as pd
import pytest
from carbon_spacetime.core import classify as cl
from carbon_spacetime.core import geodetector as gd
from numpy.testing import assert_allclose
from scipy import stats

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # mapclassify: "Numba not installed"
    import geodetector as ref
    import jenkspy
    import mapclassify


def _data(n=600, seed=3):
    rng = np.random.default_rng(seed)
    x1 = rng.integers(0, 4, n)
    x2 = rng.integers(0, 3, n)
    x3 = rng.integers(0, 5, n)
    y = 10 + 2.0 * x1 + 0.8 * x2 * x1 + 0.3 * x3 + rng.normal(0, 1.5, n)
    return y, {"a": x1, "b": x2, "c": x3}


def _strata(factors):
    return [gd.categorical_strata(v, k) for k, v in factors.items()]


def test_hand_worked_two_strata():
    y = np.array([1.0, 2, 3, 7, 8, 9])
    res = gd.factor_detector(y, np.array([0, 0, 0, 1, 1, 1]))
    # SST = 58, SSW = 2 + 2 = 4
    assert_allclose(res.q, 1 - 4 / 58, rtol=1e-13)
    # lambda = (sum mu^2 - (sum sqrt(N_h) mu_h)^2 / N) / sigma^2 = (68 - 300/6) / (58/6)
    assert_allclose(res.ncp, 18 / (58 / 6), rtol=1e-13)
    assert_allclose(res.f, 54.0, rtol=1e-12)
    assert_allclose(res.p, stats.ncf.sf(54.0, 1, 4, 108 / 58), rtol=1e-10)


def test_q_and_p_match_geodetector_package():
    y, factors = _data()
    for name, x in factors.items():
        ours = gd.factor_detector(y, gd.categorical_strata(x, name).labels)
        fd = ref.FactorDetector().fit(pd.DataFrame({name: x}), y)
        assert_allclose(ours.q, fd.q_value_, rtol=1e-10)
        assert_allclose(ours.p, fd.p_value_, rtol=1e-7, atol=1e-15)
        assert ours.strata == fd.n_strata_


def test_q_is_scale_invariant_and_finite_for_huge_values():
    y, factors = _data()
    base = gd.factor_detector(y, factors["b"])
    big = gd.factor_detector(y * 1e200, factors["b"])
    assert_allclose([big.q, big.p, big.ncp], [base.q, base.p, base.ncp], rtol=1e-10)


def test_interactions_match_geodetector_package():
    y, factors = _data()
    rows = gd.interaction_detector(y, _strata(factors))
    det = ref.InteractionDetector().fit(pd.DataFrame(factors), y)
    assert len(rows) == len(det.pairs_) == 3
    for ours, theirs in zip(rows, det.pairs_):
        assert (ours["factor_1"], ours["factor_2"]) == (theirs["factor_1"], theirs["factor_2"])
        assert_allclose([ours["q_1"], ours["q_2"], ours["q_12"]],
                        [theirs["q_1"], theirs["q_2"], theirs["q_12"]], rtol=1e-10)
        assert ours["type_code"] == theirs["interaction_type"]
    assert {r["type"] for r in rows} <= set(gd.INTERACTION_TYPES)


def test_interaction_types_with_tolerance():
    t = gd.interaction_type
    assert gd.INTERACTION_TYPES[t(0.3, 0.4, 0.2)] == "nonlinear-weaken"
    assert gd.INTERACTION_TYPES[t(0.3, 0.4, 0.35)] == "uni-variable weaken"
    assert gd.INTERACTION_TYPES[t(0.3, 0.4, 0.5)] == "bi-variable enhance"
    assert gd.INTERACTION_TYPES[t(0.1, 0.2, 0.1 + 0.2)] == "independent"  # 0.1 + 0.2 != 0.3 in floats
    assert gd.INTERACTION_TYPES[t(0.1, 0.2, 0.3 * (1 - 1e-9))] == "independent"
    assert gd.INTERACTION_TYPES[t(0.1, 0.2, 0.3 * (1 - 1e-4))] == "bi-variable enhance"
    assert gd.INTERACTION_TYPES[t(0.1, 0.2, 0.3 * (1 + 1e-4))] == "nonlinear-enhance"


def test_independent_factors_on_a_crossed_design():
    # y = a + b on a balanced 2 x 2 design: q(a) + q(b) = q(a n b) = 1 exactly in theory
    a = np.repeat([0, 1], 8)
    b = np.tile(np.repeat([0, 1], 4), 2)
    y = 3.0 * a + 1.0 * b + np.tile([0.0, 0, 0, 0], 4)
    y = y + np.tile([0.0, 1e-9, -1e-9, 0.0], 4)
    rows = gd.interaction_detector(y, _strata({"a": a, "b": b}))
    assert rows[0]["type"] == "independent"


def test_risk_detector_matches_welch_t_tests_of_geodetector_package():
    y, factors = _data()
    det = ref.RiskDetector().fit(pd.DataFrame(factors), y)
    for s in _strata(factors):
        means, pairs = gd.risk_detector(y, s)
        for m in means:
            assert_allclose(m["mean"], y[s.labels == m["stratum"]].mean(), rtol=1e-12)
        theirs = det.risk_result_[s.name]
        assert len(pairs) == len(theirs)
        for ours, (_, row) in zip(pairs, theirs.iterrows()):
            assert (ours["stratum_1"], ours["stratum_2"]) == (row["stratum_1"], row["stratum_2"])
            assert_allclose(ours["t"], row["t_stat"], rtol=1e-10)
            assert_allclose(ours["p"], row["p_value"], rtol=1e-8, atol=1e-300)
            assert ours["significant"] == bool(row["significant"])


def test_ecological_detector_against_geodetector_package():
    y, factors = _data()
    ours = gd.ecological_detector(y, _strata(factors))
    det = ref.EcologicalDetector().fit(pd.DataFrame(factors), y)
    for o, (_, r) in zip(ours, det.eco_result_.iterrows()):
        assert_allclose(o["f"], r["f_stat"], rtol=1e-10)  # (1 - q1) / (1 - q2) = SSW1 / SSW2
        # the package reports the two-sided p; ours is one-sided P(F' > F)
        n = len(y)
        assert_allclose(o["p"], stats.f.sf(o["f"], n - 1, n - 1), rtol=1e-12)
        two_sided = 2 * min(o["p"], stats.f.cdf(o["f"], n - 1, n - 1))
        assert_allclose(two_sided, r["p_value"], rtol=1e-8, atol=1e-300)


def test_geodetector_run_reports_everything():
    y, factors = _data()
    x = y + np.random.default_rng(9).normal(0, 2, len(y))
    res = gd.geodetector(y, {"cont": x, **factors}, method="quantile", classes=4, categorical=("a", "b", "c"))
    assert [f.name for f in res.factors] == ["cont", "a", "b", "c"]
    assert res.factors[0].method == "quantile" and res.factors[0].strata == 4
    assert len(res.interactions) == 6 and len(res.ecological) == 6
    labels, _ = cl.classify(x, "quantile", 4)
    assert_allclose(res.factors[0].q, gd.factor_detector(y, labels).q, rtol=1e-12)


def test_optimal_matches_geodetector_optimal_discretizer():
    rng = np.random.default_rng(5)
    x = rng.gamma(2.0, 2.0, 300)
    y = np.sqrt(x) + rng.normal(0, 0.3, 300)
    best, candidates = gd.optimal_strata(y, x, "x", methods=("quantile", "equal", "natural"))
    opt = ref.OptimalDiscretizer(discretize_methods=["quantile", "equal", "jenks"]).fit(pd.DataFrame({"x": x}), y)
    assert_allclose(gd.q_statistic(y, best.labels)[0], opt.best_q_["x"], rtol=1e-10)
    assert max(q for _, _, q in candidates if np.isfinite(q)) == pytest.approx(opt.best_q_["x"], rel=1e-10)
    assert len(candidates) == 18


def test_optimal_search_over_all_methods_is_the_maximum():
    rng = np.random.default_rng(6)
    x = rng.lognormal(0, 1, 500)
    y = np.log(x) + rng.normal(0, 0.5, 500)
    best, candidates = gd.optimal_strata(y, x, "x")
    assert len(candidates) == 5 * 6
    q_best = gd.q_statistic(y, best.labels)[0]
    assert q_best == pytest.approx(np.nanmax([q for _, _, q in candidates]), rel=1e-12)
    assert best.method in cl.METHODS and 3 <= best.classes <= 8


@pytest.mark.parametrize("bad, message", [
    ({"x": np.zeros(10)}, "single class"),
    ({"x": np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 3])}, "single observation"),
])
def test_bad_categorical_factors(bad, message):
    y = np.arange(10.0)
    with pytest.raises(gd.GeodetectorError, match=message):
        gd.geodetector(y, bad, categorical=("x",))


def test_bad_input_messages():
    y = np.arange(12.0)
    with pytest.raises(gd.GeodetectorError, match="constant"):
        gd.geodetector(np.ones(12), {"x": np.arange(12.0)}, method="equal", classes=3)
    with pytest.raises(gd.GeodetectorError, match="missing"):
        gd.geodetector(np.where(y > 5, np.nan, y), {"x": y}, method="equal", classes=3)
    with pytest.raises(gd.GeodetectorError, match="missing"):
        gd.geodetector(y, {"x": np.where(y > 5, np.nan, y)}, method="equal", classes=3)
    with pytest.raises(gd.GeodetectorError, match="all values are equal"):
        gd.geodetector(y, {"x": np.full(12, 4.0)}, method="quantile", classes=3)
    with pytest.raises(gd.GeodetectorError, match="single observation"):
        # natural breaks isolate the outlier in a stratum of its own
        gd.geodetector(y, {"x": np.r_[np.arange(11.0), 1000.0]}, method="natural", classes=3)


# ---------------------------------------------------------------- discretisation
@pytest.fixture(scope="module")
def skewed():
    return np.round(np.random.default_rng(0).lognormal(0, 1, 400), 3)


@pytest.mark.parametrize("k", [3, 5, 8])
def test_natural_breaks_match_mapclassify_and_jenkspy(skewed, k):
    ours = cl.class_breaks(skewed, "natural", k)
    assert_allclose(ours, mapclassify.FisherJenks(skewed, k=k).bins[:-1], rtol=0, atol=0)
    assert_allclose(ours, np.array(jenkspy.jenks_breaks(skewed, n_classes=k))[1:-1], rtol=0, atol=0)


def test_natural_breaks_hand_worked():
    assert_allclose(cl.fisher_jenks_breaks(np.array([1.0, 2, 3, 10, 11, 12, 30]), 3), [3, 12, 30])


@pytest.mark.parametrize("dist, k", [("normal", 3), ("normal", 6), ("lognormal", 5)])
def test_grouped_natural_breaks_are_near_optimal(dist, k):
    x = getattr(np.random.default_rng(2), dist)(0, 1, 5000)  # > JENKS_MAX_VALUES distinct values

    def gvf(breaks):
        labels = np.searchsorted(breaks, x, side="left")
        return gd.q_statistic(x, labels)[0]

    ours = cl.class_breaks(x, "natural", k)
    exact = np.array(jenkspy.jenks_breaks(x, n_classes=k))[1:-1]
    assert gvf(ours) == pytest.approx(gvf(exact), rel=1e-5)
    assert gvf(ours) <= gvf(exact) * (1 + 1e-12)
    assert np.isin(ours, x).all()  # breaks are data values


def test_grouped_natural_breaks_equal_exact_dp_on_the_groups():
    x = np.random.default_rng(4).lognormal(0, 1, 4000)
    means, counts, upper = cl._jenks_groups(x)
    assert len(means) <= cl.JENKS_MAX_VALUES and counts.sum() == len(x)
    assert np.all(np.diff(means) > 0) and np.all(np.diff(upper) > 0)
    # an independent brute-force check on a tiny grouped case: 6 groups, 3 classes
    v, w = np.array([1.0, 2, 4, 8, 9, 20]), np.array([3.0, 1, 2, 5, 1, 2])
    best = min(
        ((i, j) for i in range(1, 5) for j in range(i + 1, 6)),
        key=lambda ij: sum(np.sum(w[a:b] * (v[a:b] - np.average(v[a:b], weights=w[a:b])) ** 2)
                           for a, b in ((0, ij[0]), (ij[0], ij[1]), (ij[1], 6))))
    assert_allclose(cl.fisher_jenks_breaks(v, 3, w), [v[best[0] - 1], v[best[1] - 1], 20.0])


@pytest.mark.parametrize("k", [2, 4, 7])
def test_quantile_and_equal_interval_match_mapclassify(skewed, k):
    assert_allclose(cl.class_breaks(skewed, "quantile", k), mapclassify.Quantiles(skewed, k=k).bins[:-1],
                    rtol=1e-13)
    assert_allclose(cl.class_breaks(skewed, "equal", k), mapclassify.EqualInterval(skewed, k=k).bins[:-1],
                    rtol=1e-13)
    assert_allclose(cl.class_breaks(skewed, "quantile", k), np.quantile(skewed, np.arange(1, k) / k), rtol=1e-13)


def test_labels_are_right_closed_like_mapclassify(skewed):
    for method, scheme in (("equal", mapclassify.EqualInterval), ("natural", mapclassify.FisherJenks)):
        labels, _ = cl.classify(skewed, method, 5)
        assert np.array_equal(labels, scheme(skewed, k=5).yb)
    # quantile breaks fall between tied rounded values only up to float noise (np.percentile vs
    # np.quantile): compare on untied data
    x = np.random.default_rng(1).lognormal(0, 1, 400)
    labels, _ = cl.classify(x, "quantile", 5)
    assert np.array_equal(labels, mapclassify.Quantiles(x, k=5).yb)


def test_geometric_interval_is_numpy_geomspace():
    x = np.array([1.0, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144])
    assert_allclose(cl.class_breaks(x, "geometric", 4), np.geomspace(1, 144, 5)[1:-1], rtol=1e-13)
    shifted = x - 10  # minimum -9 maps to 1
    assert_allclose(cl.class_breaks(shifted, "geometric", 4), np.geomspace(1, 144, 5)[1:-1] - 10, rtol=1e-13)


def test_standard_deviation_classes_hand_worked():
    x = np.array([2.0, 4, 4, 4, 5, 5, 7, 9])  # mean 5, population sd 2
    assert_allclose(cl.class_breaks(x, "sd", 4), [3, 5, 7])
    assert_allclose(cl.class_breaks(x, "sd", 3), [4, 6])
    labels, limits = cl.classify(x, "sd", 4)
    assert labels.tolist() == [0, 1, 1, 1, 1, 1, 2, 3]
    assert limits[0] == (2.0, 3.0) and limits[-1] == (7.0, 9.0)


def test_empty_classes_are_dropped():
    x = np.array([0.0, 0.1, 0.2, 9.8, 9.9, 10.0])
    labels, limits = cl.classify(x, "equal", 5)
    assert labels.tolist() == [0, 0, 0, 1, 1, 1] and len(limits) == 2
